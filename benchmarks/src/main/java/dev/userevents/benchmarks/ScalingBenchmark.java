package dev.userevents.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * Two threads emitting at once against one: enabled probes (mode=devnull, host) should scale with the
 * cores, since threads share nothing on the way but the buffer pool and the probe's counter. Throughput of
 * all threads together; the target is two threads at 1.8x one thread or better. {@code write_floor
 * --threads 2} shows what the machine itself allows; the {@code *Sink*} benchmarks (no agent) show what the
 * write path alone allows, with one descriptor shared by both threads as in the agent. The default sink is
 * the fastest the JDK has (downcall on JDK 22+, pwrite before).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScalingBenchmark {

    /**
     * {@code @Tracepoint}, default sink, one thread: the baseline of {@link #defaultTwoThreads}.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Threads(1)
    @Fork(jvmArgsAppend = Forks.DEVNULL_DEFAULT)
    public long defaultOneThread(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * {@code @Tracepoint}, default sink, two threads at once; against {@link #defaultOneThread}.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Threads(2)
    @Fork(jvmArgsAppend = Forks.DEVNULL_DEFAULT)
    public long defaultTwoThreads(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * {@code @Tracepoint}, sink=jna, one thread: the baseline of {@link #jnaTwoThreads}.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Threads(1)
    @Fork(jvmArgsAppend = Forks.DEVNULL_JNA)
    public long jnaOneThread(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * {@code @Tracepoint}, sink=jna, two threads at once; against {@link #jnaOneThread}.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Threads(2)
    @Fork(jvmArgsAppend = Forks.DEVNULL_JNA)
    public long jnaTwoThreads(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * {@code @Tracepoint}, sink=channel, one thread: the baseline of {@link #channelTwoThreads}.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Threads(1)
    @Fork(jvmArgsAppend = Forks.DEVNULL_CHANNEL)
    public long channelOneThread(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * {@code @Tracepoint}, sink=channel, two threads at once; against {@link #channelOneThread}.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Threads(2)
    @Fork(jvmArgsAppend = Forks.DEVNULL_CHANNEL)
    public long channelTwoThreads(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * The JDK's pwrite stub alone, no agent, one thread: the baseline of {@link #pwriteSinkTwoThreads}.
     *
     * @param devNull the sinks, on one /dev/null descriptor shared by all threads
     * @param event the encoded event, this thread's
     * @return the sink's result: bytes written, or a negative error
     */
    @Benchmark
    @Threads(1)
    @Fork(jvmArgsAppend = {Forks.NO_AGENT, Forks.CHANNEL_ACCESS, Forks.CHANNEL_EXPORT})
    public long pwriteSinkOneThread(SinkBenchmark.DevNull devNull, SinkBenchmark.Event event) {
        return devNull.pwrite.write(event.buffer, event.address, SinkBenchmark.EVENT_BYTES);
    }

    /**
     * The JDK's pwrite stub alone, two threads on one descriptor; against {@link #pwriteSinkOneThread}.
     *
     * @param devNull the sinks, on one /dev/null descriptor shared by all threads
     * @param event the encoded event, this thread's
     * @return the sink's result: bytes written, or a negative error
     */
    @Benchmark
    @Threads(2)
    @Fork(jvmArgsAppend = {Forks.NO_AGENT, Forks.CHANNEL_ACCESS, Forks.CHANNEL_EXPORT})
    public long pwriteSinkTwoThreads(SinkBenchmark.DevNull devNull, SinkBenchmark.Event event) {
        return devNull.pwrite.write(event.buffer, event.address, SinkBenchmark.EVENT_BYTES);
    }

    /**
     * FileChannel alone, no agent, one thread: the baseline of {@link #channelSinkTwoThreads}.
     *
     * @param devNull the sinks, on one /dev/null descriptor shared by all threads
     * @param event the encoded event, this thread's
     * @return the sink's result: bytes written, or a negative error
     */
    @Benchmark
    @Threads(1)
    @Fork(jvmArgsAppend = {Forks.NO_AGENT, Forks.CHANNEL_ACCESS, Forks.CHANNEL_EXPORT})
    public long channelSinkOneThread(SinkBenchmark.DevNull devNull, SinkBenchmark.Event event) {
        return devNull.channel.write(event.buffer, event.address, SinkBenchmark.EVENT_BYTES);
    }

    /**
     * FileChannel alone, two threads on one descriptor; against {@link #channelSinkOneThread}.
     *
     * @param devNull the sinks, on one /dev/null descriptor shared by all threads
     * @param event the encoded event, this thread's
     * @return the sink's result: bytes written, or a negative error
     */
    @Benchmark
    @Threads(2)
    @Fork(jvmArgsAppend = {Forks.NO_AGENT, Forks.CHANNEL_ACCESS, Forks.CHANNEL_EXPORT})
    public long channelSinkTwoThreads(SinkBenchmark.DevNull devNull, SinkBenchmark.Event event) {
        return devNull.channel.write(event.buffer, event.address, SinkBenchmark.EVENT_BYTES);
    }
}
