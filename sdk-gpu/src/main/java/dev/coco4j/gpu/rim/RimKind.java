package dev.coco4j.gpu.rim;

/** Which measurements a RIM describes. */
public enum RimKind {
    /** The driver RIM (GSP-RM / driver-loaded measurements). */
    DRIVER,
    /** The VBIOS RIM (firmware measurements). */
    VBIOS
}
