package dev.userevents.shim;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.userevents.shim.hotpath.Errno;
import dev.userevents.shim.hotpath.KernelErrors;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One open {@code user_events_data} file: registers events, writes them, unregisters them.
 *
 * <p>Write indexes belong to the open file (the kernel keeps them in the file's private data), so every
 * write of an event must go through the file that registered it. Several files may be open in one
 * process; each has its own indexes.
 */
public final class UserEventsDataFile implements AutoCloseable {
    /**
     * Enable words ("address/bit") this process registered through any data file. The kernel keeps enable
     * words per process, not per file, and answers a second registration of one with EADDRINUSE
     * ({@code current_user_event_enabler_exists()}), the errno a format conflict gets too: knowing our own
     * words tells the two apart.
     */
    private static final Set<String> REGISTERED_WORDS = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final int fd;
    private final String origin;
    private final LongAdder writesNobodyTraced = new LongAdder();
    private volatile boolean closed;

    private UserEventsDataFile(Path path, int fd, String origin) {
        this.path = path;
        this.fd = fd;
        this.origin = origin;
    }

    /**
     * Opens {@code user_events_data} of the tracefs that offers it ({@link Tracefs#locate()}).
     *
     * @return the open file; close it when done
     * @throws UserEventsUnavailableException as {@link Tracefs#locate()} and {@link #open(Tracefs)}
     */
    public static UserEventsDataFile open() throws UserEventsUnavailableException {
        return open(Tracefs.locate());
    }

    /**
     * Opens {@code user_events_data} of a given tracefs, write-only and close-on-exec. Write access is all
     * the file needs: {@code vfs_write()} asks for it, while {@code user_events_ioctl()} (registration) checks
     * no file mode at all ({@code kernel/trace/trace_events_user.c}).
     *
     * @param tracefs the tracefs whose {@link Tracefs#dataFile()} to open
     * @return the open file; close it when done
     * @throws UserEventsUnavailableException if {@code open()} fails: {@code PERMISSION_DENIED} on EACCES or
     *     EPERM, {@code KERNEL_WITHOUT_USER_EVENTS} on ENOENT, else {@code OPEN_FAILED}; the message says how to
     *     grant access
     */
    public static UserEventsDataFile open(Tracefs tracefs) throws UserEventsUnavailableException {
        Path path = tracefs.dataFile();
        int fd = Libc.open(path.toString(), Libc.O_WRONLY | Libc.O_CLOEXEC);
        if (fd >= 0) {
            return new UserEventsDataFile(path, fd, path.toString());
        }
        int errno = Libc.errno();
        throw switch (errno) {
            case Errno.EACCES, Errno.EPERM -> new UserEventsUnavailableException(
                UserEventsUnavailableException.Reason.PERMISSION_DENIED,
                "cannot open " + path + " for writing: " + Errno.describe(errno) + "; run as root, or grant "
                    + "this user access: mount tracefs with gid=<group> (e.g. 'mount -o remount,gid=tracing "
                    + tracefs.root() + "') and 'chmod g+rw " + path + "', then add the user to that group");
            case Errno.ENOENT -> new UserEventsUnavailableException(
                UserEventsUnavailableException.Reason.KERNEL_WITHOUT_USER_EVENTS,
                path + " does not exist: the kernel lacks CONFIG_USER_EVENTS (Linux 6.4+ has it as an option)");
            default -> new UserEventsUnavailableException(UserEventsUnavailableException.Reason.OPEN_FAILED,
                "cannot open " + path + ": " + Errno.describe(errno));
        };
    }

    /**
     * Takes over a descriptor of {@code user_events_data} this process did not open: one inherited from a
     * launcher or received from a collector ({@link DataSocket}), as in a container without tracefs. Checks,
     * without side effects, that it is open ({@code fcntl(F_GETFL)}), writable (a read-only one would answer
     * every write with EBADF, which the write path takes for "no tracer") and {@code user_events_data}: the
     * kernel answers {@code DIAG_IOCSUNREG} of an address nothing registered with ENOENT
     * ({@code user_events_ioctl_unreg()}), any other file with ENOTTY or another error. Marks it close-on-exec,
     * so processes the application starts do not inherit it.
     *
     * @param fd the descriptor number; owned by the returned file from now on
     * @param origin where it came from, for messages and {@link #origin()}: e.g. {@code "dataFd=7"}
     * @return the file
     * @throws UserEventsUnavailableException with reason {@code BAD_DESCRIPTOR} if {@code fd} is not open, is
     *     read-only or is not {@code user_events_data}; the message names what it is and the fix
     */
    public static UserEventsDataFile adopt(int fd, String origin) throws UserEventsUnavailableException {
        int status = Libc.fcntl(fd, Libc.F_GETFL, 0);
        if (status < 0) {
            throw badDescriptor(origin + ": descriptor " + fd + " is not open in this process ("
                + Errno.describe(Libc.errno()) + "); the launcher must keep it open across exec (no close-on-exec,"
                + " e.g. bash 'exec 7>>/sys/kernel/tracing/user_events_data' before starting java)");
        }
        String target = linkTarget(fd);
        if ((status & Libc.O_ACCMODE) == Libc.O_RDONLY) {
            throw badDescriptor(origin + ": descriptor " + fd + " (" + target + ") is open read-only, so the"
                + " kernel refuses every event written to it; open user_events_data for writing (O_WRONLY)");
        }
        if (!target.endsWith("/" + Tracefs.DATA_FILE)) { // no ioctl on a file of unknown kind
            throw badDescriptor(origin + ": descriptor " + fd + " is " + target + ", not " + Tracefs.DATA_FILE
                + "; hand over a descriptor of <tracefs>/" + Tracefs.DATA_FILE + " opened for writing");
        }
        Memory unreg = new Memory(UserEventsAbi.UserUnreg.LENGTH);
        unreg.clear();
        unreg.setInt(UserEventsAbi.UserUnreg.SIZE_OFFSET, UserEventsAbi.UserUnreg.LENGTH);
        try {
            if (Libc.ioctl(fd, UserEventsAbi.DIAG_IOCSUNREG, Pointer.nativeValue(unreg)) < 0) {
                int errno = Libc.errno();
                if (errno != Errno.ENOENT) {
                    throw badDescriptor(origin + ": descriptor " + fd + " is " + target + ", not "
                        + Tracefs.DATA_FILE + " (DIAG_IOCSUNREG answered " + Errno.describe(errno) + "); hand over"
                        + " a descriptor of <tracefs>/" + Tracefs.DATA_FILE + " opened for writing");
                }
            }
        } finally {
            Reference.reachabilityFence(unreg); // the kernel reads it during the ioctl
        }
        Libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC);
        return new UserEventsDataFile(Paths.get(target), fd, "descriptor " + fd + " from " + origin);
    }

    private static UserEventsUnavailableException badDescriptor(String message) {
        return new UserEventsUnavailableException(UserEventsUnavailableException.Reason.BAD_DESCRIPTOR, message);
    }

    /** What {@code /proc/self/fd/N} names: the path as this mount namespace sees it, or a kind such as "socket:[...]". */
    private static String linkTarget(int fd) {
        try {
            return Files.readSymbolicLink(Paths.get("/proc/self/fd/" + fd)).toString();
        } catch (IOException | RuntimeException e) {
            return "a descriptor of unknown kind";
        }
    }

    /**
     * Registers {@code format} with its enable word. {@code flags} may hold {@link UserEventsAbi#REG_PERSIST}
     * and {@link UserEventsAbi#REG_MULTI_FORMAT}; a kernel that predates a flag answers EINVAL, and the
     * registration is retried without flags ({@link Registration#flags()} tells what stuck).
     * Follows {@code user_events_ioctl_reg()} in {@code kernel/trace/trace_events_user.c}.
     *
     * @param format the event's name and fields
     * @param word the enable word, mapped until it is unregistered; one registration per word and bit
     * @param flags {@code USER_EVENT_REG_*} bits, or 0
     * @return the registration, with the write index every write of the event starts with
     * @throws FormatConflictException if the name exists with another format (EADDRINUSE)
     * @throws RegistrationException if the file is closed (EBADF) or the kernel refuses otherwise: the same
     *     word registered twice (EADDRINUSE), a bad format or word (EINVAL), an unmapped or read-only word
     *     (ENOMEM, EFAULT), a persistent event without the rights (EPERM, EACCES); the message names the fix
     */
    public Registration register(EventFormat format, EnableWord word, int flags) throws RegistrationException {
        ensureOpen(format.name());
        try {
            return new Registration(format, word, registerOnce(format, word, flags), flags);
        } catch (RegistrationException e) {
            if (e.errno() != Errno.EINVAL || flags == 0) {
                throw e;
            }
            return new Registration(format, word, registerOnce(format, word, 0), 0);
        }
    }

    /**
     * Registers {@code format} without flags: the event lives while a registration holds it.
     *
     * @param format the event's name and fields
     * @param word the enable word, mapped until it is unregistered; one registration per word and bit
     * @return the registration, with the write index every write of the event starts with
     * @throws RegistrationException as {@link #register(EventFormat, EnableWord, int)}
     */
    public Registration register(EventFormat format, EnableWord word) throws RegistrationException {
        return register(format, word, 0);
    }

    private int registerOnce(EventFormat format, EnableWord word, int flags) throws RegistrationException {
        String command = format.command();
        byte[] commandBytes = command.getBytes(StandardCharsets.UTF_8);
        Memory text = new Memory(commandBytes.length + 1L);
        text.write(0, commandBytes, 0, commandBytes.length);
        text.setByte(commandBytes.length, (byte) 0);

        Memory reg = new Memory(UserEventsAbi.UserReg.LENGTH);
        reg.clear();
        reg.setInt(UserEventsAbi.UserReg.SIZE_OFFSET, UserEventsAbi.UserReg.LENGTH);
        reg.setByte(UserEventsAbi.UserReg.ENABLE_BIT_OFFSET, (byte) word.bit());
        reg.setByte(UserEventsAbi.UserReg.ENABLE_SIZE_OFFSET, (byte) word.size());
        reg.setShort(UserEventsAbi.UserReg.FLAGS_OFFSET, (short) flags);
        reg.setLong(UserEventsAbi.UserReg.ENABLE_ADDR_OFFSET, word.address());
        reg.setLong(UserEventsAbi.UserReg.NAME_ARGS_OFFSET, Pointer.nativeValue(text));

        try {
            int result = Libc.ioctl(fd, UserEventsAbi.DIAG_IOCSREG, Pointer.nativeValue(reg));
            if (result < 0) {
                int errno = Libc.errno();
                throw registrationError(format, word, flags, errno);
            }
            int writeIndex = reg.getInt(UserEventsAbi.UserReg.WRITE_INDEX_OFFSET);
            REGISTERED_WORDS.add(wordKey(word));
            return writeIndex;
        } finally {
            // The kernel reads both by address only: keep them (and their native memory) until it has copied them.
            Reference.reachabilityFence(text);
            Reference.reachabilityFence(reg);
        }
    }

    private static RegistrationException registrationError(EventFormat format, EnableWord word, int flags, int errno) {
        String name = format.name();
        return switch (errno) {
            case Errno.EADDRINUSE -> REGISTERED_WORDS.contains(wordKey(word))
                ? new RegistrationException(name, errno, "enable word " + word + " of event " + name
                    + " is already registered in this process: EADDRINUSE; give each registration its own word "
                    + "or bit, or unregister the old one first")
                : new FormatConflictException(name, format.command());
            case Errno.EINVAL -> new RegistrationException(name, errno, "kernel refused event " + name + " ('"
                + format.command() + "', " + word + ", flags " + flags + "): "
                + KernelErrors.describe(KernelErrors.Operation.REGISTER, errno));
            default -> new RegistrationException(name, errno, "kernel refused event " + name + " (" + word + "): "
                + KernelErrors.describe(KernelErrors.Operation.REGISTER, errno));
        };
    }

    /**
     * Stops the kernel updating {@code word} ({@code DIAG_IOCSUNREG}). After this returns the memory may be
     * reused. The event itself lives on while other registrations or tracers hold it.
     * Follows {@code user_events_ioctl_unreg()} in {@code kernel/trace/trace_events_user.c}.
     *
     * @param word a word registered by this process, through this or another data file
     * @throws RegistrationException if the file is closed (EBADF), or the kernel refuses (this process has no
     *     registration of that word and bit); its event name is empty
     */
    public void unregister(EnableWord word) throws RegistrationException {
        ensureOpen("(unregister)");
        Memory unreg = new Memory(UserEventsAbi.UserUnreg.LENGTH);
        unreg.clear();
        unreg.setInt(UserEventsAbi.UserUnreg.SIZE_OFFSET, UserEventsAbi.UserUnreg.LENGTH);
        unreg.setByte(UserEventsAbi.UserUnreg.DISABLE_BIT_OFFSET, (byte) word.bit());
        unreg.setLong(UserEventsAbi.UserUnreg.DISABLE_ADDR_OFFSET, word.address());
        try {
            if (Libc.ioctl(fd, UserEventsAbi.DIAG_IOCSUNREG, Pointer.nativeValue(unreg)) < 0) {
                int errno = Libc.errno();
                throw new RegistrationException("", errno, "unregister of " + word + " failed: "
                    + KernelErrors.describe(KernelErrors.Operation.UNREGISTER, errno));
            }
        } finally {
            Reference.reachabilityFence(unreg); // the kernel reads it during the ioctl
        }
        REGISTERED_WORDS.remove(wordKey(word));
    }

    /**
     * Deletes an event by name ({@code DIAG_IOCSDEL}). The kernel answers EBUSY while anything still
     * references it (a registration or an enabled tracer).
     * Follows {@code user_events_ioctl_del()} in {@code kernel/trace/trace_events_user.c}.
     *
     * @param eventName the event's name, as registered
     * @throws RegistrationException if the file is closed (EBADF), the event is in use (EBUSY), does not exist
     *     (ENOENT) or is not this user's to delete (EPERM)
     */
    public void delete(String eventName) throws RegistrationException {
        ensureOpen(eventName);
        byte[] nameBytes = eventName.getBytes(StandardCharsets.UTF_8);
        Memory text = new Memory(nameBytes.length + 1L);
        text.write(0, nameBytes, 0, nameBytes.length);
        text.setByte(nameBytes.length, (byte) 0);
        try {
            if (Libc.ioctl(fd, UserEventsAbi.DIAG_IOCSDEL, Pointer.nativeValue(text)) < 0) {
                int errno = Libc.errno();
                throw new RegistrationException(eventName, errno, "delete of event " + eventName + " failed: "
                    + KernelErrors.describe(KernelErrors.Operation.DELETE, errno));
            }
        } finally {
            Reference.reachabilityFence(text); // the kernel reads it during the ioctl
        }
    }

    /**
     * Writes one event, {@code [u32 write_index][payload]}, from native memory: one {@code write()} system
     * call, no allocation. Returns the bytes written or {@code -errno}. {@code -EBADF} means no tracer has
     * the event enabled right now (the normal race after a tracer detaches), not a broken file.
     * The kernel side is {@code user_events_write_core()}.
     *
     * @param address native address of the event: {@link dev.userevents.shim.hotpath.EventLayout}
     * @param length bytes to write, write index included
     * @return bytes written, or {@code -errno} ({@code -EBADF}: no tracer; {@code -EINVAL}: bad write index or
     *     payload; {@code -EFAULT}: unreadable memory)
     */
    public long write(long address, int length) {
        long written = Libc.write(fd, address, length);
        if (written >= 0) {
            return written;
        }
        int errno = Libc.errno();
        if (errno == Errno.EBADF) {
            writesNobodyTraced.increment();
        }
        return -errno;
    }

    /**
     * Writes answered EBADF because no tracer had the event enabled at that instant: expected, not errors.
     *
     * @return the count since this file was opened
     */
    public long writesNobodyTraced() {
        return writesNobodyTraced.sum();
    }

    /**
     * The file descriptor, for a caller that wraps it in another write path. Owned by this object.
     *
     * @return the descriptor; invalid once {@link #close()} has run
     */
    public int fd() {
        return fd;
    }

    /**
     * Where the file is.
     *
     * @return the path it was opened with; for an adopted descriptor, the path {@code /proc/self/fd/N} names
     *     (relative to its mount when that mount is not in this process's mount namespace)
     */
    public Path path() {
        return path;
    }

    /**
     * Where the descriptor came from, for log lines and {@code status}.
     *
     * @return the path it was opened with, or {@code "descriptor N from <origin>"} for an adopted one
     */
    public String origin() {
        return origin;
    }

    private void ensureOpen(String eventName) throws RegistrationException {
        if (closed) {
            throw new RegistrationException(eventName, Errno.EBADF, path + " is closed");
        }
    }

    /**
     * Closes the file: its write indexes become invalid and the kernel drops the file's references to its
     * events. Enable words stay registered (the kernel ties them to the process, not to the file) until
     * {@link #unregister(EnableWord)} through any open data file, or until the process exits.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }

    private static String wordKey(EnableWord word) {
        return word.address() + "/" + word.bit();
    }
}
