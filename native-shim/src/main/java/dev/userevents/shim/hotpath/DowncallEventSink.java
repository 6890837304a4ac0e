package dev.userevents.shim.hotpath;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

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

    private static volatile MethodHandle offered;

    private final int fd;
    private final EventSink errnoSource;

    private DowncallEventSink(int fd, EventSink errnoSource) {
        this.fd = fd;
        this.errnoSource = errnoSource;
    }

    /**
     * A sink over {@code fd} (not owned) calling {@code write}, a handle of {@link #WRITE_TYPE} on libc
     * {@code write()}. {@code errnoSource} writes to the same descriptor and reports errno: a failed write is
     * repeated once through it to tell EBADF (the tracer left) from a real failure.
     */
    public static DowncallEventSink wrap(MethodHandle write, int fd, EventSink errnoSource) {
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
