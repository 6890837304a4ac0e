package dev.userevents.agent.weave;

import static dev.userevents.agent.weave.WovenClasses.BACKEND;
import static dev.userevents.agent.weave.WovenClasses.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userevents.agent.probe.EventContext;
import dev.userevents.agent.testing.EnableWords;
import dev.userevents.agent.testing.EventPayload;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code context=otel} with the real OpenTelemetry SDK: inside a span, entry and exit events carry its
 * {@code trace_id} and {@code span_id} exactly as the SDK reports them; outside any span both are empty.
 */
class OtelContextWeavingTest {
    private static final Class<?> WOVEN = WovenClasses.wovenWith(OtelContextSample.class, new EventContext(false, true));
    private static final SdkTracerProvider PROVIDER = SdkTracerProvider.builder().build();
    private static final Tracer TRACER = PROVIDER.get("userevents-test");

    @AfterEach
    void disableProbes() {
        BACKEND.disableAll();
        BACKEND.sink().clear();
    }

    @AfterAll
    static void closeProvider() {
        PROVIDER.close();
    }

    @Test
    void formatsCarryTheIds() {
        assertEquals("OtelContextSample_charge s32 cents; __rel_loc char[] trace_id; __rel_loc char[] span_id",
            BACKEND.format("OtelContextSample_charge").command());
        assertEquals("OtelContextSample_charge_exit s64 ret; s64 duration_ns; __rel_loc char[] thrown;"
            + " __rel_loc char[] trace_id; __rel_loc char[] span_id", BACKEND.format("OtelContextSample_charge_exit").command());
    }

    @Test
    void insideASpanEventsCarryItsIdsAndOutsideNone() throws Throwable {
        for (String event : List.of("OtelContextSample_charge", "OtelContextSample_charge_exit",
                "OtelContextSample_refuse_exit")) {
            EnableWords.enable(BACKEND.enableWord(event));
        }
        Span span = TRACER.spanBuilder("checkout").startSpan();
        String traceId = span.getSpanContext().getTraceId();
        String spanId = span.getSpanContext().getSpanId();
        try (Scope ignored = span.makeCurrent()) {
            assertEquals(84L, call(WOVEN, null, "charge", new Class<?>[] {int.class}, 42));
            assertThrows(IllegalStateException.class,
                () -> call(WOVEN, null, "refuse", new Class<?>[] {String.class}, "no"));
        } finally {
            span.end();
        }
        assertEquals(2L, call(WOVEN, null, "charge", new Class<?>[] {int.class}, 1)); // no span current

        List<EventPayload> entries = BACKEND.sink().eventsOf(BACKEND.writeIndex("OtelContextSample_charge"));
        assertEquals(2, entries.size());
        assertEquals(42, entries.get(0).s32());
        assertEquals(traceId, entries.get(0).string());
        assertEquals(spanId, entries.get(0).string());
        assertEquals(1, entries.get(1).s32());
        assertEquals("", entries.get(1).string(), "no span: no trace id");
        assertEquals("", entries.get(1).string());
        List<EventPayload> exits = BACKEND.sink().eventsOf(BACKEND.writeIndex("OtelContextSample_charge_exit"));
        assertEquals(2, exits.size());
        assertEquals(84L, exits.get(0).s64());
        exits.get(0).s64();
        assertEquals("", exits.get(0).string());
        assertEquals(traceId, exits.get(0).string());
        assertEquals(spanId, exits.get(0).string());
        EventPayload refused = BACKEND.sink().eventsOf(BACKEND.writeIndex("OtelContextSample_refuse_exit")).get(0);
        refused.s64();
        assertEquals(IllegalStateException.class.getName(), refused.string());
        assertEquals(traceId, refused.string(), "the throwable's exit event carries the span too");
        assertEquals(spanId, refused.string());
    }
}
