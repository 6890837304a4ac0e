package dev.userevents.shim;

import dev.userevents.shim.hotpath.ChannelEventSink;
import dev.userevents.shim.hotpath.Errno;
import dev.userevents.shim.hotpath.EventSink;
import java.nio.ByteBuffer;

/**
 * Writes every event to {@code /dev/null} with the same libc {@code write()} the real sink uses: the
 * agent's "devnull" mode, which measures our own encoding and system-call overhead on any kernel.
 */
public final class DevNullEventSink implements EventSink {
    private final int fd;

    private DevNullEventSink(int fd) {
        this.fd = fd;
    }

    /**
     * Opens {@code /dev/null} for writing ({@code O_RDWR | O_CLOEXEC}). The descriptor stays open for the life
     * of the process.
     *
     * @return a sink whose every write succeeds with the full length
     * @throws IllegalStateException if {@code open()} fails; the message carries the errno
     */
    public static DevNullEventSink open() {
        int fd = Libc.open("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("cannot open /dev/null: " + Errno.describe(Libc.errno()));
        }
        return new DevNullEventSink(fd);
    }

    /**
     * The descriptor, for wrapping in a {@link ChannelEventSink}.
     *
     * @return the open descriptor of {@code /dev/null}, owned by this sink
     */
    public int fd() {
        return fd;
    }

    @Override
    public long write(ByteBuffer buffer, long address, int length) {
        long written = Libc.write(fd, address, length);
        return written >= 0 ? written : -Libc.errno();
    }

    @Override
    public String name() {
        return "jna-devnull";
    }
}
