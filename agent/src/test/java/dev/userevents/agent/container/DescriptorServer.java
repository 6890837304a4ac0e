package dev.userevents.agent.container;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The collector's side of the agent's descriptor hand-over ({@code dev.userevents.shim.DataSocket}), written
 * for the tests from unix(7): listens on a Unix stream socket; for each connection reads the agent's line (its
 * pid) and answers as told: with a descriptor of a file it opened itself ({@code SCM_RIGHTS}, one byte of
 * data), with text and no descriptor, or not at all. One thread; {@link #close()} stops it.
 */
public final class DescriptorServer implements AutoCloseable {
    public static final int O_WRONLY = 0x1;
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int SHUT_RDWR = 2;
    private static final int MSG_NOSIGNAL = 0x4000;

    static {
        Native.register(NativeLibrary.getInstance("c"));
    }

    private static native int socket(int domain, int type, int protocol);

    private static native int bind(int fd, long address, int length);

    private static native int listen(int fd, int backlog);

    private static native int accept(int fd, long address, long length);

    private static native long read(int fd, long buffer, long count);

    private static native long sendmsg(int fd, long message, int flags);

    private static native int shutdown(int fd, int how);

    private static native int open(String path, int flags);

    private static native int close(int fd);

    /** How the server answers a connection. */
    enum Answer {
        /** One byte and the descriptor of the file. */
        DESCRIPTOR,
        /** The refusal text, no descriptor. */
        TEXT,
        /** Nothing: reads the pid and keeps the connection open until the server closes. */
        SILENCE
    }

    private final Path socketPath;
    private final int listening;
    private final int served;
    private final Answer answer;
    private final String text;
    private final List<String> linesReceived = new ArrayList<>();
    private final List<Integer> connections = new ArrayList<>();
    private final Thread thread;

    private DescriptorServer(Path socketPath, int served, Answer answer, String text) {
        this.socketPath = socketPath;
        this.served = served;
        this.answer = answer;
        this.text = text;
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        listening = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        byte[] path = socketPath.toString().getBytes(StandardCharsets.UTF_8);
        Memory address = new Memory(110);
        address.clear();
        address.setShort(0, (short) AF_UNIX);
        address.write(2, path, 0, path.length);
        if (listening < 0 || bind(listening, Pointer.nativeValue(address), 2 + path.length + 1) < 0
                || listen(listening, 8) < 0) {
            throw new IllegalStateException("cannot listen on " + socketPath + ": errno " + Native.getLastError());
        }
        socketPath.toFile().setWritable(true, false); // the agent may run as another user
        thread = new Thread(this::serve, "descriptor-server");
        thread.setDaemon(true);
        thread.start();
    }

    /** Serves a descriptor of {@code file}, opened once with {@code flags} (and O_CLOEXEC). */
    public static DescriptorServer serving(Path socketPath, Path file, int flags) {
        int fd = open(file.toString(), flags | O_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("cannot open " + file + ": errno " + Native.getLastError());
        }
        return new DescriptorServer(socketPath, fd, Answer.DESCRIPTOR, "");
    }

    /** Answers every connection with {@code text} and no descriptor. */
    public static DescriptorServer refusing(Path socketPath, String text) {
        return new DescriptorServer(socketPath, -1, Answer.TEXT, text);
    }

    /** Accepts connections and never answers. */
    public static DescriptorServer silent(Path socketPath) {
        return new DescriptorServer(socketPath, -1, Answer.SILENCE, "");
    }

    private void serve() {
        Memory buffer = new Memory(64);
        while (true) {
            int connection = accept(listening, 0, 0);
            if (connection < 0) {
                return; // shut down
            }
            synchronized (this) {
                connections.add(connection);
            }
            long read = read(connection, Pointer.nativeValue(buffer), 64);
            synchronized (this) {
                linesReceived.add(read <= 0 ? "" : new String(buffer.getByteArray(0, (int) read), StandardCharsets.US_ASCII));
            }
            switch (answer) {
                case DESCRIPTOR -> send(connection, "\0", served);
                case TEXT -> send(connection, text, -1);
                case SILENCE -> {
                    continue; // kept open until close()
                }
            }
            synchronized (this) {
                connections.remove((Integer) connection);
            }
            close(connection);
        }
    }

    /** {@code sendmsg} of {@code data}, with one descriptor in {@code SCM_RIGHTS} unless it is negative. */
    private static void send(int connection, String data, int descriptor) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        Memory payload = new Memory(Math.max(1, bytes.length));
        payload.write(0, bytes, 0, bytes.length);
        Memory iov = new Memory(16);
        iov.setLong(0, Pointer.nativeValue(payload));
        iov.setLong(8, bytes.length);
        Memory control = new Memory(24); // CMSG_SPACE(sizeof(int))
        control.clear();
        control.setLong(0, 20); // CMSG_LEN(sizeof(int))
        control.setInt(8, SOL_SOCKET);
        control.setInt(12, SCM_RIGHTS);
        control.setInt(16, descriptor);
        Memory message = new Memory(56);
        message.clear();
        message.setLong(16, Pointer.nativeValue(iov));
        message.setLong(24, 1);
        if (descriptor >= 0) {
            message.setLong(32, Pointer.nativeValue(control));
            message.setLong(40, 24);
        }
        sendmsg(connection, Pointer.nativeValue(message), MSG_NOSIGNAL);
    }

    /** The lines connections sent, in order: the agents' pids and their newlines. */
    public synchronized List<String> linesReceived() {
        return new ArrayList<>(linesReceived);
    }

    public Path path() {
        return socketPath;
    }

    @Override
    public void close() throws InterruptedException {
        shutdown(listening, SHUT_RDWR); // wakes accept()
        thread.join(5_000);
        close(listening);
        synchronized (this) {
            for (int connection : connections) {
                close(connection);
            }
            connections.clear();
        }
        if (served >= 0) {
            close(served);
        }
        socketPath.toFile().delete();
    }
}
