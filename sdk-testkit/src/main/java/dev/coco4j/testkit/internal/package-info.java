/**
 * Implementation of the embedded KBS: TLS and token-signing identities, the token issuer and verifier, the resource
 * sealer (JWE) and evidence decoders. Not exported; no compatibility promise. For development and tests, not
 * production.
 */
package dev.coco4j.testkit.internal;
