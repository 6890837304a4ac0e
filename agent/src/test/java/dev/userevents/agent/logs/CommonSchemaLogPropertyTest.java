package dev.userevents.agent.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.runtime.LogEvents;
import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.agent.testing.EventHeaderDecoder;
import dev.userevents.agent.testing.RecordingBackend;
import dev.userevents.agent.weave.OpenTelemetryApi;
import dev.userevents.shim.EnableWordStores;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jspecify.annotations.Nullable;

/**
 * Any log record, under any event bound and either context, is a valid Common Schema log event: it decodes (no
 * byte after the last field, the structs' member counts right), every field is there in order, and each text is
 * whole (NUL and lone surrogates as '?') or cut on a character and marked "...".
 */
class CommonSchemaLogPropertyTest {
    private static final List<Probe> BEFORE = new ArrayList<>();

    @BeforeContainer
    static void keepTheInstalledLogEvents() {
        BEFORE.addAll(InstalledLogEvents.save());
    }

    @AfterContainer
    static void putThemBack() {
        InstalledLogEvents.restore(BEFORE);
    }

    @AfterTry
    void restoreBounds() {
        ProbeRuntime.setMaxEventBytes(4000);
        ProbeRuntime.setMaxStringBytes(1024);
    }

    @Property(tries = 400)
    void everyRecordDecodesWithinItsBound(@ForAll("texts") String message, @ForAll("nullableTexts") @Nullable String logger,
                                          @ForAll("texts") String threadName, @ForAll("throwables") @Nullable Throwable thrown,
                                          @ForAll @IntRange(min = 64, max = 4068) int eventBytes,
                                          @ForAll @IntRange(min = 8, max = 2048) int stringBytes,
                                          @ForAll boolean threadContext, @ForAll boolean otel,
                                          @ForAll @IntRange(min = 0, max = 4) int level) {
        ProbeRuntime.setMaxEventBytes(eventBytes);
        ProbeRuntime.setMaxStringBytes(stringBytes);
        RecordingBackend backend = new RecordingBackend();
        long word = new LogBridge(backend, "", threadContext,
            otel ? loader -> OpenTelemetryApi.usableFrom(loader, true) : null, "p").enableWord(getClass().getClassLoader());
        EnableWordStores.storeInt(word, 1 << level);
        Thread thread = Thread.currentThread();
        String name = thread.getName();
        thread.setName(threadName);
        try {
            LogEvents.write(level, logger, message, thrown);
        } finally {
            thread.setName(name);
            EnableWordStores.storeInt(word, 0);
        }
        List<byte[]> events = backend.sink().events();
        assertEquals(1, events.size());
        byte[] event = events.get(0);
        EventHeaderDecoder.Event decoded = EventHeaderDecoder.decode(event, 4, event.length - 4);
        List<String> names = new ArrayList<>(List.of("__csver__", "PartA.time"));
        if (otel) {
            names.addAll(List.of("PartA.ext_dt_traceId", "PartA.ext_dt_spanId"));
        }
        names.addAll(List.of("PartB._typeName", "PartB.body",
            "PartB.severityNumber", "PartB.severityText", "PartC.logger.name", "PartC.thread.name",
            "PartC.exception.type", "PartC.exception.message"));
        if (threadContext) {
            names.addAll(List.of("PartC.thread.id", "PartC.thread.virtual"));
        }
        Map<String, Object> values = decoded.values();
        assertEquals(names, new ArrayList<>(values.keySet()));
        boolean anyText = false;
        anyText |= wholeOrCut(kernelText(message), values.get("PartB.body"));
        anyText |= wholeOrCut(logger == null ? "" : kernelText(logger), values.get("PartC.logger.name"));
        anyText |= wholeOrCut(kernelText(threadName), values.get("PartC.thread.name"));
        anyText |= wholeOrCut(thrown == null ? "" : thrown.getClass().getName(), values.get("PartC.exception.type"));
        String thrownMessage = thrown == null || thrown.getClass() != IllegalStateException.class
            || thrown.getMessage() == null ? "" : kernelText(thrown.getMessage());
        anyText |= wholeOrCut(thrownMessage, values.get("PartC.exception.message"));
        String time = (String) values.get("PartA.time");
        assertTrue(time.isEmpty() || time.length() == 30, time);
        anyText |= !time.isEmpty();
        if (anyText) {
            assertTrue(event.length <= eventBytes, event.length + " bytes past the bound " + eventBytes);
        }
    }

    /** Whether the decoded text holds anything; asserts it is the text or a marked cut of it. */
    private static boolean wholeOrCut(String expected, Object decoded) {
        String text = (String) decoded;
        if (!text.equals(expected)) {
            // under 3 bytes of room there is no room for the mark: the text is cut unmarked
            boolean unmarked = text.getBytes(StandardCharsets.UTF_8).length < 3 && expected.startsWith(text);
            assertTrue(unmarked || text.endsWith("...") && expected.startsWith(text.substring(0, text.length() - 3)),
                "'" + text + "' is not a marked cut of '" + expected + "'");
        }
        return !text.isEmpty();
    }

    /** The text as the agent writes it: NUL and unpaired surrogates as '?'. */
    private static String kernelText(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(c == 0 || Character.isSurrogate(c) ? '?' : c);
            }
        }
        return out.toString();
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(200),
            Arbitraries.strings().withChars('x', 'é', '\0', '\uD83D', '\uDE00').ofMaxLength(3000),
            Arbitraries.strings().withChars("😀東x").ofMaxLength(2000));
    }

    @Provide
    Arbitrary<@Nullable String> nullableTexts() {
        return texts().injectNull(0.2);
    }

    @Provide
    Arbitrary<@Nullable Throwable> throwables() {
        Arbitrary<Throwable> withMessage = texts().map(IllegalStateException::new);
        return Arbitraries.<Throwable>oneOf(withMessage,
            Arbitraries.<Throwable>just(new IllegalStateException((String) null)),
            Arbitraries.<Throwable>just(new RuntimeException() {
                @Override
                public String getMessage() {
                    throw new IllegalStateException("getMessage threw");
                }
            })).injectNull(0.3);
    }
}
