package dev.userevents.benchmarks;

import dev.userevents.shim.DevNullEventSink;
import dev.userevents.shim.ForeignWrite;
import dev.userevents.shim.hotpath.ChannelEventSink;
import dev.userevents.shim.hotpath.DowncallEventSink;
import dev.userevents.shim.hotpath.JdkPwriteEventSink;
import dev.userevents.shim.hotpath.NativeWords;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The write() alone, without the agent: the agent's own sinks, given an already encoded 37-byte event, and
 * {@code FileOutputStream} for comparison. What an enabled probe costs beyond this is encoding; what this
 * costs beyond the C floor is the Java-to-kernel path. {@link ScalingBenchmark} runs the same sinks from two
 * threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = {Forks.NO_AGENT, Forks.CHANNEL_ACCESS, Forks.CHANNEL_EXPORT, Forks.NATIVE_ACCESS})
public class SinkBenchmark {
    /** The size of the benchmarks' event: write index, s32, s64, rel_loc, 16 characters and a NUL. */
    static final int EVENT_BYTES = 37;

    /** One /dev/null descriptor shared by all threads, as the agent shares its one descriptor. */
    @State(Scope.Benchmark)
    public static class DevNull {
        DevNullEventSink jna;
        ChannelEventSink channel;
        JdkPwriteEventSink pwrite;
        FileOutputStream stream;

        /**
         * Opens /dev/null once and wraps its descriptor in each sink; {@code stream} opens it again.
         *
         * @throws IOException if {@code stream} cannot open /dev/null
         * @throws IllegalStateException if /dev/null cannot be opened, or a sink refuses the descriptor (the fork
         *     lacks {@link Forks#CHANNEL_ACCESS} or {@link Forks#CHANNEL_EXPORT})
         */
        @Setup(Level.Trial)
        public void open() throws IOException {
            jna = DevNullEventSink.open();
            ChannelEventSink channelSink = ChannelEventSink.wrap(jna.fd());
            if (channelSink == null) {
                throw new IllegalStateException("ChannelEventSink.wrap refused: the fork needs "
                    + Forks.CHANNEL_ACCESS + " " + Forks.CHANNEL_EXPORT);
            }
            channel = channelSink;
            JdkPwriteEventSink pwriteSink = JdkPwriteEventSink.wrap(jna.fd(), jna);
            if (pwriteSink == null) {
                throw new IllegalStateException("JdkPwriteEventSink.wrap refused: the fork needs " + Forks.CHANNEL_ACCESS
                    + " " + Forks.CHANNEL_EXPORT);
            }
            pwrite = pwriteSink;
            stream = new FileOutputStream("/dev/null");
        }

        /**
         * Closes {@code stream}; the shared descriptor stays open, as the agent's does, until the fork exits.
         *
         * @throws IOException if closing fails
         */
        @TearDown(Level.Trial)
        public void close() throws IOException {
            stream.close();
        }
    }

    /** An encoded event in a direct buffer (as the agent's event records hold it) and in a byte array. */
    @State(Scope.Thread)
    public static class Event {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
        final long address = NativeWords.addressOf(buffer);
        final byte[] bytes = new byte[EVENT_BYTES];
    }

    /**
     * libc write() through JNA direct mapping (the agent's sink=jna).
     *
     * @param devNull the sinks, on one /dev/null descriptor shared by all threads
     * @param event the encoded event, this thread's
     * @return the sink's result: bytes written, or a negative error
     */
    @Benchmark
    public long jna(DevNull devNull, Event event) {
        return devNull.jna.write(event.buffer, event.address, EVENT_BYTES);
    }

    /**
     * FileChannel.write(buffer, 0), i.e. pwrite() (the agent's sink=channel).
     *
     * @param devNull the sinks, on one /dev/null descriptor shared by all threads
     * @param event the encoded event, this thread's
     * @return the sink's result: bytes written, or a negative error
     */
    @Benchmark
    public long channel(DevNull devNull, Event event) {
        return devNull.channel.write(event.buffer, event.address, EVENT_BYTES);
    }

    /**
     * The JDK's JNI stub for pwrite() without FileChannel around it (the agent's sink=pwrite, default before JDK 22).
     *
     * @param devNull the sinks, on one /dev/null descriptor shared by all threads
     * @param event the encoded event, this thread's
     * @return the sink's result: bytes written, or a negative error
     */
    @Benchmark
    public long pwrite(DevNull devNull, Event event) {
        return devNull.pwrite.write(event.buffer, event.address, EVENT_BYTES);
    }

    /**
     * JDK 22+ only. An FFM downcall to libc pwrite() at offset 0 (the agent's sink=downcall, default on JDK 22+).
     *
     * @param downcall the downcall sink and its descriptor
     * @param event the encoded event, this thread's
     * @return the sink's result: bytes written, or a negative error
     */
    @Benchmark
    public long downcall(Downcall downcall, Event event) {
        return downcall.sink.write(event.buffer, event.address, EVENT_BYTES);
    }

    /**
     * JDK 22+ only. The same downcall with {@code Linker.Option.critical}: the thread stays in Java state, no
     * transition to native and back. Shows what the agent would gain by it (it does not use it: a critical call
     * holds up every safepoint for the length of the system call).
     *
     * @param downcall the downcall sink and its descriptor
     * @param event the encoded event, this thread's
     * @return pwrite()'s result: bytes written, or -1
     * @throws Throwable as {@code invokeExact} declares; the linked pwrite() throws nothing
     */
    @Benchmark
    public long downcallCritical(Downcall downcall, Event event) throws Throwable {
        return (long) Critical.WRITE.invokeExact(downcall.fd, event.address, (long) EVENT_BYTES);
    }

    /** A downcall sink over its own /dev/null descriptor (JDK 22+; setup fails on older JDKs). */
    @State(Scope.Benchmark)
    public static class Downcall {
        DowncallEventSink sink;
        int fd;

        /**
         * Opens /dev/null and links the downcall.
         *
         * @throws ReflectiveOperationException if linking fails: libc exports no {@code pwrite}, or native access
         *     is refused
         * @throws UnsupportedOperationException on a JDK older than 22
         * @throws IllegalStateException if /dev/null cannot be opened
         */
        @Setup(Level.Trial)
        public void open() throws ReflectiveOperationException {
            DevNullEventSink devNull = DevNullEventSink.open();
            fd = devNull.fd();
            sink = DowncallEventSink.wrap(ForeignWrite.linkWrite(false), fd, devNull);
        }
    }

    /** A constant handle, as the agent's sink holds its own. */
    static final class Critical {
        static final MethodHandle WRITE;

        static {
            try {
                WRITE = ForeignWrite.linkWrite(true);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /**
     * FileOutputStream.write(byte[]): JNI copies the bytes to the stack and calls write(). Not an agent sink.
     *
     * @param devNull the sinks, on one /dev/null descriptor shared by all threads
     * @param event the encoded event, this thread's
     * @return the array written, for JMH to consume
     * @throws IOException if the write fails
     */
    @Benchmark
    public byte[] fileOutputStream(DevNull devNull, Event event) throws IOException {
        devNull.stream.write(event.bytes, 0, EVENT_BYTES);
        return event.bytes;
    }
}
