package dev.userevents.shim.hotpath;

/**
 * The errno values this module reacts to or names in messages, as {@code include/uapi/asm-generic/errno-base.h}
 * and {@code errno.h} define them (x86-64 and arm64 Linux share them). Where the user_events code of
 * {@code kernel/trace/trace_events_user.c} answers one, the constant says when.
 */
public final class Errno {
    /** Operation not permitted: opening {@code user_events_data}, or a persistent event, without the rights. */
    public static final int EPERM = 1;
    /** No such file: {@code user_events_data} is missing (a kernel without {@code CONFIG_USER_EVENTS}). */
    public static final int ENOENT = 2;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** Argument list too long: a struct or description larger than the kernel takes. */
    public static final int E2BIG = 7;
    /** Bad descriptor; a write while no tracer has the event enabled ({@code user_events_write_core()}). */
    public static final int EBADF = 9;
    /** Resource temporarily unavailable: the call would block. */
    public static final int EAGAIN = 11;
    /** Out of memory; also an enable word the kernel cannot fault in ({@code user_events_ioctl_reg()}). */
    public static final int ENOMEM = 12;
    /** Permission denied: opening {@code user_events_data} without write access. */
    public static final int EACCES = 13;
    /** Bad address: a struct or string the kernel cannot read. */
    public static final int EFAULT = 14;
    /** Busy: {@code DIAG_IOCSDEL} of an event that is still registered or enabled. */
    public static final int EBUSY = 16;
    /** File exists. */
    public static final int EEXIST = 17;
    /** No such device. */
    public static final int ENODEV = 19;
    /** Invalid argument: a malformed format, a bad enable word, or a flag this kernel predates. */
    public static final int EINVAL = 22;
    /** Too many open files; for user_events, the limit {@code kernel.user_events_max} ({@code user_event_parse()}). */
    public static final int EMFILE = 24;
    /** Not a typewriter: an ioctl the file does not know, e.g. {@code DIAG_IOCSUNREG} on anything but {@code user_events_data}. */
    public static final int ENOTTY = 25;
    /** No space left on device. */
    public static final int ENOSPC = 28;
    /** File name too long. */
    public static final int ENAMETOOLONG = 36;
    /** Operation not supported. */
    public static final int EOPNOTSUPP = 95;
    /** Address in use: the name is registered with another format, or the same enable word twice. */
    public static final int EADDRINUSE = 98;
    /** Connection refused: a Unix socket file nobody listens on. */
    public static final int ECONNREFUSED = 111;

    private Errno() {
    }

    /**
     * Name and number, for log lines and exception messages.
     *
     * @param errno a positive errno value
     * @return {@code "EINVAL (22)"} style; {@code "errno (N)"} for a value not listed here
     */
    public static String describe(int errno) {
        return name(errno) + " (" + errno + ")";
    }

    /**
     * The symbolic name of an errno value.
     *
     * @param errno a positive errno value
     * @return {@code "EINVAL"} style; {@code "errno"} for a value not listed here
     */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case E2BIG -> "E2BIG";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case EMFILE -> "EMFILE";
            case ENOTTY -> "ENOTTY";
            case ENOSPC -> "ENOSPC";
            case ENAMETOOLONG -> "ENAMETOOLONG";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case EADDRINUSE -> "EADDRINUSE";
            case ECONNREFUSED -> "ECONNREFUSED";
            default -> "errno";
        };
    }
}
