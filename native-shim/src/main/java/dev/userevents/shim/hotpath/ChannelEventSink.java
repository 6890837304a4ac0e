package dev.userevents.shim.hotpath;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Writes through the JDK's {@code FileChannel} on a file descriptor opened elsewhere (write indexes
 * belong to the open file that registered them, so the channel must share that descriptor).
 *
 * <p>A positional write at offset 0 ({@code pwrite}) skips the channel's position lock;
 * {@code user_events_write()} accepts only position 0. The channel is made uninterruptible: an
 * interrupted application thread must not close the channel every probe shares.
 *
 * <p>Needs {@code java.io} opened and {@code sun.nio.ch} exported to this module (the agent grants both
 * with {@code Instrumentation.redefineModule}); {@link #wrap(int)} answers null when it cannot.
 */
public final class ChannelEventSink implements EventSink {
    private final FileChannel channel;
    private final EventSink errnoSource;

    private ChannelEventSink(FileChannel channel, EventSink errnoSource) {
        this.channel = channel;
        this.errnoSource = errnoSource;
    }

    /** A sink over {@code fd} (not owned: closing it is the opener's job), or null when the JDK refuses. */
    public static ChannelEventSink wrap(int fd) {
        return wrap(fd, null);
    }

    /**
     * The same, with a sink that writes to the same descriptor and reports errno ({@code write()} through
     * JNA). A channel's IOException carries no errno, and the probe must tell EBADF (the tracer left: the
     * kernel turns the tracepoint off a moment before it clears the enable bit) from a real failure; the
     * failed write is then repeated once through {@code errnoSource}, whose result, success or -errno, counts.
     */
    public static ChannelEventSink wrap(int fd, EventSink errnoSource) {
        try {
            FileDescriptor descriptor = new FileDescriptor();
            Field fdField = FileDescriptor.class.getDeclaredField("fd");
            fdField.setAccessible(true);
            fdField.setInt(descriptor, fd);
            @SuppressWarnings("resource")
            FileChannel channel = new FileOutputStream(descriptor).getChannel();
            Method uninterruptible = channel.getClass().getMethod("setUninterruptible");
            uninterruptible.invoke(channel);
            return new ChannelEventSink(channel, errnoSource);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public long write(ByteBuffer buffer, long address, int length) {
        try {
            buffer.limit(length).position(0);
            return channel.write(buffer, 0);
        } catch (IOException | RuntimeException e) {
            return errnoSource == null ? UNKNOWN_ERROR : errnoSource.write(buffer, address, length);
        }
    }

    @Override
    public String name() {
        return "channel";
    }
}
