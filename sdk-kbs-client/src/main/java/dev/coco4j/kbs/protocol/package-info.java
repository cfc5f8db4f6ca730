/**
 * The Trustee KBS protocol 0.4.0 message model, shared by clients and servers: the RCAR messages ({@link
 * dev.coco4j.kbs.protocol.KbsRequest}, {@link dev.coco4j.kbs.protocol.Challenge}, {@link
 * dev.coco4j.kbs.protocol.Attestation}, {@link dev.coco4j.kbs.protocol.TokenResponse}), error bodies, RFC 8785
 * canonical JSON and the runtime-data binding, the token-claim pointers, and resource responses as flattened JWE.
 * Field names are kbs-types 0.18's.
 */
package dev.coco4j.kbs.protocol;
