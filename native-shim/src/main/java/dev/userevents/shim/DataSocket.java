package dev.userevents.shim;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.userevents.shim.hotpath.Errno;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The agent's side of the descriptor hand-over: a collector that can open {@code user_events_data} (it sees
 * tracefs, the application in its container does not) listens on a Unix stream socket and hands the descriptor
 * over with {@code SCM_RIGHTS} (unix(7)). The JDK has no API for ancillary data, hence libc through JNA; this
 * runs once, at start, never on the event path.
 *
 * <p>The protocol, one exchange per connection:
 * <ol>
 *   <li>the agent connects to the socket ({@code SOCK_STREAM}) and sends its process id as ASCII decimal
 *       digits and a newline, e.g. {@code "4242\n"};</li>
 *   <li>the collector answers with one message of at least one byte whose ancillary data is one
 *       {@code SCM_RIGHTS} control message with one descriptor of {@code user_events_data}, opened for writing.
 *       To refuse, it sends text without a descriptor (the agent logs it) or closes the connection;</li>
 *   <li>the agent closes the connection. Everything has {@link #DEFAULT_TIMEOUT} to happen.</li>
 * </ol>
 *
 * <p>Layouts are those of LP64 Linux (x86-64, arm64), from {@code include/linux/socket.h}:
 * <pre>
 *   struct sockaddr_un { u16 sun_family; char sun_path[108]; }
 *   struct iovec       { void *iov_base @0; size_t iov_len @8; }                         16 bytes
 *   struct msghdr      { void *msg_name @0; int msg_namelen @8; struct iovec *msg_iov @16;
 *                        size_t msg_iovlen @24; void *msg_control @32; size_t msg_controllen @40;
 *                        int msg_flags @48; }                                             56 bytes
 *   struct cmsghdr     { size_t cmsg_len @0; int cmsg_level @8; int cmsg_type @12; data @16 }
 * </pre>
 */
public final class DataSocket {
    /** How long the collector has to accept the connection and answer. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final int SUN_PATH_LENGTH = 108;
    private static final int SOCKADDR_UN_LENGTH = 2 + SUN_PATH_LENGTH;
    private static final int IOVEC_LENGTH = 16;
    private static final int MSGHDR_LENGTH = 56;
    private static final int MSG_IOV_OFFSET = 16;
    private static final int MSG_IOVLEN_OFFSET = 24;
    private static final int MSG_CONTROL_OFFSET = 32;
    private static final int MSG_CONTROLLEN_OFFSET = 40;
    private static final int MSG_FLAGS_OFFSET = 48;
    private static final int CMSG_LEVEL_OFFSET = 8;
    private static final int CMSG_TYPE_OFFSET = 12;
    private static final int CMSG_DATA_OFFSET = 16;
    /** Room for a few descriptors: extra ones a collector sends are closed, not leaked. */
    private static final int CONTROL_LENGTH = CMSG_DATA_OFFSET + 8 * 4;
    private static final int ANSWER_LENGTH = 256;

    private DataSocket() {
    }

    /**
     * Receives the descriptor ({@link #receive}) and takes it over ({@link UserEventsDataFile#adopt}); a received
     * descriptor that is not usable is closed.
     *
     * @param socketPath the collector's socket, as this process's mount namespace sees it
     * @param timeout as for {@link #receive}
     * @return the data file, its origin {@code "dataSocket=<socketPath>"}
     * @throws UserEventsUnavailableException with reason {@code BAD_DESCRIPTOR} as {@link #receive} and
     *     {@link UserEventsDataFile#adopt}
     */
    public static UserEventsDataFile receiveDataFile(String socketPath, Duration timeout)
            throws UserEventsUnavailableException {
        int fd = receive(socketPath, timeout);
        try {
            return UserEventsDataFile.adopt(fd, "dataSocket=" + socketPath);
        } catch (UserEventsUnavailableException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /**
     * Connects to {@code socketPath}, sends this process's id and receives a descriptor.
     *
     * @param socketPath the collector's socket, as this process's mount namespace sees it
     * @param timeout how long connecting, sending and waiting for the answer may take, each
     * @return the received descriptor, close-on-exec, owned by the caller; not checked (see
     *     {@link UserEventsDataFile#adopt})
     * @throws UserEventsUnavailableException with reason {@code BAD_DESCRIPTOR} when there is no socket, nobody
     *     listens, no answer comes within {@code timeout}, or the answer has no descriptor; the message says which
     */
    public static int receive(String socketPath, Duration timeout) throws UserEventsUnavailableException {
        String origin = "dataSocket=" + socketPath;
        byte[] pathBytes = socketPath.getBytes(StandardCharsets.UTF_8);
        if (pathBytes.length == 0 || pathBytes.length >= SUN_PATH_LENGTH) {
            throw fail(origin + ": a Unix socket path has 1 to " + (SUN_PATH_LENGTH - 1) + " bytes; use a shorter path");
        }
        int socket = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        if (socket < 0) {
            throw fail(origin + ": cannot create a Unix socket: " + Errno.describe(Libc.errno()));
        }
        try {
            setTimeouts(socket, timeout);
            connect(socket, pathBytes, origin, timeout);
            sendPid(socket, origin, timeout);
            return receiveDescriptor(socket, origin, timeout);
        } finally {
            Libc.close(socket);
        }
    }

    private static void setTimeouts(int socket, Duration timeout) {
        Memory timeval = new Memory(16);
        timeval.setLong(0, timeout.getSeconds());
        timeval.setLong(8, timeout.getNano() / 1000L);
        try {
            Libc.setsockopt(socket, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, Pointer.nativeValue(timeval), 16);
            Libc.setsockopt(socket, Libc.SOL_SOCKET, Libc.SO_SNDTIMEO, Pointer.nativeValue(timeval), 16);
        } finally {
            Reference.reachabilityFence(timeval);
        }
    }

    private static void connect(int socket, byte[] pathBytes, String origin, Duration timeout)
            throws UserEventsUnavailableException {
        Memory address = new Memory(SOCKADDR_UN_LENGTH);
        address.clear();
        address.setShort(0, (short) Libc.AF_UNIX);
        address.write(2, pathBytes, 0, pathBytes.length);
        int result;
        try {
            do {
                result = Libc.connect(socket, Pointer.nativeValue(address), 2 + pathBytes.length + 1);
            } while (result < 0 && Libc.errno() == Errno.EINTR);
        } finally {
            Reference.reachabilityFence(address);
        }
        if (result == 0) {
            return;
        }
        int errno = Libc.errno();
        throw fail(origin + switch (errno) {
            case Errno.ENOENT -> ": no socket there (ENOENT); start the collector that serves user_events_data"
                + " first, and mount its socket's folder into this container";
            case Errno.ECONNREFUSED -> ": nobody listens on that socket (ECONNREFUSED); start the collector that"
                + " serves user_events_data";
            case Errno.EACCES, Errno.EPERM -> ": not allowed to connect (" + Errno.describe(errno) + "); let this"
                + " user write to the socket (its mode or group)";
            case Errno.EAGAIN -> ": the collector accepted no connection within " + timeout.toMillis()
                + " ms (EAGAIN, its backlog is full)";
            default -> ": cannot connect: " + Errno.describe(errno);
        });
    }

    private static void sendPid(int socket, String origin, Duration timeout) throws UserEventsUnavailableException {
        byte[] line = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        Memory buffer = new Memory(line.length);
        buffer.write(0, line, 0, line.length);
        long sent;
        try {
            do {
                sent = Libc.send(socket, Pointer.nativeValue(buffer), line.length, Libc.MSG_NOSIGNAL);
            } while (sent < 0 && Libc.errno() == Errno.EINTR);
        } finally {
            Reference.reachabilityFence(buffer);
        }
        if (sent != line.length) {
            throw fail(origin + ": cannot send this process's id: "
                + (sent < 0 ? Errno.describe(Libc.errno()) : "only " + sent + " of " + line.length + " bytes in "
                + timeout.toMillis() + " ms"));
        }
    }

    private static int receiveDescriptor(int socket, String origin, Duration timeout)
            throws UserEventsUnavailableException {
        Memory data = new Memory(ANSWER_LENGTH);
        Memory iov = new Memory(IOVEC_LENGTH);
        iov.setLong(0, Pointer.nativeValue(data));
        iov.setLong(8, ANSWER_LENGTH);
        Memory control = new Memory(CONTROL_LENGTH);
        control.clear();
        Memory message = new Memory(MSGHDR_LENGTH);
        message.clear();
        message.setLong(MSG_IOV_OFFSET, Pointer.nativeValue(iov));
        message.setLong(MSG_IOVLEN_OFFSET, 1);
        message.setLong(MSG_CONTROL_OFFSET, Pointer.nativeValue(control));
        message.setLong(MSG_CONTROLLEN_OFFSET, CONTROL_LENGTH);
        long received;
        do {
            received = Libc.recvmsg(socket, Pointer.nativeValue(message), Libc.MSG_CMSG_CLOEXEC);
        } while (received < 0 && Libc.errno() == Errno.EINTR);
        try {
            if (received < 0) {
                int errno = Libc.errno();
                throw fail(origin + (errno == Errno.EAGAIN
                    ? ": no answer within " + timeout.toMillis() + " ms; the collector must answer this process's id"
                        + " with a descriptor of user_events_data (SCM_RIGHTS)"
                    : ": cannot receive: " + Errno.describe(errno)));
            }
            int[] descriptors = descriptors(control, message.getLong(MSG_CONTROLLEN_OFFSET));
            for (int i = 1; i < descriptors.length; i++) {
                Libc.close(descriptors[i]); // one is all the agent uses
            }
            if (descriptors.length == 0) {
                String said = new String(data.getByteArray(0, (int) received), StandardCharsets.UTF_8).trim();
                boolean truncated = (message.getInt(MSG_FLAGS_OFFSET) & Libc.MSG_CTRUNC) != 0;
                throw fail(origin + ": the collector answered without a descriptor"
                    + (received == 0 ? " (closed the connection)" : ": '" + said + "'")
                    + (truncated ? " (ancillary data cut: more than 8 descriptors?)" : "")
                    + "; it must send one descriptor of user_events_data with SCM_RIGHTS");
            }
            return descriptors[0];
        } finally {
            Reference.reachabilityFence(data);
            Reference.reachabilityFence(iov);
            Reference.reachabilityFence(control);
            Reference.reachabilityFence(message);
        }
    }

    /** The descriptors of the first {@code SCM_RIGHTS} control message in {@code control}, {@code length} bytes used. */
    static int[] descriptors(Memory control, long length) {
        if (length < CMSG_DATA_OFFSET) {
            return new int[0];
        }
        long cmsgLength = control.getLong(0);
        if (control.getInt(CMSG_LEVEL_OFFSET) != Libc.SOL_SOCKET || control.getInt(CMSG_TYPE_OFFSET) != Libc.SCM_RIGHTS
                || cmsgLength < CMSG_DATA_OFFSET || cmsgLength > length) {
            return new int[0];
        }
        int count = (int) ((cmsgLength - CMSG_DATA_OFFSET) / 4);
        int[] descriptors = new int[count];
        for (int i = 0; i < count; i++) {
            descriptors[i] = control.getInt(CMSG_DATA_OFFSET + 4L * i);
        }
        return descriptors;
    }

    private static UserEventsUnavailableException fail(String message) {
        return new UserEventsUnavailableException(UserEventsUnavailableException.Reason.BAD_DESCRIPTOR, message);
    }
}
