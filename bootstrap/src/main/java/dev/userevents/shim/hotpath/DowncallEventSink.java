package dev.userevents.shim.hotpath;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Writes with libc {@code write()} through a Foreign Function and Memory API downcall (JDK 22+): the
 * cheapest way from Java into a system call, close to C's own. The handle is made where native access is
 * granted ({@code dev.userevents.shim.ForeignWrite}, in the agent's module) and handed in; this class only
 * calls it, so it compiles against JDK 17.
 *
 * <p>All sinks call the same function, so the first handle offered is kept in a static final field, which
 * the JIT treats as a constant and can inline the downcall into the probe.
 */
public final class DowncallEventSink implements EventSink {
    /** {@code ssize_t write(int fd, const void *buf, size_t count)} with the pointer passed as a long. */
    public static final MethodType WRITE_TYPE = MethodType.methodType(long.class, int.class, long.class, long.class);

    /** The first handle {@link #wrap} was given; null until then. */
    private static volatile @Nullable MethodHandle offered;

    private final int fd;
    private final @Nullable EventSink errnoSource;

    private DowncallEventSink(int fd, @Nullable EventSink errnoSource) {
        this.fd = fd;
        this.errnoSource = errnoSource;
    }

    /**
     * A sink over {@code fd} (not owned) calling {@code write}, a handle of {@link #WRITE_TYPE} on libc
     * {@code write()}. {@code errnoSource} writes to the same descriptor and reports errno: a failed write is
     * repeated once through it to tell EBADF (the tracer left) from a real failure.
     *
     * @param write       a handle on libc {@code write()} of type {@link #WRITE_TYPE}; only the first one offered
     *                    in this JVM is ever called (they all call the same function)
     * @param fd          an open descriptor of {@code user_events_data}; not owned: closing it stays the opener's job
     * @param errnoSource a sink on the same descriptor that answers -errno, or null to report
     *                    {@link EventSink#UNKNOWN_ERROR} for a failed write
     * @return a new sink on {@code fd}, calling the first handle offered in this JVM
     * @throws IllegalArgumentException when {@code write}'s type is not {@link #WRITE_TYPE}
     */
    public static DowncallEventSink wrap(MethodHandle write, int fd, @Nullable EventSink errnoSource) {
        if (!write.type().equals(WRITE_TYPE)) {
            throw new IllegalArgumentException("write() handle of type " + write.type() + ", expected " + WRITE_TYPE);
        }
        synchronized (DowncallEventSink.class) {
            if (offered == null) {
                offered = write;
            }
        }
        return new DowncallEventSink(fd, errnoSource);
    }

    /** Initialized at the first write, after {@link #wrap} offered a handle. */
    private static final class Write {
        // Not null: write() is the first use of Write, on a sink, and wrap() makes sinks only after setting offered.
        @SuppressWarnings("NullAway")
        static final MethodHandle HANDLE = offered;
    }

    @Override
    public long write(ByteBuffer buffer, long address, int length) {
        long written;
        try {
            written = (long) Write.HANDLE.invokeExact(fd, address, (long) length);
        } catch (VirtualMachineError e) {
            throw e; // a stack overflow in the call: the caller counts a dropped event, not a missing tracer
        } catch (Throwable e) {
            return UNKNOWN_ERROR;
        }
        return EventSink.writtenOrErrno(written, errnoSource, buffer, address, length);
    }

    @Override
    public String name() {
        return "downcall";
    }
}
