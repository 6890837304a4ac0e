package dev.userevents.shim;

/** The kernel refused to register, unregister or delete an event; the message names the event and the fix. */
public class RegistrationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String eventName;
    private final int errno;

    /**
     * A refusal.
     *
     * @param eventName the event concerned; empty when the request named none (an unregister)
     * @param errno the errno the kernel answered, or 0 when the request never reached it
     * @param message what failed and what to do about it
     */
    public RegistrationException(String eventName, int errno, String message) {
        super(message);
        this.eventName = eventName;
        this.errno = errno;
    }

    /**
     * The event concerned.
     *
     * @return the event name; empty for an unregister, which names only an enable word
     */
    public String eventName() {
        return eventName;
    }

    /**
     * The errno the kernel returned, 0 when the request was refused before reaching it.
     *
     * @return a positive errno ({@link dev.userevents.shim.hotpath.Errno}), or 0
     */
    public int errno() {
        return errno;
    }
}
