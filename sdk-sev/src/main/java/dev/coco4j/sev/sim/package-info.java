/**
 * A simulated SEV-SNP platform ({@link dev.coco4j.sev.sim.SimulatedSnpPlatform}) with its own AMD-shaped
 * ARK/ASK/ASVK/VCEK/VLEK chain, producing validly signed reports for development and tests without hardware.
 *
 * <p>The simulator's roots are <b>never trusted by default</b>: a verifier accepts simulated evidence only when the
 * simulator's ARK is passed to it explicitly as a trust root.
 */
package dev.coco4j.sev.sim;
