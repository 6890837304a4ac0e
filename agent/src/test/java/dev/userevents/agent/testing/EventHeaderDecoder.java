package dev.userevents.agent.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoder of EventHeader events written from the convention's definition
 * ({@code libeventheader-tracepoint/include/eventheader/eventheader.h} in microsoft/LinuxTracepoints), not from
 * the agent's encoder: header, extension blocks (chained), the metadata extension's event name and field
 * definitions (a struct's members named with its name and a dot: {@code PartA.time}), then each field's value
 * by its encoding and format. It decodes what a collector gets: the bytes
 * after the write index (a perf sample's raw data past the tracepoint's common fields).
 */
public final class EventHeaderDecoder {
    private EventHeaderDecoder() {
    }

    /** One decoded event. */
    public record Event(int flags, int version, int id, int tag, int opcode, int level, String name,
                        List<Field> fields) {
        /** {@return the values by field name, in field order} */
        public Map<String, Object> values() {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Field field : fields) {
                values.put(field.name(), field.value());
            }
            return values;
        }

        /** {@return the value of the field named {@code fieldName}} */
        public Object value(String fieldName) {
            for (Field field : fields) {
                if (field.name().equals(fieldName)) {
                    return field.value();
                }
            }
            throw new AssertionError("no field " + fieldName + " in " + this);
        }
    }

    /**
     * One field.
     *
     * @param value Long (signed or unsigned integers), Boolean, Float, Double, Character (value16 string_utf) or
     *              String (counted or zero-terminated char8)
     */
    public record Field(String name, int encoding, int format, Object value) {
    }

    /**
     * Decodes an event.
     *
     * @param bytes  the event, starting at its eventheader
     * @param offset where the eventheader starts
     * @param length bytes of the event from {@code offset}
     * @return the decoded event
     * @throws IllegalArgumentException for anything the convention does not allow, or a field past the end
     */
    public static Event decode(byte[] bytes, int offset, int length) {
        return decode(bytes, offset, length, false);
    }

    /**
     * Decodes the payload of a perf sample's raw tracepoint record: past its {@code common_*} fields, and up to
     * 7 zero bytes of padding after the last field (perf pads raw records to 8 bytes with the size word).
     *
     * @param raw the raw record
     * @param commonFields bytes of the common fields before the payload (8)
     * @return the decoded event
     */
    public static Event decodePadded(byte[] raw, int commonFields) {
        return decode(raw, commonFields, raw.length - commonFields, true);
    }

    private static Event decode(byte[] bytes, int offset, int length, boolean padded) {
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length).slice();
        int flags = in.get() & 0xFF;
        in.order((flags & 0x02) != 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int version = in.get() & 0xFF;
        int id = in.getShort() & 0xFFFF;
        int tag = in.getShort() & 0xFFFF;
        int opcode = in.get() & 0xFF;
        int level = in.get() & 0xFF;
        byte[] metadata = null;
        if ((flags & 0x04) != 0) {
            boolean more = true;
            while (more) {
                int size = in.getShort() & 0xFFFF;
                int kind = in.getShort() & 0xFFFF;
                more = (kind & 0x8000) != 0;
                byte[] block = new byte[size];
                in.get(block);
                if ((kind & 0x7FFF) == 1) {
                    metadata = block;
                }
            }
        }
        if (metadata == null) {
            throw new IllegalArgumentException("no metadata extension: nothing says how to decode the fields");
        }
        ByteBuffer meta = ByteBuffer.wrap(metadata).order(in.order());
        String name = zstring(meta);
        List<Field> fields = new ArrayList<>();
        // open structs, innermost last: {name, members still to come}; a member's name is dotted, PartA.time
        Deque<Object[]> structs = new ArrayDeque<>();
        while (meta.hasRemaining()) {
            String fieldName = structPath(structs) + zstring(meta);
            int encoding = meta.get() & 0xFF;
            int format = 0;
            if ((encoding & 0x80) != 0) {
                format = meta.get() & 0xFF;
                if ((format & 0x80) != 0) {
                    meta.getShort(); // field tag
                }
            }
            if ((encoding & 0x60) != 0) {
                throw new IllegalArgumentException("field " + fieldName + ": arrays are not written by the agent");
            }
            int value = encoding & 0x1F;
            endMember(structs);
            if (value == 1) { // struct: no value, the next (format & 0x7F) fields are its members
                if ((format & 0x7F) == 0) {
                    throw new IllegalArgumentException("struct " + fieldName + " of no fields");
                }
                structs.addLast(new Object[] {fieldName, format & 0x7F});
                continue;
            }
            fields.add(new Field(fieldName, value, format & 0x7F, read(in, value, format & 0x7F, fieldName)));
        }
        if (!structs.isEmpty()) {
            throw new IllegalArgumentException("struct " + structs.peekLast()[0] + " lacks members in the metadata");
        }
        boolean padding = padded && in.remaining() < 8;
        while (padding && in.hasRemaining()) {
            padding = in.get() == 0;
        }
        if (in.hasRemaining() || !padding && padded) {
            throw new IllegalArgumentException("bytes after the last field that are not padding");
        }
        return new Event(flags, version, id, tag, opcode, level, name, fields);
    }

    /** Decodes an event that fills {@code bytes}. */
    public static Event decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /** The dotted path of the innermost open struct, with its dot; empty outside structs. */
    private static String structPath(Deque<Object[]> structs) {
        return structs.isEmpty() ? "" : structs.peekLast()[0] + ".";
    }

    /**
     * Counts a field or struct as one member of the innermost open struct, closing it when that was its last
     * (a struct counts in its parent where it is declared, so closing one never completes another).
     */
    private static void endMember(Deque<Object[]> structs) {
        Object[] innermost = structs.peekLast();
        if (innermost == null) {
            return;
        }
        int left = (Integer) innermost[1] - 1;
        innermost[1] = left;
        if (left == 0) {
            structs.removeLast();
        }
    }

    private static Object read(ByteBuffer in, int encoding, int format, String field) {
        switch (encoding) {
            case 2: { // value8
                byte b = in.get();
                return format == 7 ? (Object) (b != 0) : format == 2 ? (Object) (long) b : (Object) (long) (b & 0xFF);
            }
            case 3: { // value16
                short s = in.getShort();
                return format == 11 ? (Object) (char) s : format == 2 ? (Object) (long) s : (Object) (long) (s & 0xFFFF);
            }
            case 4: { // value32
                int i = in.getInt();
                return format == 8 ? (Object) Float.intBitsToFloat(i) : format == 7 ? (Object) (i != 0)
                    : format == 2 ? (Object) (long) i : (Object) (i & 0xFFFFFFFFL);
            }
            case 5: { // value64
                long l = in.getLong();
                return format == 8 ? (Object) Double.longBitsToDouble(l) : (Object) l;
            }
            case 7: // zstring_char8
                return zstring(in);
            case 10: { // string_length16_char8
                int count = in.getShort() & 0xFFFF;
                byte[] text = new byte[count];
                in.get(text);
                return new String(text, format == 10 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
            }
            default:
                throw new IllegalArgumentException("field " + field + ": encoding " + encoding + " not decoded here");
        }
    }

    private static String zstring(ByteBuffer in) {
        int start = in.position();
        while (in.get() != 0) {
            // to the NUL
        }
        byte[] text = new byte[in.position() - start - 1];
        in.get(start, text);
        return new String(text, StandardCharsets.UTF_8);
    }
}
