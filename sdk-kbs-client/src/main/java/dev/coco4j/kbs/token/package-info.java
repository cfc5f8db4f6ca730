/**
 * Verification of KBS attestation tokens (EAR JWTs from Trustee's CoCo attestation service) for relying parties:
 * {@link dev.coco4j.kbs.token.KbsTokenVerifier} and its result {@link dev.coco4j.kbs.token.VerifiedToken}.
 */
package dev.coco4j.kbs.token;
