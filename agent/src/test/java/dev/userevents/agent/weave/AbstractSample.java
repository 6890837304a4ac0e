package dev.userevents.agent.weave;

import dev.userevents.Tracepoint;

/** Annotations on methods without a body, which cannot be traced. */
public abstract class AbstractSample {
    @Tracepoint
    public abstract void todo(int x);

    @Tracepoint
    public native void inC(int x);

    @Tracepoint
    public void concrete(int x) {
    }
}
