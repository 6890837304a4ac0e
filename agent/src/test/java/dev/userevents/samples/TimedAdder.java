package dev.userevents.samples;

import dev.userevents.Tracepoint;

/** A class with an exit probe, outside the agent's own packages (which it never weaves). */
public final class TimedAdder {
    private TimedAdder() {
    }

    @Tracepoint(exit = true)
    public static int add(int a, int b) {
        return a + b;
    }
}
