/**
 * SEV-SNP byte layouts: the attestation report, TCB versions, guest policy, platform info, signer info and the GHCB
 * certificate table. Pure parsing: no crypto, no I/O, strict lengths, and unknown bits preserved.
 */
package dev.coco4j.sev.abi;
