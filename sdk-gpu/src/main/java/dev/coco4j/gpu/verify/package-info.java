/**
 * Authenticity of NVIDIA GPU attestation reports: the pinned NVIDIA device identity root, the 5-certificate device
 * chain, the ECDSA P-384 report signature with the leaf key, the requester nonce, the FWID binding between the leaf
 * certificate and the report, the architecture, and OCSP for the chain's intermediate certificates.
 */
package dev.coco4j.gpu.verify;
