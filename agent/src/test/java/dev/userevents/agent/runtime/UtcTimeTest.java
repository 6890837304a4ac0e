package dev.userevents.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** {@link UtcTime} against the JDK's own reading of RFC 3339 ({@link Instant#parse}), over years 0 to 9999. */
class UtcTimeTest {

    @Property(tries = 2000)
    void everyInstantReadsBackExactly(@ForAll @LongRange(min = -62_167_219_200L, max = 253_402_300_799L) long second,
                                      @ForAll @IntRange(min = 0, max = 999_999_999) int nano) {
        assertEquals(Instant.ofEpochSecond(second, nano), Instant.parse(text(second, nano)));
    }

    @Example
    void aKnownInstantHasNineFractionDigitsAndAZ() {
        assertEquals("2026-12-01T15:04:05.000000042Z", text(1_796_137_445L, 42));
        assertEquals("1970-01-01T00:00:00.000000000Z", text(0, 0));
        assertEquals("1969-12-31T23:59:59.999999999Z", text(-1, 999_999_999));
    }

    @Example
    void consecutiveDaysAcrossMidnightEachGetTheirDate() {
        long midnight = 1_796_169_600L; // 2026-12-02T00:00:00Z
        assertEquals("2026-12-01T23:59:59.500000000Z", text(midnight - 1, 500_000_000));
        assertEquals("2026-12-02T00:00:00.000000000Z", text(midnight, 0));
        assertEquals("2026-12-01T23:59:59.999999999Z", text(midnight - 1, 999_999_999));
    }

    private static String text(long second, int nano) {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        int end = UtcTime.write(second, nano, buffer, 3);
        assertEquals(3 + UtcTime.LENGTH, end);
        byte[] bytes = new byte[UtcTime.LENGTH];
        buffer.get(3, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
