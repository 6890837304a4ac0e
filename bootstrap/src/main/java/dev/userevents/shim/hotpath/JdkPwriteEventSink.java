package dev.userevents.shim.hotpath;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Writes through the JDK's own JNI stub for {@code pwrite(2)}, {@code sun.nio.ch.FileDispatcherImpl.pwrite0}
 * (JDK 17; {@code UnixFileDispatcherImpl} from JDK 21): the call {@code FileChannel.write(buffer, 0)} ends in,
 * without the channel's bookkeeping around it (a monitor entered twice for its thread set, a second JNI
 * call for the native thread id, open checks). Those exist to let {@code close()} signal blocked threads;
 * this descriptor is never closed while probes write, and a write to user_events_data never blocks.
 *
 * <p>The fastest write() on JDK 17 to 21, where {@link DowncallEventSink} is not available. Needs
 * {@code java.io} and {@code sun.nio.ch} opened to this module (the agent grants both with
 * {@code Instrumentation.redefineModule} before the first sink is made); {@link #wrap} answers null
 * when the JDK refuses or lacks the stub.
 */
public final class JdkPwriteEventSink implements EventSink {
    /** pwrite0(FileDescriptor, long address, int length, long position) -> int; null where unavailable. */
    private static final @Nullable MethodHandle PWRITE = findPwrite();

    private final FileDescriptor descriptor;
    private final @Nullable EventSink errnoSource;

    private JdkPwriteEventSink(FileDescriptor descriptor, @Nullable EventSink errnoSource) {
        this.descriptor = descriptor;
        this.errnoSource = errnoSource;
    }

    /**
     * A sink over {@code fd} (not owned), or null when the JDK refuses. {@code errnoSource} writes to the same
     * descriptor and reports errno: the stub's IOException carries only a message, so a failed write is
     * repeated once through it to tell EBADF (the tracer left) from a real failure.
     *
     * @param fd          an open descriptor of {@code user_events_data}; not owned: closing it stays the opener's job
     * @param errnoSource a sink on the same descriptor that answers -errno, or null to report
     *                    {@link EventSink#UNKNOWN_ERROR} for a failed write
     * @return the sink, or null when the JDK lacks the {@code pwrite0} stub or refuses access to it or to
     *     {@code FileDescriptor}
     */
    public static @Nullable JdkPwriteEventSink wrap(int fd, @Nullable EventSink errnoSource) {
        if (PWRITE == null) {
            return null;
        }
        try {
            return new JdkPwriteEventSink(FileDescriptors.of(fd), errnoSource);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static @Nullable MethodHandle findPwrite() {
        MethodType type = MethodType.methodType(int.class, FileDescriptor.class, long.class, int.class, long.class);
        for (String name : new String[] {"sun.nio.ch.UnixFileDispatcherImpl", "sun.nio.ch.FileDispatcherImpl"}) {
            try {
                Class<?> dispatcher = Class.forName(name, false, null);
                return MethodHandles.privateLookupIn(dispatcher, MethodHandles.lookup()).findStatic(dispatcher, "pwrite0", type);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // not this JDK's class, or the package is not opened to us: try the next, else null
            }
        }
        return null;
    }

    @Override
    @SuppressWarnings("NullAway") // PWRITE is not null: wrap() makes no sink without it
    public long write(ByteBuffer buffer, long address, int length) {
        int written;
        try {
            // Position 0: user_events_write() refuses any other offset, and /dev/null ignores it.
            written = (int) PWRITE.invokeExact(descriptor, address, length, 0L);
        } catch (IOException e) {
            written = -1;
        } catch (VirtualMachineError e) {
            throw e; // a stack overflow in the call: the caller counts a dropped event, not a missing tracer
        } catch (Throwable e) {
            return UNKNOWN_ERROR;
        }
        // -1: the stub threw; -2/-3: EAGAIN/EINTR, which it reports as numbers. Ask errno of a repeat.
        return EventSink.writtenOrErrno(written, errnoSource, buffer, address, length);
    }

    @Override
    public String name() {
        return "pwrite";
    }
}
