package dev.userevents.agent.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * A UTC time as RFC 3339 text with nanoseconds, {@code 2026-12-01T15:04:05.123456789Z}, written as ASCII into
 * an event buffer without allocating: the date part is computed (with {@link LocalDate}) once a day and kept.
 */
final class UtcTime {
    /** Bytes of the text. */
    static final int LENGTH = 30;
    private static final long SECONDS_PER_DAY = 86_400;

    /** The day whose date text is kept, and that text, {@code yyyy-mm-ddT}; replaced whole, never changed. */
    private static final class Day {
        final long epochDay;
        final byte[] text;

        Day(long epochDay) {
            this.epochDay = epochDay;
            this.text = (LocalDate.ofEpochDay(epochDay) + "T").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static volatile Day day = new Day(0);

    private UtcTime() {
    }

    /**
     * Writes the time at {@code at}, {@link #LENGTH} bytes.
     *
     * @param epochSecond seconds since 1970-01-01T00:00:00Z, in years 0 to 9999
     * @param nano        nanoseconds within the second, 0 to 999,999,999
     * @param buffer      the event buffer; absolute puts only
     * @param at          where the text starts; {@code at + LENGTH} must not pass the buffer's limit
     * @return {@code at + LENGTH}
     */
    static int write(long epochSecond, int nano, ByteBuffer buffer, int at) {
        long epochDay = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        Day today = day;
        if (today.epochDay != epochDay) {
            today = new Day(epochDay);
            day = today;
        }
        byte[] date = today.text; // 11 bytes for years 0 to 9999
        for (int i = 0; i < date.length; i++) {
            buffer.put(at + i, date[i]);
        }
        int position = at + date.length;
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        position = twoDigits(buffer, position, secondOfDay / 3600);
        buffer.put(position++, (byte) ':');
        position = twoDigits(buffer, position, secondOfDay / 60 % 60);
        buffer.put(position++, (byte) ':');
        position = twoDigits(buffer, position, secondOfDay % 60);
        buffer.put(position++, (byte) '.');
        for (int i = 8, rest = nano; i >= 0; i--, rest /= 10) {
            buffer.put(position + i, (byte) ('0' + rest % 10));
        }
        position += 9;
        buffer.put(position++, (byte) 'Z');
        return position;
    }

    private static int twoDigits(ByteBuffer buffer, int position, int value) {
        buffer.put(position, (byte) ('0' + value / 10));
        buffer.put(position + 1, (byte) ('0' + value % 10));
        return position + 2;
    }
}
