package com.example.safety;

import dev.userevents.Tracepoint;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * An application with the OpenTelemetry API only (no SDK of its own), run under the OpenTelemetry Java agent,
 * which installs the global OpenTelemetry and bridges the application's API to its own: CALLS traced calls,
 * each inside a span made through {@link GlobalOpenTelemetry}.
 * <pre>java -javaagent:opentelemetry-javaagent.jar -javaagent:... com.example.safety.OtelAgentApp CALLS</pre>
 * Prints {@code ready}, waits for {@code go}, prints {@code span SEQ TRACE_ID SPAN_ID} per call, then
 * {@code done}, and waits for its input to end.
 */
public final class OtelAgentApp {
    @Tracepoint(name = "otel_agent_charge")
    static long charge(int seq) {
        return seq * 100L;
    }

    public static void main(String[] args) {
        int calls = Integer.parseInt(args[0]);
        Tracer tracer = GlobalOpenTelemetry.getTracer("otel-agent-app");
        Driver.say("ready");
        Driver.await("go");
        for (int seq = 0; seq < calls; seq++) {
            Span span = tracer.spanBuilder("checkout-" + seq).startSpan();
            try (Scope ignored = span.makeCurrent()) {
                charge(seq);
            } finally {
                span.end();
            }
            Driver.say("span " + seq + " " + span.getSpanContext().getTraceId() + " " + span.getSpanContext().getSpanId());
        }
        Driver.say("done");
        Driver.awaitEnd();
    }
}
