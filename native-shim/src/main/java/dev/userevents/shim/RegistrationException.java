package dev.userevents.shim;

/** The kernel refused to register, unregister or delete an event; the message names the event and the fix. */
public class RegistrationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String eventName;
    private final int errno;

    public RegistrationException(String eventName, int errno, String message) {
        super(message);
        this.eventName = eventName;
        this.errno = errno;
    }

    public String eventName() {
        return eventName;
    }

    /** The errno the kernel returned, 0 when the request was refused before reaching it. */
    public int errno() {
        return errno;
    }
}
