/**
 * CoCo sealed secrets ({@code sealed.<jws>}): parsing, ES256 verification with kid resolution (a local directory or a
 * KBS resource), unsealing of {@code vault} secrets through the KBS client, and creation for {@code coco4j seal}.
 */
package dev.coco4j.kbs.sealed;
