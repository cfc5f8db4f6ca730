package dev.coco4j.gpu;

import dev.coco4j.core.CocoException;

/** Small helpers shared by the sdk-gpu tests. */
public final class GpuTests {
    private GpuTests() {
    }

    /**
     * Runs {@code r} and returns the typed exception it must throw.
     *
     * @throws AssertionError if it returns normally (anything but a {@link CocoException} propagates as is)
     */
    public static CocoException thrown(Runnable r) {
        try {
            r.run();
        } catch (CocoException e) {
            return e;
        }
        throw new AssertionError("no exception");
    }
}
