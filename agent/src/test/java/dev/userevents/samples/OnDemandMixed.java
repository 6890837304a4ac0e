package dev.userevents.samples;

import dev.userevents.Tracepoint;

/** A class with a {@code @Tracepoint} method (woven at load) and one a probes-file pattern makes a candidate. */
public class OnDemandMixed {
    @Tracepoint(name = "mixed_annotated")
    public static int annotated(int a) {
        return a + 1;
    }

    public static int plain(int a) {
        return a + 2;
    }
}
