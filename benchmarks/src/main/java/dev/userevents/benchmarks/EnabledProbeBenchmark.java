package dev.userevents.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * "An enabled probe costs the system call and little more": every call of {@link Orders#place} encodes
 * its int, long and 16-character string and writes one event. The floor is {@code write_floor} (C), run
 * by {@code benchmarks/run.sh} beside these: the same payload, the same write() per call.
 *
 * <ul>
 *   <li>Host, any kernel: {@code devnull*} write to /dev/null, which isolates our own overhead.</li>
 *   <li>Guest kernel with user_events ({@code vm/run.sh}), as root: {@code kernel*} enable
 *       {@code bench_order} through tracefs, so ftrace records each event.</li>
 * </ul>
 * Run with {@code -prof gc}: an enabled probe should allocate nothing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EnabledProbeBenchmark {

    /**
     * The method itself, untraced: what every row below adds to.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.NO_AGENT)
    public long noAgent(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * Host: encode and write to /dev/null through the default sink (downcall on JDK 22+, else pwrite).
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DEVNULL_DEFAULT)
    public long devnullDefault(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * Host: as {@link #devnullDefault}, the event in EventHeader layout ({@code format=eventheader}): the probe's
     * precomputed header and metadata copied after the write index, then the fields, the string counted.
     * Compare with {@link #devnullDefault}.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DEVNULL_EVENTHEADER)
    public long devnullEventHeader(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * Host: an on-demand candidate whose event is enabled from the start ({@code mode=devnull}): woven by the
     * poll thread during warm-up, then the same probe as {@link #devnullDefault}. Compare with it.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DEVNULL_CANDIDATE)
    public long devnullCandidate(Order order) {
        return Orders.placeCandidate(order.id, order.cents, order.customer);
    }

    /**
     * Host: as {@link #devnullDefault}, the event ending with the thread context ({@code context=thread}:
     * {@code java_tid} s64 and {@code virtual} u8). Compare with {@link #devnullDefault}.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DEVNULL_THREAD_CONTEXT)
    public long devnullThreadContext(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * Host: {@link Orders#placeWithStack}, the event ending with at most 1 frame(s) of the calling stack.
     * Compare with {@link #devnullDefault}: the difference is the stack's cost at this depth.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DEVNULL_STACK_1)
    public long devnullStack1(Order order) {
        return Orders.placeWithStack(order.id, order.cents, order.customer);
    }

    /**
     * Host: {@link Orders#placeWithStack}, the event ending with at most 8 frame(s) of the calling stack.
     * Compare with {@link #devnullDefault}: the difference is the stack's cost at this depth.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DEVNULL_STACK_8)
    public long devnullStack8(Order order) {
        return Orders.placeWithStack(order.id, order.cents, order.customer);
    }

    /**
     * Host: {@link Orders#placeWithStack}, the event ending with at most 32 frame(s) of the calling stack.
     * Compare with {@link #devnullDefault}: the difference is the stack's cost at this depth.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DEVNULL_STACK_32)
    public long devnullStack32(Order order) {
        return Orders.placeWithStack(order.id, order.cents, order.customer);
    }

    /**
     * Host: as {@link #devnullDefault}, inside a current OpenTelemetry span, the event carrying its
     * {@code trace_id} and {@code span_id} ({@code context=otel}, read by the woven code). Compare with
     * {@link #devnullDefault}.
     *
     * @param order the call's arguments
     * @param span  the span current on this thread
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DEVNULL_OTEL)
    public long devnullOtel(Order order, CurrentSpan span) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * Host: both contexts ({@code context=thread;otel}) inside a current span: the context issue's bar is
     * at most 50 ns over {@link #devnullDefault}.
     *
     * @param order the call's arguments
     * @param span  the span current on this thread
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DEVNULL_THREAD_AND_OTEL)
    public long devnullThreadAndOtel(Order order, CurrentSpan span) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * Host: encode and write to /dev/null with libc write() through JNA.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DEVNULL_JNA)
    public long devnullJna(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * Host: encode and write to /dev/null through the JDK's FileChannel.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DEVNULL_CHANNEL)
    public long devnullChannel(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * Guest: the event enabled in the kernel, written to user_events_data through the default sink.
     *
     * @param tracing {@code bench_order} enabled through tracefs for the trial
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.KERNEL_DEFAULT)
    public long kernelDefault(TracefsEnabled tracing, Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * Guest: the event enabled in the kernel, written to user_events_data through JNA.
     *
     * @param tracing {@code bench_order} enabled through tracefs for the trial
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.KERNEL_JNA)
    public long kernelJna(TracefsEnabled tracing, Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * Guest: the event enabled in the kernel, written to user_events_data through FileChannel.
     *
     * @param tracing {@code bench_order} enabled through tracefs for the trial
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.KERNEL_CHANNEL)
    public long kernelChannel(TracefsEnabled tracing, Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * The JFR counterpart: the same three fields committed to a running in-memory recording.
     *
     * @param recording the recording running for the trial
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.NO_AGENT)
    public long jfrEnabled(JfrRecordings.OrderEventOn recording, Order order) {
        return Orders.placeJfr(order.id, order.cents, order.customer);
    }
}
