package dev.userevents.samples;

/** No probes: the class-load hook must not even parse it. */
public final class Plain {
    private Plain() {
    }

    public static int twice(int x) {
        return 2 * x;
    }
}
