package dev.userevents.agent.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.runtime.LogEvents;
import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.agent.testing.CapturedLog;
import dev.userevents.agent.testing.EventHeaderDecoder;
import dev.userevents.agent.testing.RecordingBackend;
import dev.userevents.agent.weave.OpenTelemetryApi;
import dev.userevents.shim.EnableWordStores;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code format=eventheader}, each log record is a Common Schema 4.0 log event on
 * {@code <provider>_L<level>K1}, laid out as opentelemetry-rust-contrib's user_events log exporter lays its
 * records out, decoded here by the test tree's decoder (written from eventheader.h). The log events are one set
 * per JVM: the bridge's events installed before are put back after each test.
 */
class CommonSchemaLogTest {
    private final List<Probe> before = new ArrayList<>();
    private final RecordingBackend backend = new RecordingBackend();
    private long word;

    @BeforeEach
    void keepTheInstalledLogEvents() {
        before.addAll(InstalledLogEvents.save());
    }

    @AfterEach
    void putThemBack() {
        if (word != 0) {
            EnableWordStores.storeInt(word, 0);
        }
        InstalledLogEvents.restore(before);
    }

    @Test
    void eachLevelHasItsTracepointAndDebugAndTraceShareVerbose() {
        word = new LogBridge(backend, "", false, null, "shop").enableWord(getClass().getClassLoader());
        assertEquals(4, backend.registeredCount(), "four tracepoints: error, warning, information, verbose");
        assertEquals(List.of(0, 1, 2), List.of(backend.bit("shop_L2K1"), backend.bit("shop_L3K1"),
            backend.bit("shop_L4K1")), "each on its log level's bit of the one word");
        assertEquals("shop_L4K1 u8 eventheader_flags; u8 version; u16 id; u16 tag; u8 opcode; u8 level",
            backend.format("shop_L4K1").command());
        EnableWordStores.storeInt(word, (1 << LogEvents.DEBUG) | (1 << LogEvents.TRACE));
        LogEvents.write(LogEvents.DEBUG, "a", "debug record", null);
        LogEvents.write(LogEvents.TRACE, "a", "trace record", null);
        List<EventHeaderDecoder.Event> verbose = on("shop_L5K1");
        assertEquals(List.of("debug record", "trace record"),
            verbose.stream().map(event -> event.value("PartB.body")).toList());
        assertEquals(List.of(5L, 1L), verbose.stream().map(event -> event.value("PartB.severityNumber")).toList());
    }

    @Test
    void aRecordInASpanDecodesAsACommonSchemaLogWithTheIdsInPartA() {
        word = new LogBridge(backend, "", true, loader -> OpenTelemetryApi.usableFrom(loader, true), "shop")
            .enableWord(getClass().getClassLoader());
        EnableWordStores.storeInt(word, (1 << LogEvents.INFO) | (1 << LogEvents.ERROR));
        try (SdkTracerProvider provider = SdkTracerProvider.builder().build()) {
            Span span = provider.get("test").spanBuilder("checkout").startSpan();
            Instant start = Instant.now();
            try (Scope ignored = span.makeCurrent()) {
                LogEvents.write(LogEvents.INFO, "com.acme.Orders", "order 7 for who-é-29", null);
            } finally {
                span.end();
            }
            LogEvents.write(LogEvents.ERROR, "com.acme.Orders", "failed", new IllegalStateException("no stock"));
            Instant end = Instant.now();

            EventHeaderDecoder.Event info = only("shop_L4K1");
            assertEquals("Log", info.name());
            assertEquals(4, info.level());
            Map<String, Object> values = info.values();
            Object time = values.remove("PartA.time");
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("__csver__", 0x400L);
            expected.put("PartA.ext_dt_traceId", span.getSpanContext().getTraceId());
            expected.put("PartA.ext_dt_spanId", span.getSpanContext().getSpanId());
            expected.put("PartB._typeName", "Log");
            expected.put("PartB.body", "order 7 for who-é-29");
            expected.put("PartB.severityNumber", 9L);
            expected.put("PartB.severityText", "INFO");
            expected.put("PartC.logger.name", "com.acme.Orders");
            expected.put("PartC.thread.name", Thread.currentThread().getName());
            expected.put("PartC.exception.type", "");
            expected.put("PartC.exception.message", "");
            expected.put("PartC.thread.id", Thread.currentThread().getId());
            expected.put("PartC.thread.virtual", false);
            assertEquals(expected, values);
            Instant at = Instant.parse((String) time);
            assertTrue(!at.isBefore(start.minusMillis(1)) && !at.isAfter(end.plusMillis(1)), time + " not in the call");
            assertEquals(30, ((String) time).length(), "nanoseconds, 9 digits: " + time);

            EventHeaderDecoder.Event error = only("shop_L2K1");
            assertEquals(2, error.level());
            assertEquals(17L, error.value("PartB.severityNumber"));
            assertEquals("ERROR", error.value("PartB.severityText"));
            assertEquals("java.lang.IllegalStateException", error.value("PartC.exception.type"));
            assertEquals("no stock", error.value("PartC.exception.message"));
            assertEquals("", error.value("PartA.ext_dt_traceId"), "outside a span");
        }
    }

    @Test
    void withoutContextPartAHoldsTheTimeAloneAndPartCTheFourStringsInTheRustExportersOrder() {
        word = new LogBridge(backend, "", false, null, "shop").enableWord(getClass().getClassLoader());
        EnableWordStores.storeInt(word, 1 << LogEvents.TRACE);
        LogEvents.write(LogEvents.TRACE, null, null, null);
        EventHeaderDecoder.Event trace = only("shop_L5K1");
        assertEquals(5, trace.level());
        assertEquals(List.of("__csver__", "PartA.time", "PartB._typeName", "PartB.body", "PartB.severityNumber",
            "PartB.severityText", "PartC.logger.name", "PartC.thread.name", "PartC.exception.type",
            "PartC.exception.message"),
            new ArrayList<>(trace.values().keySet()));
        assertEquals("", trace.value("PartB.body"), "a null message is empty, as EventHeader strings are");
        assertEquals(1L, trace.value("PartB.severityNumber"));
    }

    @Test
    void aLongMessageIsCutAndTheFieldsAfterItStillDecode() {
        ProbeRuntime.setMaxEventBytes(300);
        try {
            word = new LogBridge(backend, "", true, null, "shop").enableWord(getClass().getClassLoader());
            EnableWordStores.storeInt(word, 1 << LogEvents.WARN);
            LogEvents.write(LogEvents.WARN, "com.acme.Orders", "x".repeat(1000), null);
            EventHeaderDecoder.Event warn = only("shop_L3K1");
            String body = (String) warn.value("PartB.body");
            assertTrue(body.endsWith("...") && body.length() < 300, body);
            assertEquals("WARN", warn.value("PartB.severityText"));
            assertEquals(Thread.currentThread().getId(), warn.value("PartC.thread.id"));
            assertEquals(30, ((String) warn.value("PartA.time")).length());
        } finally {
            ProbeRuntime.setMaxEventBytes(4000);
        }
    }

    @Test
    void aRefusedTracepointIsOneLineNamingItOnceAndTheOtherLevelsStillWrite() {
        backend.refuse("shop_L5K1");
        try (CapturedLog log = CapturedLog.start()) {
            word = new LogBridge(backend, "", false, null, "shop").enableWord(getClass().getClassLoader());
            List<String> refused = log.linesWith("refused");
            assertEquals(1, refused.size(), log.lines().toString());
            String line = refused.get(0);
            assertEquals(line.indexOf("refused by the test"), line.lastIndexOf("refused by the test"),
                "the shared tracepoint's refusal said once: " + line);
            assertTrue(line.contains("shop_L5K1 (log_debug, log_trace): event shop_L5K1 refused by the test;"),
                "with the levels not bridged: " + line);
        }
        assertTrue(word != 0, "error, warning and information still registered");
        EnableWordStores.storeInt(word, (1 << LogEvents.ERROR) | (1 << LogEvents.INFO) | (1 << LogEvents.DEBUG));
        LogEvents.write(LogEvents.ERROR, "a", "error record", null);
        LogEvents.write(LogEvents.INFO, "a", "info record", null);
        LogEvents.write(LogEvents.DEBUG, "a", "debug record", null);
        assertEquals("error record", only("shop_L2K1").value("PartB.body"));
        assertEquals("info record", only("shop_L4K1").value("PartB.body"));
        assertEquals(2, backend.sink().events().size(), "nothing written for the refused levels");
    }

    @Test
    void withOtelAskedButNoApiInTheLoaderPartAHoldsTheTimeAloneAndThreadContextStillEndsPartC() throws Exception {
        try (URLClassLoader bare = new URLClassLoader(new URL[0], null); CapturedLog log = CapturedLog.start()) {
            word = new LogBridge(backend, "", true, loader -> OpenTelemetryApi.usableFrom(loader, true), "shop")
                .enableWord(bare);
            assertEquals(1, log.linesWith("sees no OpenTelemetry API").size(), log.lines().toString());
        }
        EnableWordStores.storeInt(word, 1 << LogEvents.INFO);
        LogEvents.write(LogEvents.INFO, "a", "no api", new IllegalStateException());
        EventHeaderDecoder.Event info = only("shop_L4K1");
        assertEquals(List.of("__csver__", "PartA.time", "PartB._typeName", "PartB.body", "PartB.severityNumber",
            "PartB.severityText", "PartC.logger.name", "PartC.thread.name", "PartC.exception.type",
            "PartC.exception.message", "PartC.thread.id", "PartC.thread.virtual"),
            new ArrayList<>(info.values().keySet()));
        assertEquals("", info.value("PartC.exception.message"), "a throwable without a message");
    }

    @Test
    void tracepointNamesFollowTheProviderAndLevel() {
        assertEquals("shop_L2K1", CommonSchemaLog.event("shop", LogEvents.ERROR, false, false).tracepointName());
        assertEquals("shop_L3K1", CommonSchemaLog.event("shop", LogEvents.WARN, false, false).tracepointName());
        assertEquals("shop_L4K1", CommonSchemaLog.event("shop", LogEvents.INFO, false, false).tracepointName());
        assertEquals("shop_L5K1", CommonSchemaLog.event("shop", LogEvents.DEBUG, true, true).tracepointName());
        assertEquals("shop_L5K1", CommonSchemaLog.event("shop", LogEvents.TRACE, true, true).tracepointName());
    }

    private EventHeaderDecoder.Event only(String tracepoint) {
        List<EventHeaderDecoder.Event> events = on(tracepoint);
        assertEquals(1, events.size(), "events on " + tracepoint);
        return events.get(0);
    }

    private List<EventHeaderDecoder.Event> on(String tracepoint) {
        int writeIndex = backend.writeIndex(tracepoint);
        List<EventHeaderDecoder.Event> events = new ArrayList<>();
        for (byte[] event : backend.sink().events()) {
            if (ByteBuffer.wrap(event).order(ByteOrder.nativeOrder()).getInt(0) == writeIndex) {
                events.add(EventHeaderDecoder.decode(event, 4, event.length - 4));
            }
        }
        return events;
    }
}
