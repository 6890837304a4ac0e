package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.userevents.agent.runtime.EventRecord;
import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.agent.safety.RandomCall.Kind;
import dev.userevents.shim.hotpath.EventLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The payload encoder fed bad input, property-style: seeded random calls (bounded iterations, seed in
 * {@link RandomInputs#SEED}, {@code -Dsafety.seed=N} for another) through {@link ProbeRuntime}'s put and
 * commit, each event decoded as the kernel would and checked against {@link RandomCall}'s model. Every event
 * must decode, stay within its bounds, and say what the argument was (possibly cut); the probe never switches
 * itself off and nothing reaches the caller.
 */
class EncoderPropertyTest {
    private static final int WRITE_INDEX = 7;

    private final TestProbes.LastEvent sink = new TestProbes.LastEvent();

    @AfterEach
    void restoreDefaultBounds() {
        ProbeRuntime.setMaxEventBytes(4000);
        ProbeRuntime.setMaxStringBytes(1024);
    }

    @Test
    void randomCallsOfUpTo20ArgumentsUnderRandomBoundsAllDecode_4000Calls() {
        RandomInputs in = new RandomInputs(RandomInputs.SEED);
        int longest = 0;
        int cut = 0;
        for (int i = 0; i < 4000; i++) {
            int maxEventBytes = in.random().nextBoolean() ? 4000 : 64 + in.random().nextInt(EventLayout.MAX_RECORDED_EVENT - 63);
            int maxStringBytes = in.random().nextBoolean() ? 1024 : 8 + in.random().nextInt(5000);
            ProbeRuntime.setMaxEventBytes(maxEventBytes);
            ProbeRuntime.setMaxStringBytes(maxStringBytes);
            RandomCall call = RandomCall.random(in, 20);
            byte[] event = encode(call);
            call.verify(event, WRITE_INDEX, maxEventBytes, maxStringBytes);
            longest = Math.max(longest, event.length);
            cut += new String(event, StandardCharsets.ISO_8859_1).contains("...\0") ? 1 : 0;
        }
        System.out.printf("encoder: 4000 random calls (seed %d) decoded as the model says; longest event %d bytes,"
            + " %d events with a cut string%n", RandomInputs.SEED, longest, cut);
    }

    @Test
    void everyUnicodePlaneArrivesByteForByteWhenItFits() {
        RandomInputs in = new RandomInputs(RandomInputs.SEED);
        ProbeRuntime.setMaxStringBytes(4000);
        for (int plane = 0; plane <= 16; plane++) {
            String text = in.codePoints(200, plane);
            byte[] event = encode(new RandomCall(new Kind[] {Kind.STRING}, new Object[] {text}));
            List<Object> decoded = new RandomCall(new Kind[] {Kind.STRING}, new Object[] {text})
                .verify(event, WRITE_INDEX, 4000, 4000);
            assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), (byte[]) decoded.get(0), "plane " + plane);
        }
    }

    @Test
    void nulsAndUnpairedSurrogatesBecomeQuestionMarks() {
        String[][] cases = {
            {"a\u0000b", "a?b"}, {"\u0000", "?"}, {"\uD800x", "?x"}, {"x\uDC00", "x?"}, {"\uDC00\uD800", "??"},
            {"ok\uD83D", "ok?"}, {"\uD83D\uDE00", "\uD83D\uDE00"}, {"\uDBFF\uDFFF", "\uDBFF\uDFFF"},
        };
        for (String[] example : cases) {
            RandomCall call = new RandomCall(new Kind[] {Kind.STRING}, new Object[] {example[0]});
            List<Object> decoded = call.verify(encode(call), WRITE_INDEX, 4000, 1024);
            assertEquals(example[1], new String((byte[]) decoded.get(0), StandardCharsets.UTF_8), example[0]);
        }
    }

    @Test
    void megabyteStringsAreCutOnACharacterBoundaryWithinTheBound_200Strings() {
        RandomInputs in = new RandomInputs(RandomInputs.SEED + 1);
        for (int i = 0; i < 200; i++) {
            int maxStringBytes = 8 + in.random().nextInt(4100);
            ProbeRuntime.setMaxStringBytes(maxStringBytes);
            Kind[] kinds = {Kind.INT, Kind.STRING, Kind.OBJECT, Kind.STRING};
            RandomCall call = new RandomCall(kinds, new Object[] {i, in.megabyte(), in.megabyte(), in.megabyte()});
            call.verify(encode(call), WRITE_INDEX, 4000, maxStringBytes);
        }
    }

    @Test
    void argumentsWhoseToStringThrowsOrReturnsNullAreWrittenAsMarkers() {
        Object[] arguments = {
            null, new RandomInputs.ReturnsNull(), new RandomInputs.Throwing(new IllegalStateException("boom"), null),
            new RandomInputs.Throwing(null, new StackOverflowError()), RandomInputs.Hostile.OMEGA_Ω,
        };
        String[] expected = {"(null)", "(null)", "(toString threw)", "(toString threw)", "OMEGA_Ω"};
        for (int i = 0; i < arguments.length; i++) {
            RandomCall call = new RandomCall(new Kind[] {Kind.OBJECT, Kind.STRING}, new Object[] {arguments[i], null});
            List<Object> decoded = call.verify(encode(call), WRITE_INDEX, 4000, 1024);
            assertEquals(expected[i], new String((byte[]) decoded.get(0), StandardCharsets.UTF_8));
            assertEquals("(null)", new String((byte[]) decoded.get(1), StandardCharsets.UTF_8), "a null String");
        }
    }

    @Test
    void extremeNumbersArriveExactlyOrAsTheirNearestDecimal_20000Values() {
        RandomInputs in = new RandomInputs(RandomInputs.SEED + 2);
        Kind[] kinds = {Kind.BOOLEAN, Kind.BYTE, Kind.SHORT, Kind.CHAR, Kind.INT, Kind.LONG, Kind.FLOAT, Kind.DOUBLE};
        for (int i = 0; i < 2500; i++) {
            RandomCall call = RandomCall.withKinds(kinds, in);
            call.verify(encode(call), WRITE_INDEX, 4000, 1024);
        }
    }

    /** Encodes {@code call} with a fresh enabled probe; the probe must stay on and exactly one event come out. */
    private byte[] encode(RandomCall call) {
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
