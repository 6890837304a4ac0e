package dev.userevents.agent.weave;

import dev.userevents.Tracepoint;

/** A traced method an application recurses through until its stack overflows. */
public class RecursiveSample {
    @Tracepoint
    public static int recurse(int depth, String tag) {
        return depth <= 0 ? 0 : 1 + recurse(depth - 1, tag);
    }
}
