package dev.userevents.benchmarks;

/**
 * JVM arguments of the forks, for {@code @Fork(jvmArgsAppend = ...)}. Paths are relative to the repository
 * root, where {@code benchmarks/run.sh} starts JMH (forks inherit its working directory).
 */
final class Forks {
    /**
     * The agent with no context fields: the OpenTelemetry API is on this class path (for the context rows), and
     * the default {@code context=otel} would otherwise add its ids to every event. A later {@code context=}
     * in a fork's options replaces this one.
     */
    static final String AGENT = "-javaagent:agent/target/userevents-agent.jar=context=";

    /**
     * Without the agent. The export lets {@code NativeWords} (the floor) read with
     * {@code jdk.internal.misc.Unsafe}'s opaque load, exactly as it does under the agent, which grants the
     * same export itself.
     */
    static final String NO_AGENT = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    /** What {@code ChannelEventSink} needs without the agent, which grants it to itself. */
    static final String CHANNEL_ACCESS = "--add-opens=java.base/java.io=ALL-UNNAMED";
    static final String CHANNEL_EXPORT = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";
    /** What a downcall needs without the agent (JDK 22+; JDK 17 accepts the option too). */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /** Probes woven against enable words nothing ever sets. */
    static final String DRY = AGENT + ",mode=dry";

    /** Dry, without the log bridges: the agent leaves the logging frameworks' classes as they are. */
    static final String DRY_NO_LOGS = DRY + ",logs=false";

    /** The default mode. On a host without user_events the agent logs why and transforms nothing. */
    static final String KERNEL = AGENT + ",mode=kernel";

    /** Every probe enabled, every event written to /dev/null; default sink: the fastest the JDK has. */
    static final String DEVNULL_DEFAULT = AGENT + ",mode=devnull";
    static final String DEVNULL_JNA = AGENT + ",mode=devnull,sink=jna";
    /** As {@link #DEVNULL_DEFAULT}, every event ending with {@code java_tid} and {@code virtual}. */
    static final String DEVNULL_THREAD_CONTEXT = DEVNULL_DEFAULT + ",context=thread";
    /** As {@link #DEVNULL_DEFAULT}, stacks cut to 1, 8 and 32 frames. */
    static final String DEVNULL_STACK_1 = DEVNULL_DEFAULT + ",stackDepth=1";
    static final String DEVNULL_STACK_8 = DEVNULL_DEFAULT + ",stackDepth=8";
    static final String DEVNULL_STACK_32 = DEVNULL_DEFAULT + ",stackDepth=32";
    /** As {@link #DEVNULL_DEFAULT}, every event carrying the current span's {@code trace_id} and {@code span_id}. */
    static final String DEVNULL_OTEL = DEVNULL_DEFAULT + ",context=otel";
    /** As {@link #DEVNULL_DEFAULT}, with the thread context and the OpenTelemetry ids. */
    static final String DEVNULL_THREAD_AND_OTEL = DEVNULL_DEFAULT + ",context=thread;otel";
    /** As {@link #DRY}, every event ending with {@code java_tid} and {@code virtual}. */
    static final String DRY_THREAD_CONTEXT = DRY + ",context=thread";
    /** {@code Orders.placeCandidate} as an on-demand candidate (the probes file lists it with the word ondemand). */
    static final String ON_DEMAND = ",probes=benchmarks/ondemand-probes.txt";
    /** A candidate no tracer enables: never woven. */
    static final String DRY_CANDIDATE = DRY + ON_DEMAND;
    /** A candidate whose word reads 1 from the start: the poll thread weaves it within {@code pollMillis}. */
    static final String DEVNULL_CANDIDATE = DEVNULL_DEFAULT + ON_DEMAND;
    static final String DEVNULL_CHANNEL = AGENT + ",mode=devnull,sink=channel";

    /** As {@link #DRY}, events in Microsoft's EventHeader layout: the probes share one enable word. */
    static final String DRY_EVENTHEADER = DRY + ",format=eventheader";
    /** As {@link #DEVNULL_DEFAULT}, events in EventHeader layout: header and metadata copied, then the fields. */
    static final String DEVNULL_EVENTHEADER = DEVNULL_DEFAULT + ",format=eventheader";

    /** Real user_events (in the guest): events written to user_events_data. */
    static final String KERNEL_DEFAULT = AGENT + ",mode=kernel,sink=auto";
    static final String KERNEL_JNA = AGENT + ",mode=kernel,sink=jna";
    static final String KERNEL_CHANNEL = AGENT + ",mode=kernel,sink=channel";

    private Forks() {
    }
}
