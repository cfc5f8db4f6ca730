/**
 * GPU evidence collection inside a confidential VM through NVML ({@code libnvidia-ml.so.1}) via the Java FFM API,
 * with a replaceable {@link java.lang.foreign.SymbolLookup} so tests bind a C stand-in.
 */
package dev.coco4j.gpu.guest;
