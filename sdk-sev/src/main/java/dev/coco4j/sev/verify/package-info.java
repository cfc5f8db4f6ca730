/** Authenticity of SEV-SNP reports: pinned AMD roots, ARK→ASK/ASVK→VCEK/VLEK chains (RSASSA-PSS), signer kind, chip-id and TCB binding, the report signature and CRLs. */
package dev.coco4j.sev.verify;
