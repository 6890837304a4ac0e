package dev.userevents.agent.weave;

import dev.userevents.Tracepoint;

/** Probes woven with {@code context=otel} in {@link OtelContextWeavingTest}. */
public final class OtelContextSample {
    @Tracepoint(exit = true)
    public static long charge(int cents) {
        return cents * 2L;
    }

    @Tracepoint(exit = true)
    public static void refuse(String reason) {
        throw new IllegalStateException(reason);
    }
}
