package com.example.safety;

import dev.userevents.Tracepoint;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.logging.Logger;

/**
 * An application with its own OpenTelemetry SDK: CALLS traced calls, each inside a span of its own, then one
 * outside any span. The agent must carry each span's ids into the events without configuring OpenTelemetry.
 * With {@code reentrant}, the app first wraps OpenTelemetry's context storage so that every lookup of the
 * current context calls the traced method too ({@code seq} -1): asking for the span runs application code.
 * <pre>java -javaagent:... com.example.safety.OtelApp CALLS [reentrant]</pre>
 * Each call also logs one java.util.logging record, in its span (and the last outside).
 * Prints {@code ready}, waits for {@code go}, prints {@code span SEQ TRACE_ID SPAN_ID} per call, then
 * {@code done}, and waits for its input to end.
 */
public final class OtelApp {
    private static final Logger LOG = Logger.getLogger("otel-app");

    @Tracepoint(name = "otel_charge", exit = true)
    static long charge(int seq, String customer) {
        return seq * 100L;
    }

    public static void main(String[] args) {
        int calls = Integer.parseInt(args[0]);
        if (args.length > 1 && args[1].equals("reentrant")) {
            ContextStorage.addWrapper(storage -> new ContextStorage() {
                @Override
                public Scope attach(Context toAttach) {
                    return storage.attach(toAttach);
                }

                @Override
                public Context current() {
                    charge(-1, "storage");
                    return storage.current();
                }
            });
        }
        try (SdkTracerProvider provider = SdkTracerProvider.builder().build()) {
            Tracer tracer = provider.get("otel-app");
            Driver.say("ready");
            Driver.await("go");
            for (int seq = 0; seq < calls; seq++) {
                Span span = tracer.spanBuilder("checkout-" + seq).startSpan();
                try (Scope ignored = span.makeCurrent()) {
                    charge(seq, "c" + seq);
                    LOG.info("charged " + seq); // a log event: the same span's ids
                } finally {
                    span.end();
                }
                Driver.say("span " + seq + " " + span.getSpanContext().getTraceId() + " " + span.getSpanContext().getSpanId());
            }
            charge(calls, "outside");
            LOG.info("charged outside");
            Driver.say("done");
            Driver.awaitEnd();
        }
    }
}
