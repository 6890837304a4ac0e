package dev.userevents.agent.weave;

import dev.userevents.Tracepoint;

/** Probes woven with {@code context=thread} in {@link ThreadContextWeavingTest}. */
public final class ThreadContextSample {
    @Tracepoint(exit = true)
    public static byte narrow(int value, String java_tid) {
        return (byte) value;
    }

    @Tracepoint(exit = true)
    public static void fail(String message) {
        throw new IllegalStateException(message);
    }
}
