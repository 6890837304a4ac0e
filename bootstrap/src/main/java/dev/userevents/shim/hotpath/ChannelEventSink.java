package dev.userevents.shim.hotpath;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.jspecify.annotations.Nullable;

/**
 * Writes through the JDK's {@code FileChannel} on a file descriptor opened elsewhere (write indexes
 * belong to the open file that registered them, so the channel must share that descriptor). The portable
 * fallback when neither {@link DowncallEventSink} nor {@link JdkPwriteEventSink} can be made.
 *
 * <p>A positional write at offset 0 ({@code pwrite}) skips the channel's position lock;
 * {@code user_events_write()} accepts only position 0. The channels are made uninterruptible: an
 * interrupted application thread must not close a channel every probe shares.
 *
 * <p>Every write still enters the channel's thread set, a monitor, twice: with one channel two threads
 * writing at once ran slower together than one alone. So there are several channels over the same
 * descriptor, picked by thread id, and threads rarely meet on one.
 *
 * <p>Needs {@code java.io} opened and {@code sun.nio.ch} exported to this module (the agent grants both
 * with {@code Instrumentation.redefineModule}); {@link #wrap(int)} answers null when it cannot.
 */
public final class ChannelEventSink implements EventSink {
    private final FileChannel[] channels;
    private final int mask;
    private final @Nullable EventSink errnoSource;

    private ChannelEventSink(FileChannel[] channels, @Nullable EventSink errnoSource) {
        this.channels = channels;
        this.mask = channels.length - 1;
        this.errnoSource = errnoSource;
    }

    /**
     * A sink over {@code fd} with no errno source: a failed write reports {@link EventSink#UNKNOWN_ERROR}.
     *
     * @param fd an open descriptor of {@code user_events_data}; not owned: closing it stays the opener's job
     * @return the sink, or null when the JDK refuses a channel on {@code fd} (the module access above is missing)
     */
    public static @Nullable ChannelEventSink wrap(int fd) {
        return wrap(fd, null);
    }

    /**
     * A sink over {@code fd} with an errno source: a sink that writes to the same descriptor and reports
     * errno ({@code write()} through JNA). A channel's IOException carries no errno, and the probe must tell
     * EBADF (the tracer left: the kernel turns the tracepoint off a moment before it clears the enable bit)
     * from a real failure; the failed write is then repeated once through {@code errnoSource}, whose result,
     * success or -errno, counts.
     *
     * @param fd          an open descriptor of {@code user_events_data}; not owned
     * @param errnoSource a sink on the same descriptor that answers -errno, or null to report
     *                    {@link EventSink#UNKNOWN_ERROR} for every failed write
     * @return the sink, or null when the JDK refuses a channel on {@code fd}
     */
    public static @Nullable ChannelEventSink wrap(int fd, @Nullable EventSink errnoSource) {
        try {
            FileChannel[] channels = new FileChannel[stripes()];
            for (int i = 0; i < channels.length; i++) {
                channels[i] = uninterruptibleChannel(fd);
            }
            return new ChannelEventSink(channels, errnoSource);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** A power of two, at least twice the processors, so threads on different CPUs seldom share one. */
    private static int stripes() {
        int wanted = Math.max(2, Math.min(64, 2 * Runtime.getRuntime().availableProcessors()));
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    private static FileChannel uninterruptibleChannel(int fd) throws ReflectiveOperationException {
        // A FileOutputStream built on a FileDescriptor registers no cleaner, and the channel's parent is
        // that stream, so neither ever closes the descriptor.
        FileDescriptor descriptor = FileDescriptors.of(fd);
        @SuppressWarnings("resource")
        FileChannel channel = new FileOutputStream(descriptor).getChannel();
        Method uninterruptible = channel.getClass().getMethod("setUninterruptible");
        uninterruptible.invoke(channel);
        return channel;
    }

    @Override
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() needs JDK 19; both are the same value.
    public long write(ByteBuffer buffer, long address, int length) {
        try {
            buffer.limit(length).position(0);
            return channels[(int) Thread.currentThread().getId() & mask].write(buffer, 0);
        } catch (IOException | RuntimeException e) {
            return EventSink.writtenOrErrno(-1, errnoSource, buffer, address, length);
        }
    }

    @Override
    public String name() {
        return "channel";
    }
}
