/**
 * A Trustee KBS administration client: registers and deletes resources and sets resource and attestation policies,
 * authenticated with an admin Bearer token.
 */
package dev.coco4j.kbs.admin;
