package dev.userevents.agent.probe;

/**
 * Which context fields a class's events end with (agent option {@code context}), before any per-method
 * {@code stack}: the thread's identity, then the OpenTelemetry ids.
 *
 * @param thread {@code java_tid} (s64) and {@code virtual} (u8)
 * @param otel   {@code trace_id} and {@code span_id} (strings) of the current OpenTelemetry span
 */
public record EventContext(boolean thread, boolean otel) {
    /** No context fields. */
    public static final EventContext NONE = new EventContext(false, false);
}
