package dev.userevents.agent.weave;

/** A class without a single {@code @Tracepoint}. */
public class UntracedSample {
    public static int identity(int x) {
        return x;
    }
}
