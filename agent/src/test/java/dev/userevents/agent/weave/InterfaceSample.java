package dev.userevents.agent.weave;

import dev.userevents.Tracepoint;

/** Static and default methods of an interface carry code too, so they can be traced. */
public interface InterfaceSample {
    @Tracepoint
    static int twice(int x) {
        return 2 * x;
    }

    @Tracepoint
    default String describe(String label) {
        return "[" + label + "]";
    }
}
