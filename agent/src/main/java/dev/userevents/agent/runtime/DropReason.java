package dev.userevents.agent.runtime;

/**
 * Why an event was dropped by a transient fault: the one event is lost and counted, and the probe stays
 * exactly as it was (on, and writing the next event). Permanent faults are not here: they switch the probe
 * off ({@link Probe#fail}). The agent's fault model, with the test behind each kind, is in the README's
 * Safety section.
 */
public enum DropReason {
    // THE ORDER OF THE FOLLOWING CONSTANTS IS IMPORTANT: ProbeRuntime's call-free fallbacks index
    // Probe.racyDrops with the literal ordinals 0 (STACK_OVERFLOW), 1 (OUT_OF_MEMORY), 2 (VM_ERROR) and
    // 3 (NO_BUFFER); DropReasonTest holds them to it.
    /** A {@link StackOverflowError} while the event was encoded: the application was at the end of its stack. */
    STACK_OVERFLOW("a StackOverflowError while encoding (the application was at the end of its stack)",
        "nothing to do if the application handles its own stack overflows; else raise -Xss"),
    /** An {@link OutOfMemoryError} (heap, metaspace or direct memory) while the event was encoded. */
    OUT_OF_MEMORY("an OutOfMemoryError while encoding", "give the JVM more memory (-Xmx, -XX:MaxDirectMemorySize)"),
    /** Any other {@link VirtualMachineError} (InternalError, UnknownError) while the event was encoded. */
    VM_ERROR("a VirtualMachineError while encoding", "see the JVM's own messages"),
    /**
     * Every pooled event buffer was in use (more threads inside a probe at once than buffers) and no direct
     * memory was left for one more.
     */
    NO_BUFFER("no event buffer: every pooled one was in use and no direct memory was left for another",
        "raise -XX:MaxDirectMemorySize, or the pool with -Duserevents.buffers=N"),
    /** The write failed with a transient errno: EINTR, EAGAIN or EFAULT (see {@code KernelErrors}). */
    WRITE_INTERRUPTED("the write() failed with EINTR, EAGAIN or EFAULT", "nothing to do if it is rare");

    private final String cause;
    private final String fix;

    DropReason(String cause, String fix) {
        this.cause = cause;
        this.fix = fix;
    }

    /** @return what happened, one clause for a log line */
    public String cause() {
        return cause;
    }

    /** @return what a user can do about it, one clause for a log line */
    public String fix() {
        return fix;
    }

    /**
     * The reason a throwable from encoding or writing is transient, or null when it is not.
     *
     * @param failure what the encoder or the sink threw
     * @return its drop reason, or null for a fault that would repeat (a bug: the probe is switched off)
     */
    static DropReason of(Throwable failure) {
        if (failure instanceof StackOverflowError) {
            return STACK_OVERFLOW;
        }
        if (failure instanceof OutOfMemoryError) {
            return OUT_OF_MEMORY;
        }
        if (failure instanceof VirtualMachineError) {
            return VM_ERROR;
        }
        return null;
    }
}
