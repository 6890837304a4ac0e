package dev.userevents.samples;

import dev.userevents.Tracepoint;

/** A class outside the agent's own packages (which it never weaves), for tests of the class-load hook. */
public final class Adder {
    private Adder() {
    }

    @Tracepoint
    public static int add(int a, int b) {
        return a + b;
    }
}
