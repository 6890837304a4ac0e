package dev.userevents.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.userevents.agent.testing.CapturingSink;
import dev.userevents.agent.testing.EventPayload;
import dev.userevents.agent.testing.InstalledProbes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Events encoded by the real runtime, called as woven code calls it ({@code begin}, one put per parameter,
 * {@code commit}), and read back as the kernel reads them.
 */
class ProbeRuntimeEncodingTest {

    private final CapturingSink sink = new CapturingSink();

    private enum Status { OPEN, CLOSED { } }

    @Test
    void eventStartsWithTheWriteIndexInNativeOrder() {
        Probe probe = InstalledProbes.enabled(0, 0, sink);

        ProbeRuntime.commit(ProbeRuntime.begin(probe.id()));

        EventPayload event = onlyEvent();
        assertEquals(probe.writeIndex(), event.writeIndex());
        assertEquals(4, event.length());
    }

    @Test
    void booleanIsOneByteZeroOrOne() {
        Probe probe = InstalledProbes.enabled(2, 0, sink);

        EventRecord record = ProbeRuntime.begin(probe.id());
        record = ProbeRuntime.putBoolean(record, true);
        record = ProbeRuntime.putBoolean(record, false);
        ProbeRuntime.commit(record);

        EventPayload event = onlyEvent();
        assertEquals(1, event.u8());
        assertEquals(0, event.u8());
        assertEquals(4 + 2, event.length());
    }

    @Test
    void byteKeepsItsSignAndRange() {
        Probe probe = InstalledProbes.enabled(3, 0, sink);

        EventRecord record = ProbeRuntime.begin(probe.id());
        record = ProbeRuntime.putByte(record, Byte.MIN_VALUE);
        record = ProbeRuntime.putByte(record, Byte.MAX_VALUE);
        record = ProbeRuntime.putByte(record, (byte) -1);
        ProbeRuntime.commit(record);

        EventPayload event = onlyEvent();
        assertEquals(Byte.MIN_VALUE, event.s8());
        assertEquals(Byte.MAX_VALUE, event.s8());
        assertEquals(-1, event.s8());
        assertEquals(4 + 3, event.length());
    }

    @Test
    void shortIsTwoBytesNativeOrder() {
        Probe probe = InstalledProbes.enabled(6, 0, sink);

        EventRecord record = ProbeRuntime.begin(probe.id());
        record = ProbeRuntime.putShort(record, Short.MIN_VALUE);
        record = ProbeRuntime.putShort(record, Short.MAX_VALUE);
        record = ProbeRuntime.putShort(record, (short) 0x1234);
        ProbeRuntime.commit(record);

        EventPayload event = onlyEvent();
        assertEquals(Short.MIN_VALUE, event.s16());
        assertEquals(Short.MAX_VALUE, event.s16());
        assertEquals(0x1234, event.s16());
    }

    @Test
    void charIsItsUnsignedUtf16CodeUnit() {
        Probe probe = InstalledProbes.enabled(6, 0, sink);

        EventRecord record = ProbeRuntime.begin(probe.id());
        record = ProbeRuntime.putChar(record, 'A');
        record = ProbeRuntime.putChar(record, '\uFFFF');
        record = ProbeRuntime.putChar(record, '\uD83D'); // half of a surrogate pair is still just a code unit
        ProbeRuntime.commit(record);

        EventPayload event = onlyEvent();
        assertEquals('A', event.u16());
        assertEquals(0xFFFF, event.u16());
        assertEquals(0xD83D, event.u16());
    }

    @Test
    void intKeepsItsExtremes() {
        Probe probe = InstalledProbes.enabled(16, 0, sink);

        EventRecord record = ProbeRuntime.begin(probe.id());
        record = ProbeRuntime.putInt(record, Integer.MIN_VALUE);
        record = ProbeRuntime.putInt(record, Integer.MAX_VALUE);
        record = ProbeRuntime.putInt(record, 0);
        record = ProbeRuntime.putInt(record, 0xCAFEBABE);
        ProbeRuntime.commit(record);

        EventPayload event = onlyEvent();
        assertEquals(Integer.MIN_VALUE, event.s32());
        assertEquals(Integer.MAX_VALUE, event.s32());
        assertEquals(0, event.s32());
        assertEquals(0xCAFEBABE, event.s32());
        assertEquals(4 + 16, event.length());
    }

    @Test
    void longKeepsItsExtremes() {
        Probe probe = InstalledProbes.enabled(24, 0, sink);

        EventRecord record = ProbeRuntime.begin(probe.id());
        record = ProbeRuntime.putLong(record, Long.MIN_VALUE);
        record = ProbeRuntime.putLong(record, Long.MAX_VALUE);
        record = ProbeRuntime.putLong(record, 0x0123_4567_89AB_CDEFL);
        ProbeRuntime.commit(record);

        EventPayload event = onlyEvent();
        assertEquals(Long.MIN_VALUE, event.s64());
        assertEquals(Long.MAX_VALUE, event.s64());
        assertEquals(0x0123_4567_89AB_CDEFL, event.s64());
        assertEquals(4 + 24, event.length());
    }

    @Test
    void fixedFieldsOfMixedSizesArePackedInParameterOrderWithoutPadding() {
        Probe probe = InstalledProbes.enabled(1 + 8 + 2 + 4 + 1, 0, sink);

        EventRecord record = ProbeRuntime.begin(probe.id());
        record = ProbeRuntime.putByte(record, (byte) 7);
        record = ProbeRuntime.putLong(record, -2L);
        record = ProbeRuntime.putChar(record, 'z');
        record = ProbeRuntime.putInt(record, 99);
        record = ProbeRuntime.putBoolean(record, true);
        ProbeRuntime.commit(record);

        EventPayload event = onlyEvent();
        assertEquals(7, event.s8());
        assertEquals(-2L, event.s64());
        assertEquals('z', event.u16());
        assertEquals(99, event.s32());
        assertEquals(1, event.u8());
        assertEquals(4 + 16, event.length());
    }

    @Test
    void floatBecomesSevenSignificantDigitsOfText() {
        assertEquals(List.of("0.1", "12.5", "0.3333333", "-0", "NaN", "Infinity", "-Infinity", "1.401298e-45", "3.402823e+38"),
            floats(0.1f, 12.5f, 1f / 3, -0.0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.MIN_VALUE, Float.MAX_VALUE));
    }

    @Test
    void doubleBecomesFifteenSignificantDigitsOfText() {
        assertEquals(List.of("0.1", "12.5", "1", "0.333333333333333", "1e+300", "-0", "NaN", "Infinity", "-Infinity",
                "4.94065645841247e-324", "1e-310", "1.79769313486232e+308"),
            doubles(0.1, 12.5, 1.0, 1.0 / 3, 1e300, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 1e-310, Double.MAX_VALUE));
    }

    @Test
    void stringIsUtf8AndNulTerminatedAfterTheFixedFields() {
        Probe probe = InstalledProbes.enabled(4, 1, sink);

        EventRecord record = ProbeRuntime.begin(probe.id());
        record = ProbeRuntime.putString(record, "order-17");
        ProbeRuntime.commit(record);

        EventPayload event = onlyEvent();
        int location = event.relLoc();
        assertEquals(9, location >>> 16, "length counts the NUL");
        assertEquals(0, location & 0xFFFF, "the only string starts right after its own field");
        assertEquals(4 + 4 + 9, event.length());
        assertEquals("order-17", new EventPayload(sink.events().get(0)).string());
    }

    @Test
    void relLocOffsetsCountFromTheEndOfEachField() {
        Probe probe = InstalledProbes.enabled(4 + 4 + 4, 2, sink);

        EventRecord record = ProbeRuntime.begin(probe.id());
        record = ProbeRuntime.putString(record, "ab");
        record = ProbeRuntime.putInt(record, 5);
        record = ProbeRuntime.putString(record, "xyz");
        ProbeRuntime.commit(record);

        EventPayload event = onlyEvent();
        // fields: [4..8) rel_loc, [8..12) int, [12..16) rel_loc; data: "ab\0" at 16, "xyz\0" at 19
        assertEquals((3 << 16) | (16 - 8), event.relLoc());
        assertEquals(5, event.s32());
        assertEquals((4 << 16) | (19 - 16), event.relLoc());
        assertEquals(4 + 12 + 3 + 4, event.length());
    }

    @Test
    void stringsFollowEachOtherInParameterOrder() {
        Probe probe = InstalledProbes.enabled(4 + 4 + 4 + 4, 3, sink);

        EventRecord record = ProbeRuntime.begin(probe.id());
        record = ProbeRuntime.putString(record, "first");
        record = ProbeRuntime.putInt(record, -1);
        record = ProbeRuntime.putString(record, "second");
        record = ProbeRuntime.putDouble(record, 2.5);
        ProbeRuntime.commit(record);

        EventPayload event = onlyEvent();
        assertEquals("first", event.string());
        assertEquals(-1, event.s32());
        assertEquals("second", event.string());
        assertEquals("2.5", event.string());
    }

    @Test
    void nullStringIsTheTextNullInParentheses() {
        assertEquals("(null)", oneString(null));
    }

    @Test
    void emptyStringIsJustItsNul() {
        Probe probe = InstalledProbes.enabled(4, 1, sink);

        ProbeRuntime.commit(ProbeRuntime.putString(ProbeRuntime.begin(probe.id()), ""));

        EventPayload event = onlyEvent();
        assertEquals("", event.string());
        assertEquals(4 + 4 + 1, event.length());
    }

    @Test
    void nonAsciiTextIsEncodedAsUtf8() {
        String text = "caf\u00e9 \u00fcber \u20ac \u65e5\u672c";

        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), oneStringBytes(text));
    }

    @Test
    void surrogatePairBecomesOneFourByteUtf8Character() {
        String text = "a\uD83D\uDE00b"; // U+1F600

        assertArrayEquals(new byte[] {'a', (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80, 'b'}, oneStringBytes(text));
    }

    @Test
    void loneSurrogatesBecomeQuestionMarks() {
        assertEquals("a?b?c?", oneString("a\uD83Db\uDE00c\uD83D"));
    }

    @Test
    void nulInsideTextBecomesQuestionMarkSoTheKernelSeesTheWholeString() {
        assertEquals("a?b", oneString("a\u0000b"));
    }

    /**
     * ASCII text takes a fast path (8 bytes at a time from a LATIN1 String's own bytes) that hands over to the
     * general encoder at the first other char: every position of that char, in LATIN1 and UTF16 Strings.
     */
    @Test
    void textSwitchingFromAsciiToOtherCharsAtAnyPositionIsEncodedExactly() {
        String ascii = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (String other : new String[] {"\u00e9", "\u20ac", "\uD83D\uDE00", "\u007f"}) {
            for (int at = 0; at <= 20; at++) {
                String text = ascii.substring(0, at) + other + ascii.substring(at, at + 5);
                assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), oneStringBytes(text), text);
            }
        }
    }

    @Test
    void nulAtAnyPositionOfAsciiTextBecomesQuestionMark() {
        String ascii = "abcdefghijklmnopqrstuvwxyz";
        for (int at = 0; at < 20; at++) {
            String text = ascii.substring(0, at) + '\u0000' + ascii.substring(at, at + 4);
            assertEquals(text.replace('\u0000', '?'), oneString(text), "NUL at " + at);
        }
    }

    @Test
    void asciiTextOfEveryLengthUpToThreeWordsIsEncodedExactly() {
        String ascii = "The quick brown fox jumps!";
        for (int length = 0; length <= 25; length++) {
            assertEquals(ascii.substring(0, length), oneString(ascii.substring(0, length)));
        }
    }

    @Test
    void enumIsEncodedByItsName() {
        assertEquals(List.of("OPEN", "CLOSED"), objects(Status.OPEN, Status.CLOSED));
    }

    @Test
    void otherObjectsAreEncodedWithToString() {
        assertEquals(List.of("[1, 2]", "42", "text"), objects(List.of(1, 2), 42, "text"));
    }

    @Test
    void nullObjectIsTheTextNullInParenthesesLikeANullString() {
        assertEquals(List.of("(null)"), objects((Object) null));
    }

    @Test
    void nullEnumIsTheTextNullInParentheses() {
        Status none = null;

        assertEquals(List.of("(null)"), objects(none));
    }

    @Test
    void toStringReturningNullIsTheTextNullInParentheses() {
        Object nullText = new Object() {
            @Override
            public String toString() {
                return null;
            }
        };

        assertEquals(List.of("(null)"), objects(nullText));
    }

    @Test
    void throwingToStringIsMarkedAndTheCallerSeesNoException() {
        Object broken = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("boom");
            }
        };
        Probe probe = InstalledProbes.enabled(4 + 4, 2, sink);

        EventRecord record = ProbeRuntime.begin(probe.id());
        record = ProbeRuntime.putObject(record, broken);
        record = ProbeRuntime.putString(record, "after");
        ProbeRuntime.commit(record);

        EventPayload event = onlyEvent();
        assertEquals("(toString threw)", event.string());
        assertEquals("after", event.string(), "the fields after the broken one are still encoded");
        assertFalse(probe.isOff(), "an argument's own failure is not the probe's");
    }

    @Test
    void eachCommitWritesExactlyOneEvent() {
        Probe probe = InstalledProbes.enabled(4, 0, sink);

        for (int i = 0; i < 5; i++) {
            ProbeRuntime.commit(ProbeRuntime.putInt(ProbeRuntime.begin(probe.id()), i));
        }

        List<EventPayload> events = sink.eventsOf(probe.writeIndex());
        assertEquals(5, events.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(i, events.get(i).s32());
        }
        assertEquals(5, probe.written());
    }

    @Test
    void reusedBufferCarriesNothingOfTheEventBefore() {
        Probe longer = InstalledProbes.enabled(4, 1, sink);
        Probe shorter = InstalledProbes.enabled(4, 1, sink);

        ProbeRuntime.commit(ProbeRuntime.putString(ProbeRuntime.begin(longer.id()), "a rather long customer name"));
        ProbeRuntime.commit(ProbeRuntime.putString(ProbeRuntime.begin(shorter.id()), "ab"));

        EventPayload second = sink.eventsOf(shorter.writeIndex()).get(0);
        assertEquals(4 + 4 + 3, second.length());
        assertEquals("ab", second.string());
    }

    @Test
    void sinkIsGivenTheNativeAddressOfTheBufferItWrites() {
        Probe probe = InstalledProbes.enabled(4, 0, sink);

        ProbeRuntime.commit(ProbeRuntime.putInt(ProbeRuntime.begin(probe.id()), 1));

        assertFalse(sink.sawAddressMismatch());
    }

    private List<String> floats(float... values) {
        Probe probe = InstalledProbes.enabled(4 * values.length, values.length, sink);
        EventRecord record = ProbeRuntime.begin(probe.id());
        for (float value : values) {
            record = ProbeRuntime.putFloat(record, value);
        }
        ProbeRuntime.commit(record);
        return strings(values.length);
    }

    private List<String> doubles(double... values) {
        Probe probe = InstalledProbes.enabled(4 * values.length, values.length, sink);
        EventRecord record = ProbeRuntime.begin(probe.id());
        for (double value : values) {
            record = ProbeRuntime.putDouble(record, value);
        }
        ProbeRuntime.commit(record);
        return strings(values.length);
    }

    private List<String> objects(Object... values) {
        Probe probe = InstalledProbes.enabled(4 * values.length, values.length, sink);
        EventRecord record = ProbeRuntime.begin(probe.id());
        for (Object value : values) {
            record = ProbeRuntime.putObject(record, value);
        }
        ProbeRuntime.commit(record);
        return strings(values.length);
    }

    private List<String> strings(int count) {
        EventPayload event = onlyEvent();
        String[] texts = new String[count];
        for (int i = 0; i < count; i++) {
            texts[i] = event.string();
        }
        return List.of(texts);
    }

    private String oneString(String text) {
        return new String(oneStringBytes(text), StandardCharsets.UTF_8);
    }

    private byte[] oneStringBytes(String text) {
        sink.clear();
        Probe probe = InstalledProbes.enabled(4, 1, sink);
        ProbeRuntime.commit(ProbeRuntime.putString(ProbeRuntime.begin(probe.id()), text));
        return onlyEvent().stringBytes();
    }

    private EventPayload onlyEvent() {
        List<byte[]> events = sink.events();
        assertEquals(1, events.size(), "events written");
        return new EventPayload(events.get(0));
    }
}
