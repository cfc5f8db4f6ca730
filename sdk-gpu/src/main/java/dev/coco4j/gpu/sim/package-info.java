/**
 * A simulated NVIDIA GPU for development and tests: its own device identity root and RIM root (never trusted unless
 * passed explicitly), real-format SPDM reports signed by a simulated FMC leaf, and signed driver and VBIOS RIMs that
 * match them.
 */
package dev.coco4j.gpu.sim;
