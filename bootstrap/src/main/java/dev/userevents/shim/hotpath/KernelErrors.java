package dev.userevents.shim.hotpath;

/**
 * Every errno the kernel returns from the user_events calls this project makes, mapped to its cause, its
 * fix, and whether the fault is transient (drop one event, count it, change nothing) or permanent (the
 * same call will keep failing). One table, so a log line, a test and the README say the same thing.
 *
 * <p>Source: {@code kernel/trace/trace_events_user.c} (Linux 6.12): {@code user_events_write_core()} for
 * writes; {@code user_reg_get()}, {@code user_events_ioctl_reg()}, {@code user_event_parse()} and
 * {@code find_user_event()} for {@code DIAG_IOCSREG}; {@code user_unreg_get()} and
 * {@code user_events_ioctl_unreg()} for {@code DIAG_IOCSUNREG}; {@code user_event_free()} for
 * {@code DIAG_IOCSDEL}; {@code user_events_open()} for opening {@code user_events_data}.
 */
public final class KernelErrors {
    /** The system call or ioctl an errno came from. */
    public enum Operation {
        /** {@code write()} of one event to {@code user_events_data}. */
        WRITE,
        /** {@code ioctl(DIAG_IOCSREG)}. */
        REGISTER,
        /** {@code ioctl(DIAG_IOCSUNREG)}. */
        UNREGISTER,
        /** {@code ioctl(DIAG_IOCSDEL)}. */
        DELETE
    }

    /** One row of the table. */
    public static final class Meaning {
        private final boolean transientFault;
        private final String cause;
        private final String fix;

        Meaning(boolean transientFault, String cause, String fix) {
            this.transientFault = transientFault;
            this.cause = cause;
            this.fix = fix;
        }

        /**
         * Whether the fault passes by itself: the one event is dropped and counted, the probe stays as it is.
         *
         * @return true for a transient fault, false when retrying the same call cannot succeed
         */
        public boolean isTransient() {
            return transientFault;
        }

        /** {@return what the kernel is saying, in one clause without a trailing full stop} */
        public String cause() {
            return cause;
        }

        /** {@return what a user can do about it, in one clause without a trailing full stop} */
        public String fix() {
            return fix;
        }
    }

    private static final String REPORT = "report it with this line: the agent and the kernel disagree about the ABI";

    private KernelErrors() {
    }

    /**
     * The meaning of {@code errno} returned by {@code operation}.
     *
     * @param operation the call that failed
     * @param errno     the positive errno value (x86-64 and arm64 numbering, see {@link Errno})
     * @return the row for that errno; an errno the kernel source does not return from that call gets a
     *         permanent row that names the number
     */
    @SuppressWarnings("StatementSwitchToExpressionSwitch") // an arrow switch compiles to other bytecode (package-info)
    public static Meaning of(Operation operation, int errno) {
        switch (operation) {
            case WRITE:
                return ofWrite(errno);
            case REGISTER:
                return ofRegister(errno);
            case UNREGISTER:
                return ofUnregister(errno);
            default:
                return ofDelete(errno);
        }
    }

    /**
     * One log-line clause: {@code "EMFILE (24): <cause>; <fix>"}.
     *
     * @param operation the call that failed
     * @param errno     the positive errno value
     * @return the errno's name and number, its cause and its fix
     */
    public static String describe(Operation operation, int errno) {
        Meaning meaning = of(operation, errno);
        return Errno.describe(errno) + ": " + meaning.cause() + "; " + meaning.fix();
    }

    @SuppressWarnings("StatementSwitchToExpressionSwitch") // an arrow switch compiles to other bytecode (package-info)
    private static Meaning ofWrite(int errno) {
        switch (errno) {
            case Errno.EBADF:
                return new Meaning(true, "no tracer has the event enabled at this instant (a tracer detached"
                    + " between the enable check and the write)", "nothing to do: this is how a detach looks");
            case Errno.EFAULT:
                return new Meaning(true, "the kernel could not read the event from the agent's buffer while"
                    + " tracing (a page fault it may not take there)", "nothing to do if it is rare");
            case Errno.EINTR:
            case Errno.EAGAIN:
                return new Meaning(true, "the write was interrupted or would have blocked",
                    "nothing to do if it is rare");
            case Errno.EINVAL:
                return new Meaning(false, "the event is shorter than its registered fixed fields, or its write"
                    + " index is negative", REPORT);
            case Errno.ENOENT:
                return new Meaning(false, "the user_events_data descriptor knows no event at this write index"
                    + " (the descriptor was closed and its number reused, or the event was registered elsewhere)",
                    "do not close file descriptors the application did not open; restart the application");
            default:
                return unexpected(errno);
        }
    }

    @SuppressWarnings("StatementSwitchToExpressionSwitch") // an arrow switch compiles to other bytecode (package-info)
    private static Meaning ofRegister(int errno) {
        switch (errno) {
            case Errno.EMFILE:
                return new Meaning(false, "the kernel's limit on user_events (sysctl kernel.user_events_max,"
                    + " for the whole machine) is reached",
                    "raise it, e.g. 'sysctl -w kernel.user_events_max=65536', or trace fewer methods");
            case Errno.EADDRINUSE:
                return new Meaning(false, "an event of this name exists with another format, or this enable"
                    + " word is registered already", "rename the probe, delete the old event, or register with"
                    + " USER_EVENT_REG_MULTI_FORMAT (agent option multiFormat=true)");
            case Errno.EINVAL:
                return new Meaning(false, "the kernel refused the description, a flag, or the enable word"
                    + " (size 4 or 8, bit within it, naturally aligned)", "check the field types; a kernel older"
                    + " than a flag refuses that flag (MULTI_FORMAT needs 6.10+)");
            case Errno.E2BIG:
                return new Meaning(false, "struct user_reg is larger than the kernel accepts", REPORT);
            case Errno.EFAULT:
                return new Meaning(false, "the kernel could not read the description or reach the enable word",
                    "the enable word must be mapped and writable");
            case Errno.ENOMEM:
                return new Meaning(false, "the kernel could not set up the enable word (an unmapped or"
                    + " read-only word is reported as ENOMEM) or is out of memory",
                    "the enable word must be mapped and writable; else free kernel memory");
            case Errno.EPERM:
            case Errno.EACCES:
                return new Meaning(false, "persistent events need CAP_PERFMON or CAP_SYS_ADMIN",
                    "run as root, or without persist");
            default:
                return unexpected(errno);
        }
    }

    @SuppressWarnings("StatementSwitchToExpressionSwitch") // an arrow switch compiles to other bytecode (package-info)
    private static Meaning ofUnregister(int errno) {
        switch (errno) {
            case Errno.ENOENT:
                return new Meaning(false, "this process has no registration at that enable word and bit",
                    "nothing to do: it is unregistered already");
            case Errno.EINVAL:
            case Errno.E2BIG:
                return new Meaning(false, "the kernel refused struct user_unreg", REPORT);
            case Errno.EFAULT:
                return new Meaning(false, "the kernel could not read struct user_unreg", REPORT);
            default:
                return unexpected(errno);
        }
    }

    @SuppressWarnings("StatementSwitchToExpressionSwitch") // an arrow switch compiles to other bytecode (package-info)
    private static Meaning ofDelete(int errno) {
        switch (errno) {
            case Errno.ENOENT:
                return new Meaning(false, "no user_event of that name exists", "nothing to do");
            case Errno.EBUSY:
                return new Meaning(false, "the event is still registered by a process or enabled by a tracer",
                    "stop the process or the tracer first");
            case Errno.EPERM:
                return new Meaning(false, "deleting a persistent event needs CAP_PERFMON or CAP_SYS_ADMIN",
                    "delete it as root");
            default:
                return unexpected(errno);
        }
    }

    private static Meaning unexpected(int errno) {
        return new Meaning(false, "an errno the kernel source does not return here (" + Errno.name(errno) + ")",
            REPORT);
    }
}
