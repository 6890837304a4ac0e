package dev.userevents.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.testing.CapturingSink;
import dev.userevents.agent.testing.EventPayload;
import dev.userevents.agent.testing.InstalledProbes;
import dev.userevents.shim.hotpath.EventLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How strings are cut so that no string passes its bound and no event passes the event bound. */
class EventBoundsTest {

    private final CapturingSink sink = new CapturingSink();
    private int maxStringBytes;
    private int maxEventBytes;

    @BeforeEach
    void rememberBounds() {
        maxStringBytes = ProbeRuntime.maxStringBytes();
        maxEventBytes = ProbeRuntime.maxEventBytes();
    }

    @AfterEach
    void restoreBounds() {
        ProbeRuntime.setMaxStringBytes(maxStringBytes);
        ProbeRuntime.setMaxEventBytes(maxEventBytes);
    }

    @Test
    void defaultBoundsAreOneKibPerStringAndFourThousandBytesPerEvent() {
        assertEquals(1024, maxStringBytes);
        assertEquals(4000, maxEventBytes);
    }

    @Test
    void stringOfExactlyTheBoundIsKeptWhole() {
        ProbeRuntime.setMaxStringBytes(16);

        assertEquals("0123456789abcdef", oneString("0123456789abcdef"));
    }

    @Test
    void stringOneByteOverTheBoundIsCutAndEndsWithDots() {
        ProbeRuntime.setMaxStringBytes(16);

        assertEquals("0123456789abc...", oneString("0123456789abcdefg"));
    }

    @Test
    void defaultBoundCutsALongStringToOneKib() {
        String cut = oneString("x".repeat(5000));

        assertEquals(1024, cut.length());
        assertEquals("x".repeat(1021) + "...", cut);
    }

    @Test
    void cutNeverSplitsATwoByteCharacter() {
        ProbeRuntime.setMaxStringBytes(16);

        assertEquals("\u00e9".repeat(6) + "...", oneString("\u00e9".repeat(20)));
    }

    @Test
    void cutNeverSplitsAThreeByteCharacter() {
        ProbeRuntime.setMaxStringBytes(16);

        assertEquals("\u20ac".repeat(4) + "...", oneString("\u20ac".repeat(20)));
    }

    @Test
    void cutNeverSplitsASurrogatePair() {
        ProbeRuntime.setMaxStringBytes(16);

        assertEquals("\uD83D\uDE00".repeat(3) + "...", oneString("\uD83D\uDE00".repeat(10)));
    }

    @Test
    void cutAfterMixedWidthCharactersStaysOnABoundary() {
        ProbeRuntime.setMaxStringBytes(9);
        String text = "ab\u00e9\u20ac\uD83D\uDE00cd"; // 1+1+2+3+4+1+1 bytes

        byte[] cut = oneStringBytes(text);

        assertTrue(cut.length <= 9);
        assertEquals("ab\u00e9...", new String(cut, StandardCharsets.UTF_8));
    }

    @Test
    void nullMarkerIsNeverCutBelowTheSmallestBound() {
        ProbeRuntime.setMaxStringBytes(8);

        assertEquals("(null)", oneString(null));
    }

    @Test
    void shortDoubleFitsEvenTheSmallestStringBound() {
        ProbeRuntime.setMaxStringBytes(8);
        Probe probe = InstalledProbes.enabled(8, 2, sink);

        EventRecord record = ProbeRuntime.begin(probe.id());
        record = ProbeRuntime.putDouble(record, 12.5);
        record = ProbeRuntime.putFloat(record, -0.25f);
        ProbeRuntime.commit(record);

        EventPayload event = onlyEvent();
        assertEquals("12.5", event.string());
        assertEquals("-0.25", event.string());
    }

    @Test
    void doubleLongerThanTheStringBoundIsReplacedByDotsNotCutIntoAnotherNumber() {
        ProbeRuntime.setMaxStringBytes(8);

        Probe probe = InstalledProbes.enabled(4, 1, sink);
        ProbeRuntime.commit(ProbeRuntime.putDouble(ProbeRuntime.begin(probe.id()), 1.0 / 3));

        assertEquals("...", onlyEvent().string());
    }

    @Test
    void manyLongStringsNeverPushTheEventPastItsBound() {
        int fields = 10;
        Probe probe = InstalledProbes.enabled(4 * fields, fields, sink);

        EventRecord record = ProbeRuntime.begin(probe.id());
        for (int i = 0; i < fields; i++) {
            record = ProbeRuntime.putString(record, String.valueOf((char) ('a' + i)).repeat(1000));
        }
        ProbeRuntime.commit(record);

        EventPayload event = onlyEvent();
        assertTrue(event.length() <= 4000, "event of " + event.length() + " bytes");
        for (int i = 0; i < fields; i++) {
            String text = event.string();
            char expected = (char) ('a' + i);
            assertTrue(text.equals(String.valueOf(expected).repeat(1000))
                || text.matches(expected + "*\\.\\.\\."), "field " + i + " is '" + text + "'");
        }
    }

    @Test
    void stringsThatFitAreKeptWholeAndOnlyLaterOnesAreCut() {
        int fields = 10;
        Probe probe = InstalledProbes.enabled(4 * fields, fields, sink);

        EventRecord record = ProbeRuntime.begin(probe.id());
        for (int i = 0; i < fields; i++) {
            record = ProbeRuntime.putString(record, "s".repeat(1000));
        }
        ProbeRuntime.commit(record);

        EventPayload event = onlyEvent();
        for (int i = 0; i < 3; i++) {
            assertEquals(1000, event.string().length(), "field " + i);
        }
        assertTrue(event.string().endsWith("..."), "field 3 is the one that no longer fits");
    }

    @Test
    void smallestEventBoundStillGivesEveryStringFieldItsNul() {
        ProbeRuntime.setMaxEventBytes(64);
        int fields = 8;
        Probe probe = InstalledProbes.enabled(4 * fields, fields, sink);

        EventRecord record = ProbeRuntime.begin(probe.id());
        for (int i = 0; i < fields; i++) {
            record = i % 2 == 0 ? ProbeRuntime.putString(record, "\uD83D\uDE00".repeat(40))
                : ProbeRuntime.putDouble(record, Math.PI);
        }
        ProbeRuntime.commit(record);

        EventPayload event = onlyEvent();
        assertTrue(event.length() <= 64, "event of " + event.length() + " bytes");
        for (int i = 0; i < fields; i++) {
            event.string(); // checks location, NUL and UTF-8
        }
    }

    @Test
    void fullPageEventKeepsEveryStringInsideIt() {
        ProbeRuntime.setMaxEventBytes(EventLayout.MAX_RECORDED_EVENT);
        int fields = 20;
        Probe probe = InstalledProbes.enabled(4 * fields + 8, fields, sink);

        EventRecord record = ProbeRuntime.begin(probe.id());
        record = ProbeRuntime.putLong(record, 7);
        for (int i = 0; i < fields; i++) {
            record = ProbeRuntime.putString(record, "\u20ac".repeat(1024));
        }
        ProbeRuntime.commit(record);

        EventPayload event = onlyEvent();
        assertTrue(event.length() <= EventLayout.MAX_RECORDED_EVENT, "event of " + event.length() + " bytes");
        assertEquals(7, event.s64());
        for (int i = 0; i < fields; i++) {
            event.string();
        }
    }

    @Test
    void cutStringMarkerIsThreeDotsEvenWhenOnlyThreeBytesAreLeft() {
        ProbeRuntime.setMaxEventBytes(64);
        Probe probe = InstalledProbes.enabled(8, 2, sink);

        EventRecord record = ProbeRuntime.begin(probe.id());
        record = ProbeRuntime.putString(record, "y".repeat(200));
        record = ProbeRuntime.putString(record, "z".repeat(200));
        ProbeRuntime.commit(record);

        EventPayload event = onlyEvent();
        // 4 + 8 fixed; the first string leaves 4 bytes ("..." and NUL) for the second
        assertEquals("y".repeat(64 - 12 - 1 - 4 - 3) + "...", event.string());
        assertEquals("...", event.string());
        assertEquals(64, event.length());
    }

    @Test
    void stringBoundBelowEightBytesIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ProbeRuntime.setMaxStringBytes(7));

        assertEquals("string bound 7: use at least 8 bytes", refused.getMessage());
        assertEquals(maxStringBytes, ProbeRuntime.maxStringBytes());
    }

    @Test
    void eventBoundOutsideSixtyFourToOnePageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ProbeRuntime.setMaxEventBytes(63));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> ProbeRuntime.setMaxEventBytes(EventLayout.MAX_RECORDED_EVENT + 1));

        assertEquals("maximum event size 4069: use 64..4068 (larger events are dropped by the kernel's ring buffer)",
            refused.getMessage());
        assertEquals(maxEventBytes, ProbeRuntime.maxEventBytes());
    }

    @Test
    void eventBoundsAtTheLimitsAreAccepted() {
        ProbeRuntime.setMaxEventBytes(64);
        assertEquals(64, ProbeRuntime.maxEventBytes());
        ProbeRuntime.setMaxEventBytes(EventLayout.MAX_RECORDED_EVENT);
        assertEquals(EventLayout.MAX_RECORDED_EVENT, ProbeRuntime.maxEventBytes());
        ProbeRuntime.setMaxStringBytes(8);
        assertEquals(8, ProbeRuntime.maxStringBytes());
    }

    private String oneString(String text) {
        return new String(oneStringBytes(text), StandardCharsets.UTF_8);
    }

    private byte[] oneStringBytes(String text) {
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
