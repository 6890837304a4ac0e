package dev.userevents.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * "A disabled probe costs nothing": the same small method, called as an application calls it, with the
 * tracing switched off in each way we compare. The baseline is {@link #noAgent}; every other benchmark is
 * read as its difference from it. Runs on any kernel.
 *
 * <p>{@link #noAgent}, {@link #agentDry} and {@link #agentKernelWithoutUserEvents} run the very same
 * bytecode, {@link Orders#place}; only the fork's agent differs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DisabledProbeBenchmark {

    /**
     * (a) The baseline: the @Tracepoint method with no agent, i.e. the plain method.
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
     * (b) Woven: the enable word is loaded and tested on every call, and reads 0.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DRY)
    public long agentDry(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * (b'') Woven with an entry and an exit probe, both off: two enable words read at entry, and at the
     * return a call the JIT inlines down to a test of the start time. Compare with (a) and (b).
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DRY)
    public long agentDryWithExit(Order order) {
        return Orders.placeTimed(order.id, order.cents, order.customer);
    }

    /**
     * (b-eh) Woven with {@code format=eventheader}: the check loads the shared tracepoint's enable word
     * ({@code java_L5K1}) instead of the event's own; the same bytecode otherwise, so this must cost what (b) costs.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DRY_EVENTHEADER)
    public long agentDryEventHeader(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * (k) An on-demand candidate that no tracer enabled ({@code mode=dry}: its word never changes): the agent
     * registered it and left its bytecode alone, so this is the plain method. Compare with (a).
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DRY_CANDIDATE)
    public long agentDryCandidate(Order order) {
        return Orders.placeCandidate(order.id, order.cents, order.customer);
    }

    /**
     * (g) Woven with the thread context ({@code context=thread}), off: the context is written only once the
     * event is on, so this must cost what (b) costs.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DRY_THREAD_CONTEXT)
    public long agentDryThreadContext(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * (h) {@code @Tracepoint(stack = true)}, off: the stack is walked only once the event is on, so this must
     * cost what (b) costs.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DRY)
    public long agentDryStack(Order order) {
        return Orders.placeWithStack(order.id, order.cents, order.customer);
    }

    /**
     * (f) The default mode on a kernel without user_events: the agent transforms nothing.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.KERNEL)
    public long agentKernelWithoutUserEvents(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    /**
     * (a') The baseline when the JIT does not inline the method: the cost of a real call.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.NO_AGENT)
    public long noAgentNotInlined(Order order) {
        return Orders.placeOutOfLine(order.id, order.cents, order.customer);
    }

    /**
     * (b') Woven and not inlined: the check runs inside the called method. Compare with (a').
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DRY)
    public long agentDryNotInlined(Order order) {
        return Orders.placeOutOfLine(order.id, order.cents, order.customer);
    }

    /**
     * (c) A JFR event whose class is never enabled, no recording running: {@code shouldCommit()} is false.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.NO_AGENT)
    public long jfrNoRecording(Order order) {
        return Orders.placeJfr(order.id, order.cents, order.customer);
    }

    /**
     * (c') The same JFR event, off, while a recording with JFR's default settings runs.
     *
     * @param recording the recording running for the trial
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.NO_AGENT)
    public long jfrRecordingEventOff(JfrRecordings.DefaultSettingsOrderEventOff recording, Order order) {
        return Orders.placeJfr(order.id, order.cents, order.customer);
    }

    /**
     * (d) {@code Logger.log(FINE, ...)} with the three arguments, FINE not logged.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.NO_AGENT)
    public long julFineNotLogged(Order order) {
        return Orders.placeLogged(order.id, order.cents, order.customer);
    }

    /**
     * (e) The floor: the woven check written by hand, a load of a zero native word and a branch.
     *
     * @param order the call's arguments
     * @return the method's result, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.NO_AGENT)
    public long nativeWordFloor(Order order) {
        return Orders.placeFloor(order.id, order.cents, order.customer);
    }
}
