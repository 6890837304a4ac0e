package dev.userevents.agent.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userevents.agent.runtime.LogEvents;
import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.testing.EventPayload;
import dev.userevents.agent.testing.RecordingBackend;
import dev.userevents.agent.weave.OpenTelemetryApi;
import dev.userevents.shim.EnableWordStores;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With {@code context=otel}, log events end with the current span's {@code trace_id} and {@code span_id} when the
 * loader of the first framework bridged sees the OpenTelemetry API (here: the test's, with the real SDK), empty
 * outside a span. The log events are one set per JVM: the bridge's events installed before are put back after.
 */
class LogOtelContextTest {

    @Test
    void logEventsCarryTheCurrentSpansIds() {
        List<Probe> before = InstalledLogEvents.save();
        RecordingBackend backend = new RecordingBackend();
        LogBridge bridge = new LogBridge(backend, "otl_", true, loader -> OpenTelemetryApi.usableFrom(loader, true));
        long word = bridge.enableWord(getClass().getClassLoader());
        try (SdkTracerProvider provider = SdkTracerProvider.builder().build()) {
            assertEquals("otl_log_info __rel_loc char[] logger; __rel_loc char[] message; __rel_loc char[] thread;"
                + " __rel_loc char[] thrown; s64 java_tid; u8 virtual; __rel_loc char[] trace_id;"
                + " __rel_loc char[] span_id", backend.format("otl_log_info").command());
            EnableWordStores.storeInt(word, 1 << LogEvents.INFO);
            Span span = provider.get("test").spanBuilder("checkout").startSpan();
            try (Scope ignored = span.makeCurrent()) {
                LogEvents.write(LogEvents.INFO, "com.acme.Orders", "in a span", null);
            } finally {
                span.end();
            }
            LogEvents.write(LogEvents.INFO, "com.acme.Orders", "outside", null);

            List<EventPayload> events = backend.sink().eventsOf(backend.writeIndex("otl_log_info"));
            assertEquals(2, events.size());
            assertEquals(List.of(span.getSpanContext().getTraceId(), span.getSpanContext().getSpanId()),
                idsOf(events.get(0)));
            assertEquals(List.of("", ""), idsOf(events.get(1)));
        } finally {
            EnableWordStores.storeInt(word, 0);
            InstalledLogEvents.restore(before);
        }
    }

    @Test
    void withoutAnApiTheFormatHasNoIds() {
        List<Probe> before = InstalledLogEvents.save();
        RecordingBackend backend = new RecordingBackend();
        new LogBridge(backend, "nootl_", false, loader -> false).enableWord(getClass().getClassLoader());
        try {
            assertEquals("nootl_log_info __rel_loc char[] logger; __rel_loc char[] message; __rel_loc char[] thread;"
                + " __rel_loc char[] thrown", backend.format("nootl_log_info").command());
        } finally {
            InstalledLogEvents.restore(before);
        }
    }

    private static List<String> idsOf(EventPayload event) {
        for (int i = 0; i < 4; i++) {
            event.string(); // logger, message, thread, thrown
        }
        event.s64();
        event.u8();
        return List.of(event.string(), event.string());
    }
}
