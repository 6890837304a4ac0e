package dev.userevents.shim.hotpath;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Where encoded events go: one call is one {@code write()} system call of one event. Implementations
 * never throw and never allocate on success.
 */
public interface EventSink {
    /** Returned when a write failed and the errno is not known (a JDK channel reports no errno). */
    long UNKNOWN_ERROR = Long.MIN_VALUE; // outside -4095..-1, the range of -errno

    /**
     * Writes {@code length} bytes that start at {@code buffer}'s index 0, which is native memory at
     * {@code address}, as one event: the kernel's {@code user_events_write()} takes them at file position 0.
     *
     * @param buffer  a direct buffer holding the event ({@code [u32 write_index][fields]}); sinks that go
     *                through the JDK use it, and may move its position and limit
     * @param address the native address of {@code buffer}'s index 0; sinks that call {@code write()} use it
     * @param length  bytes to write, from index 0, at most {@code buffer}'s capacity
     * @return the bytes written, {@code -errno} (-4095..-1), or {@link #UNKNOWN_ERROR} when the write failed
     *     and the sink cannot tell why
     * @throws VirtualMachineError a stack overflow or out of memory on the way (the write may or may not
     *     have happened): passed on, so the caller counts a dropped event, never a write that found no tracer
     */
    long write(ByteBuffer buffer, long address, int length);

    /**
     * What a JDK-side sink reports for a write that returned {@code written}: that count when it succeeded;
     * else the result of repeating the write once through {@code errnoSource} (the same descriptor through
     * JNA, which answers -errno), since those sinks learn no errno; else {@link #UNKNOWN_ERROR}.
     *
     * @param written     what the JDK-side write answered: a byte count, or negative when it failed
     * @param errnoSource a sink on the same descriptor that answers -errno, or null
     * @param buffer      the event, as given to {@link #write}
     * @param address     its native address, as given to {@link #write}
     * @param length      its length in bytes, as given to {@link #write}
     * @return {@code written} when not negative; else {@code errnoSource}'s answer (bytes written or -errno),
     *     or {@link #UNKNOWN_ERROR} without one
     */
    static long writtenOrErrno(long written, @Nullable EventSink errnoSource, ByteBuffer buffer, long address,
                               int length) {
        if (written >= 0) {
            return written;
        }
        return errnoSource == null ? UNKNOWN_ERROR : errnoSource.write(buffer, address, length);
    }

    /** {@return a short name for logs and status ("jna", "channel")} */
    String name();
}
