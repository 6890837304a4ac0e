package dev.userevents.agent.weave;

import dev.userevents.Tracepoint;

/** A known call chain a -> b -> c for {@link StackWeavingTest}; c's events carry the calling stack. */
public final class StackSample {
    public static int a(int x) {
        return b(x) + 1;
    }

    static int b(int x) {
        return c(x) * 2;
    }

    @Tracepoint(stack = true, exit = true)
    static int c(int x) {
        return x + 1;
    }

    @Tracepoint(stack = true, exit = true)
    static int fails(int x) {
        if (x > 0) {
            throw new IllegalStateException("no");
        }
        return x;
    }
}
