package dev.userevents.shim;

/** user_events cannot be used by this process; the message says why and how to fix it. */
public final class UserEventsUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The ways user_events can be missing, each with its own fix. */
    public enum Reason {
        TRACEFS_NOT_MOUNTED,
        KERNEL_WITHOUT_USER_EVENTS,
        PERMISSION_DENIED,
        OPEN_FAILED
    }

    private final Reason reason;

    public UserEventsUnavailableException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
