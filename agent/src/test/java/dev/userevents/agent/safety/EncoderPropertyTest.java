package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.userevents.agent.runtime.EventRecord;
import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.agent.safety.WovenCall.Kind;
import dev.userevents.shim.hotpath.EventLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AfterTry;

/**
 * The payload encoder fed bad input, property-style: jqwik properties over calls from {@link BadInputs} through
 * {@link ProbeRuntime}'s put and commit, each event decoded as the kernel would and checked against
 * {@link WovenCall}'s model. Every event must decode, stay within its bounds, and say what the argument was
 * (possibly cut); the probe never switches itself off and nothing reaches the caller. A failing property is
 * shrunk to a small call and reported with jqwik's seed (docs/NOTES.md, "jqwik for random inputs").
 */
class EncoderPropertyTest {
    private static final int WRITE_INDEX = 7;

    private final TestProbes.LastEvent sink = new TestProbes.LastEvent();
    private int calls;
    private int longest;
    private int cut;

    @AfterTry
    void restoreDefaultBounds() {
        ProbeRuntime.setMaxEventBytes(4000);
        ProbeRuntime.setMaxStringBytes(1024);
    }

    /**
     * Without jqwik's edge cases: those of a call are calls of at most one argument (each kind's edge values), which
     * took about half the tries; the examples and the numbers property below cover them.
     */
    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void randomCallsOfUpTo20ArgumentsUnderRandomBoundsAllDecode(@ForAll("eventBounds") int maxEventBytes,
                                                                @ForAll("stringBounds") int maxStringBytes,
                                                                @ForAll("upTo20Arguments") WovenCall call) {
        ProbeRuntime.setMaxEventBytes(maxEventBytes);
        ProbeRuntime.setMaxStringBytes(maxStringBytes);
        byte[] event = encode(call);
        call.verify(event, WRITE_INDEX, maxEventBytes, maxStringBytes);
        calls++;
        longest = Math.max(longest, event.length);
        cut += new String(event, StandardCharsets.ISO_8859_1).contains("...\0") ? 1 : 0;
    }

    @AfterProperty
    void summary() {
        if (calls > 0) {
            System.out.printf("encoder: %d random calls decoded as the model says; longest event %d bytes, %d events"
                + " with a cut string%n", calls, longest, cut);
        }
    }

    /** Half the time the default 4000, else any bound the eventBytes option takes. */
    @Provide
    Arbitrary<Integer> eventBounds() {
        return Arbitraries.oneOf(Arbitraries.just(4000), uniform(64, EventLayout.MAX_RECORDED_EVENT));
    }

    /** Half the time the default 1024, else 8 to 5007. */
    @Provide
    Arbitrary<Integer> stringBounds() {
        return Arbitraries.oneOf(Arbitraries.just(1024), uniform(8, 5007));
    }

    /** Each bound as likely (jqwik's default favours those near the lower one). */
    private static Arbitrary<Integer> uniform(int min, int max) {
        return Arbitraries.integers().between(min, max).withDistribution(RandomDistribution.uniform());
    }

    @Provide
    Arbitrary<WovenCall> upTo20Arguments() {
        return BadInputs.calls(20);
    }

    /** Each try: 200 code points of each plane, 0 to 16; no NUL, which arrives as '?' (the example below). */
    @Property(tries = 10)
    void everyUnicodePlaneArrivesByteForByteWhenItFits(@ForAll("200CodePointsOfEachPlane") List<String> texts) {
        ProbeRuntime.setMaxStringBytes(4000);
        for (int plane = 0; plane <= 16; plane++) {
            String text = texts.get(plane);
            byte[] event = encode(new WovenCall(new Kind[] {Kind.STRING}, new Object[] {text}));
            List<Object> decoded = new WovenCall(new Kind[] {Kind.STRING}, new Object[] {text})
                .verify(event, WRITE_INDEX, 4000, 4000);
            assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), (byte[]) decoded.get(0), "plane " + plane);
        }
    }

    @Provide("200CodePointsOfEachPlane")
    Arbitrary<List<String>> codePointsOfEachPlane() {
        List<Arbitrary<String>> planes = new ArrayList<>();
        for (int plane = 0; plane <= 16; plane++) {
            planes.add(BadInputs.codePoints(plane, 200, 200).filter(text -> text.indexOf('\u0000') < 0));
        }
        // no jqwik edge cases: those of 17 lists multiply (each all smallest or all largest: 2^17 combinations)
        return Combinators.combine(planes).as(texts -> texts).withoutEdgeCases();
    }

    @Example
    void nulsAndUnpairedSurrogatesBecomeQuestionMarks() {
        String[][] cases = {
            {"a\u0000b", "a?b"}, {"\u0000", "?"}, {"\uD800x", "?x"}, {"x\uDC00", "x?"}, {"\uDC00\uD800", "??"},
            {"ok\uD83D", "ok?"}, {"\uD83D\uDE00", "\uD83D\uDE00"}, {"\uDBFF\uDFFF", "\uDBFF\uDFFF"},
        };
        for (String[] example : cases) {
            WovenCall call = new WovenCall(new Kind[] {Kind.STRING}, new Object[] {example[0]});
            List<Object> decoded = call.verify(encode(call), WRITE_INDEX, 4000, 1024);
            assertEquals(example[1], new String((byte[]) decoded.get(0), StandardCharsets.UTF_8), example[0]);
        }
    }

    @Property(tries = 100)
    void megabyteStringsAreCutOnACharacterBoundaryWithinTheBound(@ForAll("megabyteStringBounds") int maxStringBytes,
                                                                 @ForAll("megabyteArguments") WovenCall call) {
        ProbeRuntime.setMaxStringBytes(maxStringBytes);
        call.verify(encode(call), WRITE_INDEX, 4000, maxStringBytes);
    }

    /** 8 to 4107: from less than one character to more than the event. */
    @Provide
    Arbitrary<Integer> megabyteStringBounds() {
        return uniform(8, 4107);
    }

    /** An int, then three 1 MB texts: as a String, as an Object, as a String. */
    @Provide
    Arbitrary<WovenCall> megabyteArguments() {
        return Combinators.combine(Arbitraries.integers(), BadInputs.megabytes(), BadInputs.megabytes(), BadInputs.megabytes())
            .as((number, first, second, third) -> new WovenCall(new Kind[] {Kind.INT, Kind.STRING, Kind.OBJECT, Kind.STRING},
                new Object[] {number, first, second, third}));
    }

    @Example
    void argumentsWhoseToStringThrowsOrReturnsNullAreWrittenAsMarkers() {
        Object[] arguments = {
            null, new BadInputs.ReturnsNull(), new BadInputs.Throwing(new IllegalStateException("boom"), null),
            new BadInputs.Throwing(null, new StackOverflowError()), BadInputs.Hostile.OMEGA_Ω,
        };
        String[] expected = {"(null)", "(null)", "(toString threw)", "(toString threw)", "OMEGA_Ω"};
        for (int i = 0; i < arguments.length; i++) {
            WovenCall call = new WovenCall(new Kind[] {Kind.OBJECT, Kind.STRING}, new Object[] {arguments[i], null});
            List<Object> decoded = call.verify(encode(call), WRITE_INDEX, 4000, 1024);
            assertEquals(expected[i], new String((byte[]) decoded.get(0), StandardCharsets.UTF_8));
            assertEquals("(null)", new String((byte[]) decoded.get(1), StandardCharsets.UTF_8), "a null String");
        }
    }

    /** Each try: one value of each of the eight primitive kinds. */
    @Property(tries = 2500)
    void extremeNumbersArriveExactlyOrAsTheirNearestDecimal(@ForAll("primitives") WovenCall call) {
        call.verify(encode(call), WRITE_INDEX, 4000, 1024);
    }

    @Provide
    Arbitrary<WovenCall> primitives() {
        return BadInputs.callsWith(Kind.BOOLEAN, Kind.BYTE, Kind.SHORT, Kind.CHAR, Kind.INT, Kind.LONG, Kind.FLOAT, Kind.DOUBLE);
    }

    /** Encodes {@code call} with a fresh enabled probe; the probe must stay on and exactly one event come out. */
    private byte[] encode(WovenCall call) {
        Probe probe = TestProbes.install(call, WRITE_INDEX, sink);
        int before = sink.writes();
        call.encode(probe.id());
        assertFalse(probe.isOff(), "the probe switched itself off");
        assertEquals(before + 1, sink.writes(), "one write per call");
        byte[] event = sink.takeLast();
        assertNotNull(event);
        return event;
    }
}
