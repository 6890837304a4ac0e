package dev.userevents.shim;

/** user_events cannot be used by this process; the message says why and how to fix it. */
public final class UserEventsUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The ways user_events can be missing, each with its own fix. */
    public enum Reason {
        /** No tracefs at the usual mount points nor in {@code /proc/self/mounts}: mount it. */
        TRACEFS_NOT_MOUNTED,
        /** tracefs without {@code user_events_data}: a kernel built without {@code CONFIG_USER_EVENTS}. */
        KERNEL_WITHOUT_USER_EVENTS,
        /** tracefs or {@code user_events_data} not accessible to this user: run as root or grant a group. */
        PERMISSION_DENIED,
        /** {@code open()} of {@code user_events_data} failed for another reason; the message has the errno. */
        OPEN_FAILED,
        /**
         * A descriptor handed in ({@code dataFd}, {@code dataSocket}) is not usable: not open, read-only, not
         * {@code user_events_data}, or the socket gave none; the message says which and what the sender must do.
         */
        BAD_DESCRIPTOR
    }

    private final Reason reason;

    /**
     * The failure.
     *
     * @param reason which of the ways it failed
     * @param message what is missing and the command or setting that fixes it
     */
    public UserEventsUnavailableException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Why user_events cannot be used.
     *
     * @return the reason, for code that reacts to one of them
     */
    public Reason reason() {
        return reason;
    }
}
