package dev.userevents.agent.runtime;

import org.jspecify.annotations.Nullable;

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
    /**
     * Any other {@link VirtualMachineError} (InternalError, UnknownError), or a {@link LinkageError} (a class
     * that a stack overflow or an out-of-memory kept from initialising), while the event was encoded.
     */
    VM_ERROR("a VirtualMachineError, or a class a stack overflow or out-of-memory kept from initialising,"
        + " while encoding", "see the JVM's own messages"),
    /** Every pooled event buffer was in use: more threads inside a probe at once than buffers. */
    NO_BUFFER("no event buffer: every one of the pool was in use (more threads inside probes at once than"
        + " buffers, e.g. while slow toString() methods of arguments ran)",
        "raise the pool with -Duserevents.buffers=N (4 KiB each, default 4 per CPU, at least 16)"),
    /** The write failed with a transient errno: EINTR, EAGAIN or EFAULT (see {@code KernelErrors}). */
    WRITE_INTERRUPTED("the write() failed with EINTR, EAGAIN or EFAULT", "nothing to do if it is rare");

    private final String cause;
    private final String fix;

    DropReason(String cause, String fix) {
        this.cause = cause;
        this.fix = fix;
    }

    /** {@return what happened, one clause for a log line} */
    public String cause() {
        return cause;
    }

    /** {@return what a user can do about it, one clause for a log line} */
    public String fix() {
        return fix;
    }

    /**
     * The reason a throwable from encoding or writing is transient, or null when it is not.
     *
     * @param failure what the encoder or the sink threw
     * @return its drop reason, or null for a fault that would repeat (a bug: the probe is switched off)
     */
    static @Nullable DropReason of(Throwable failure) {
        // A class that could not be loaded or initialised (NoClassDefFoundError, ExceptionInInitializerError,
        // BootstrapMethodError) is, on the per-call path, the trace of a stack overflow or an out-of-memory
        // that hit a class initialiser: the agent's own classes are initialised at start-up, so it is the
        // JDK's or the application's, and not a reason to switch the probe off.
        DropReason reason = null;
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 16; cause = cause.getCause(), depth++) {
            if (cause instanceof StackOverflowError) {
                return STACK_OVERFLOW;
            }
            if (cause instanceof OutOfMemoryError) {
                return OUT_OF_MEMORY;
            }
            if (reason == null && (cause instanceof VirtualMachineError || cause instanceof LinkageError)) {
                reason = VM_ERROR; // unless a stack overflow or out-of-memory further down says more
            }
        }
        return reason;
    }
}
