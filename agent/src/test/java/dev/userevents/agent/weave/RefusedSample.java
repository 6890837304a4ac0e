package dev.userevents.agent.weave;

import dev.userevents.Tracepoint;

/** Its only probe is one the backend refuses to register. */
public class RefusedSample {
    @Tracepoint(name = "refused_event")
    public static int square(int x) {
        return x * x;
    }
}
