package dev.userevents.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.probe.EventHeaderEvent;
import dev.userevents.agent.probe.ParameterKind;
import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.testing.CapturingSink;
import dev.userevents.agent.testing.EnableWords;
import dev.userevents.agent.testing.EventHeaderDecoder;
import dev.userevents.shim.EventFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;

/**
 * The EventHeader encoder ({@link EventHeaderEvent}'s prefix, {@link ProbeRuntime}'s puts) against the test
 * tree's decoder, written from eventheader.h: any text round-trips exactly as UTF-8, however far from
 * Latin-1; text past the bounds is cut on a character and marked, and every event decodes within its bound.
 */
class EventHeaderRoundTripTest {
    private final CapturingSink sink = new CapturingSink();

    @AfterTry
    void restoreBounds() {
        ProbeRuntime.setMaxEventBytes(4000);
        ProbeRuntime.setMaxStringBytes(1024);
    }

    @Example
    void nonLatin1TextRoundTrips() {
        assertEquals("who-é-29", roundTrip("who-é-29"));
        assertEquals("🎉 naïve 東京 Ω", roundTrip("🎉 naïve 東京 Ω"));
        assertEquals("", roundTrip(""));
    }

    @Example
    void theOpenTelemetryIdsDecodeInPartAUnderTheRustExportersNames() {
        EventFormat format = EventFormat.named("checkout").s32("order");
        ProbeDefinition definition = new ProbeDefinition("T", "m", "(I)V", format, List.of(ParameterKind.INT))
            .withThreadContext().withOtelContext().withStack();
        Probe probe = install(definition);
        EventRecord record = ProbeRuntime.putInt(ProbeRuntime.begin(probe.id()), 7);
        record = ProbeRuntime.putThreadContext(record);
        record = ProbeRuntime.putString(record, "0af7651916cd43dd8448eb211c80319c");
        record = ProbeRuntime.putString(record, "b7ad6b7169203331");
        ProbeRuntime.commit(ProbeRuntime.putString(record, "a:1"));
        byte[] event = last();
        EventHeaderDecoder.Event decoded = EventHeaderDecoder.decode(event, 4, event.length - 4);
        assertEquals(List.of("order", "java_tid", "virtual", "PartA.ext_dt_traceId", "PartA.ext_dt_spanId", "stack"),
            decoded.fields().stream().map(EventHeaderDecoder.Field::name).toList(),
            "the struct closes after the two ids: the stack is a field of the event again");
        assertEquals("0af7651916cd43dd8448eb211c80319c", decoded.value("PartA.ext_dt_traceId"));
        assertEquals("b7ad6b7169203331", decoded.value("PartA.ext_dt_spanId"));
        assertEquals(7L, decoded.value("order"));
        assertEquals("a:1", decoded.value("stack"));
    }

    @Property(tries = 500)
    void everyTextWithinTheBoundRoundTripsExactly(@ForAll("text") String text) {
        assertEquals(text, roundTrip(text));
    }

    @Property(tries = 300)
    void textPastTheBoundIsCutOnACharacterAndMarked(@ForAll("text") String text, @ForAll("bounds") int bound) {
        ProbeRuntime.setMaxStringBytes(bound);
        String decoded = roundTrip(text);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= bound) {
            assertEquals(text, decoded);
        } else {
            assertTrue(decoded.endsWith("..."), decoded);
            String kept = decoded.substring(0, decoded.length() - 3);
            assertTrue(text.startsWith(kept), "a prefix of whole characters: " + kept);
            assertTrue(decoded.getBytes(StandardCharsets.UTF_8).length <= bound);
        }
    }

    @Property(tries = 300)
    void mixedEventsStayWithinTheEventBoundAndDecode(@ForAll("text") String first, @ForAll("text") String second,
                                                   @ForAll("eventBounds") int maxEventBytes) {
        ProbeRuntime.setMaxEventBytes(maxEventBytes);
        EventFormat format = EventFormat.named("mixed").string("first").s32("number").string("second")
            .string("ratio").s64("big");
        Probe probe = install(new ProbeDefinition("T", "m", "(Ljava/lang/String;ILjava/lang/String;DJ)V", format,
            List.of(ParameterKind.STRING, ParameterKind.INT, ParameterKind.STRING, ParameterKind.DOUBLE,
                ParameterKind.LONG)));
        EventRecord record = ProbeRuntime.begin(probe.id());
        record = ProbeRuntime.putString(record, first);
        record = ProbeRuntime.putInt(record, -42);
        record = ProbeRuntime.putString(record, second);
        record = ProbeRuntime.putDouble(record, 0.1);
        record = ProbeRuntime.putLong(record, Long.MIN_VALUE);
        ProbeRuntime.commit(record);

        byte[] event = last();
        // strings give way to the bound; the header, metadata and fixed-width fields are always written
        int floor = 4 + probe.eventHeader().length + probe.fixedSize();
        assertTrue(event.length <= Math.max(maxEventBytes, floor), event.length + " > " + maxEventBytes);
        EventHeaderDecoder.Event decoded = EventHeaderDecoder.decode(event, 4, event.length - 4);
        assertEquals("mixed", decoded.name());
        assertTrue(first.startsWith(strip((String) decoded.value("first"))));
        assertEquals(-42L, decoded.value("number"));
        assertTrue(second.startsWith(strip((String) decoded.value("second"))));
        assertEquals(0.1, decoded.value("ratio"));
        assertEquals(Long.MIN_VALUE, decoded.value("big"));
    }

    @Provide
    Arbitrary<String> text() {
        // any code point but NUL (the encoder writes '?') and lone surrogates (no UTF-8 form)
        return Arbitraries.integers().between(1, Character.MAX_CODE_POINT)
            .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
            .list().ofMaxSize(200)
            .map(points -> new String(points.stream().mapToInt(Integer::intValue).toArray(), 0, points.size()));
    }

    @Provide
    Arbitrary<Integer> bounds() {
        return Arbitraries.integers().between(8, 600);
    }

    @Provide
    Arbitrary<Integer> eventBounds() {
        return Arbitraries.integers().between(64, 4000);
    }

    private static String strip(String cut) {
        return cut.endsWith("...") ? cut.substring(0, cut.length() - 3) : cut;
    }

    private String roundTrip(String text) {
        EventFormat format = EventFormat.named("text_event").string("text");
        Probe probe = install(new ProbeDefinition("T", "m", "(Ljava/lang/String;)V", format,
            List.of(ParameterKind.STRING)));
        ProbeRuntime.commit(ProbeRuntime.putString(ProbeRuntime.begin(probe.id()), text));
        byte[] event = last();
        EventHeaderDecoder.Event decoded = EventHeaderDecoder.decode(event, 4, event.length - 4);
        assertEquals("text_event", decoded.name());
        return (String) decoded.value("text");
    }

    private Probe install(ProbeDefinition definition) {
        EventHeaderEvent eventHeader = EventHeaderEvent.of(definition, "roundtrip");
        Probe probe = new Probe(ProbeRuntime.nextProbeId(), definition.format().name(), "T.m", 9,
            EnableWords.allocateEnabled(), eventHeader.fixedSize(), eventHeader.stringFields(), sink);
        probe.encodeAsEventHeader(eventHeader.prefix(), eventHeader.tracepointName());
        ProbeRuntime.install(probe);
        return probe;
    }

    private byte[] last() {
        List<byte[]> events = sink.events();
        return events.get(events.size() - 1);
    }
}
