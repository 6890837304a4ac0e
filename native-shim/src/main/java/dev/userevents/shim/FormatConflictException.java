package dev.userevents.shim;

import dev.userevents.shim.hotpath.Errno;

/**
 * The name is already registered with another format ({@code EADDRINUSE}): by an earlier run of this
 * program that persisted it, or by another process that registered it first.
 */
public final class FormatConflictException extends RegistrationException {
    private static final long serialVersionUID = 1L;

    /**
     * The conflict, with the three ways out in the message.
     *
     * @param eventName the event whose registration the kernel refused
     * @param command the {@code DIAG_IOCSREG} command that was refused ({@link EventFormat#command()})
     */
    public FormatConflictException(String eventName, String command) {
        super(eventName, Errno.EADDRINUSE, "event " + eventName + " already exists with another format than '"
            + command + "': rename the probe, delete the old event (when nothing uses it, with all its fields: "
            + "echo '!u:" + eventName + " FIELDS' >> /sys/kernel/tracing/dynamic_events, which "
            + "'java -jar userevents-agent.jar list' prints; the name alone matches only an event without fields), "
            + "or register with USER_EVENT_REG_MULTI_FORMAT (Linux 6.10+)");
    }
}
