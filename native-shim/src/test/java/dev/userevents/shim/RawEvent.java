package dev.userevents.shim;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One event payload laid out by hand, independently of the production encoder, in a direct buffer:
 * {@code [u32 write_index][fixed fields in format order][string bytes]}, native byte order. A string
 * field holds {@code (length << 16) | offset}, the offset counted from the end of the field itself to
 * its NUL-terminated bytes ({@code DYN_LOC} of {@code include/uapi/linux/user_events.h}).
 */
final class RawEvent {
    private final ByteBuffer fixed = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
    private final List<Integer> stringFieldPositions = new ArrayList<>();
    private final List<byte[]> strings = new ArrayList<>();
    private final ByteBuffer payload = ByteBuffer.allocateDirect(8192).order(ByteOrder.nativeOrder());

    private RawEvent(int writeIndex) {
        fixed.putInt(writeIndex);
    }

    static RawEvent of(Registration registration) {
        return new RawEvent(registration.writeIndex());
    }

    static RawEvent withWriteIndex(int writeIndex) {
        return new RawEvent(writeIndex);
    }

    RawEvent s8(int value) {
        fixed.put((byte) value);
        return this;
    }

    RawEvent u8(int value) {
        fixed.put((byte) value);
        return this;
    }

    RawEvent s16(int value) {
        fixed.putShort((short) value);
        return this;
    }

    RawEvent u16(int value) {
        fixed.putShort((short) value);
        return this;
    }

    RawEvent s32(int value) {
        fixed.putInt(value);
        return this;
    }

    RawEvent u32(long value) {
        fixed.putInt((int) value);
        return this;
    }

    RawEvent s64(long value) {
        fixed.putLong(value);
        return this;
    }

    RawEvent u64(long value) {
        fixed.putLong(value);
        return this;
    }

    /** A {@code char[N]} field: the bytes, zero-padded to N. */
    RawEvent chars(String value, int length) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        fixed.put(bytes, 0, Math.min(bytes.length, length));
        for (int i = bytes.length; i < length; i++) {
            fixed.put((byte) 0);
        }
        return this;
    }

    /** A {@code __rel_loc char[]} field: UTF-8 bytes plus NUL, placed after all fixed fields. */
    RawEvent string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        byte[] withNul = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, withNul, 0, utf8.length);
        stringFieldPositions.add(fixed.position());
        strings.add(withNul);
        fixed.putInt(0);
        return this;
    }

    /** A string field whose bytes lack the NUL the kernel insists on: a malformed payload on purpose. */
    RawEvent unterminatedString(String value) {
        stringFieldPositions.add(fixed.position());
        strings.add(value.getBytes(StandardCharsets.UTF_8));
        fixed.putInt(0);
        return this;
    }

    /** The payload's bytes, from the write index on. */
    ByteBuffer bytes() {
        payload.clear();
        payload.put(fixed.array(), 0, fixed.position());
        for (int i = 0; i < strings.size(); i++) {
            int field = stringFieldPositions.get(i);
            byte[] data = strings.get(i);
            int offsetFromFieldEnd = payload.position() - (field + 4);
            payload.putInt(field, (data.length << 16) | offsetFromFieldEnd);
            payload.put(data);
        }
        payload.flip();
        return payload;
    }

    /** One {@code write()} of the whole payload; the bytes written or {@code -errno}. */
    long writeTo(UserEventsDataFile file) {
        ByteBuffer bytes = bytes();
        long address = Pointer.nativeValue(Native.getDirectBufferPointer(bytes));
        return file.write(address, bytes.remaining());
    }
}
