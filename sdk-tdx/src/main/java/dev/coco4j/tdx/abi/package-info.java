/**
 * Intel TDX structures as bytes and typed values: DCAP quotes v4 and v5 ({@link dev.coco4j.tdx.abi.TdxQuote}), TD
 * report bodies for TDX 1.0 and 1.5, the quoting enclave's SGX report body, and the local TDREPORT. Pure parsing: no
 * cryptography, no I/O. Every length is bounded; malformed input is an {@link dev.coco4j.core.AttestationException}
 * with {@code MALFORMED_EVIDENCE} or {@code UNSUPPORTED_VERSION}.
 */
package dev.coco4j.tdx.abi;
