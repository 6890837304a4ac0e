package dev.userevents.shim.hotpath;

import java.nio.ByteBuffer;

/**
 * Where encoded events go: one call is one {@code write()} system call of one event. Implementations
 * never throw and never allocate on success.
 */
public interface EventSink {
    /** Returned when a write failed and the errno is not known (a JDK channel reports no errno). */
    long UNKNOWN_ERROR = Long.MIN_VALUE; // outside -4095..-1, the range of -errno

    /**
     * Writes {@code length} bytes that start at {@code buffer}'s index 0, which is native memory at
     * {@code address}. Returns the bytes written, {@code -errno}, or {@link #UNKNOWN_ERROR}.
     *
     * @throws VirtualMachineError a stack overflow or out of memory on the way (the write may or may not
     *     have happened): passed on, so the caller counts a dropped event, never a write that found no tracer
     */
    long write(ByteBuffer buffer, long address, int length);

    /**
     * What a JDK-side sink reports for a write that returned {@code written}: that count when it succeeded;
     * else the result of repeating the write once through {@code errnoSource} (the same descriptor through
     * JNA, which answers -errno), since those sinks learn no errno; else {@link #UNKNOWN_ERROR}.
     */
    static long writtenOrErrno(long written, EventSink errnoSource, ByteBuffer buffer, long address, int length) {
        if (written >= 0) {
            return written;
        }
        return errnoSource == null ? UNKNOWN_ERROR : errnoSource.write(buffer, address, length);
    }

    /** A short name for logs and status ("jna", "channel"). */
    String name();
}
