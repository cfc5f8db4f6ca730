/**
 * Intel TDX DCAP quote verification in Intel QVL's order: the PCK chain to the pinned Intel SGX Root CA, the CRLs,
 * the PCK SGX extensions, TCB Info and QE Identity signatures over their raw JSON bytes, the QE report signature and
 * data binding, the quote signature, TCB level matching and status convergence
 * ({@link dev.coco4j.tdx.verify.TdxQuoteVerifier}). Answers "is this quote genuine, and what is its TCB status?";
 * policy is in {@code dev.coco4j.tdx.validate}.
 */
package dev.coco4j.tdx.verify;
