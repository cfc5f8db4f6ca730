/**
 * A simulated Intel TDX platform ({@link dev.coco4j.tdx.sim.SimulatedTdxPlatform}) with its own Intel-shaped SGX root,
 * PCK Platform CA, PCK leaf and TCB Signing certificate, signed TCB Info and QE Identity, CRLs, and a simulated
 * quoting enclave producing validly signed DCAP quotes, for development and tests without TDX hardware.
 *
 * <p>The simulator's root is <b>never trusted by default</b>: {@link dev.coco4j.tdx.verify.TdxQuoteVerifier} pins
 * Intel's SGX Root CA and refuses simulated quotes ({@code CHAIN_INVALID}) unless the simulator's root is passed to
 * it explicitly as the trusted root.
 */
package dev.coco4j.tdx.sim;
