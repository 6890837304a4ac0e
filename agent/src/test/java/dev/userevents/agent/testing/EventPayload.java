package dev.userevents.agent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads one captured event the way the kernel does: {@code [u32 write_index][fixed fields][__rel_loc data]},
 * native byte order. Fixed fields are read in order from a cursor; a {@code __rel_loc} field is followed to
 * its data, which must lie inside the event, end in its only NUL and be valid UTF-8
 * ({@code user_event_validate()} in {@code kernel/trace/trace_events_user.c}).
 */
public final class EventPayload {
    private final byte[] bytes;
    private final ByteBuffer buffer;
    private int cursor = 4;

    public EventPayload(byte[] bytes) {
        this.bytes = bytes;
        this.buffer = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }

    public int length() {
        return bytes.length;
    }

    public int writeIndex() {
        return buffer.getInt(0);
    }

    public int u8() {
        return buffer.get(advance(1)) & 0xFF;
    }

    public byte s8() {
        return buffer.get(advance(1));
    }

    public short s16() {
        return buffer.getShort(advance(2));
    }

    public int u16() {
        return buffer.getShort(advance(2)) & 0xFFFF;
    }

    public int s32() {
        return buffer.getInt(advance(4));
    }

    public long s64() {
        return buffer.getLong(advance(8));
    }

    /** The raw {@code __rel_loc} word of the next field: {@code (length << 16) | offset from the field's end}. */
    public int relLoc() {
        return buffer.getInt(advance(4));
    }

    /** The next field as a {@code __rel_loc char[]} string, checked as the kernel would check it. */
    public String string() {
        return new String(stringBytes(), StandardCharsets.UTF_8);
    }

    /** The content bytes (NUL excluded) of the next {@code __rel_loc char[]} field, after the kernel's checks. */
    public byte[] stringBytes() {
        int fieldEnd = cursor + 4;
        int location = relLoc();
        int offset = location & 0xFFFF;
        int length = location >>> 16;
        int start = fieldEnd + offset;
        assertTrue(length >= 1, "string field at " + (fieldEnd - 4) + " has length 0: no room for its NUL");
        assertTrue(start + length <= bytes.length, "string field at " + (fieldEnd - 4) + " points at ["
            + start + ", " + (start + length) + ") outside the " + bytes.length + "-byte event");
        assertEquals(0, bytes[start + length - 1], "string field at " + (fieldEnd - 4) + " does not end in NUL");
        byte[] content = new byte[length - 1];
        System.arraycopy(bytes, start, content, 0, content.length);
        for (byte b : content) {
            assertTrue(b != 0, "string field at " + (fieldEnd - 4) + " holds a NUL before its end");
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(content));
        } catch (CharacterCodingException e) {
            fail("string field at " + (fieldEnd - 4) + " is not valid UTF-8: " + e);
        }
        return content;
    }

    /** Where the fixed fields end: the first byte after everything read so far. */
    public int cursor() {
        return cursor;
    }

    private int advance(int size) {
        int at = cursor;
        cursor += size;
        return at;
    }
}
