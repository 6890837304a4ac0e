package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.userevents.agent.runtime.EventRecord;
import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.shim.EventFormat;
import dev.userevents.shim.FieldType;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One call of a woven method ({@link BadInputs} makes random ones): arguments of the kinds woven code passes to
 * {@link ProbeRuntime}, what the encoder must make of them (a reference model written from the README's rules,
 * not from the encoder), and the line the kernel prints for the event.
 *
 * <p>The model: fixed fields in order, native byte order; then each string-like field ({@code float},
 * {@code double}, {@code String}, any object) as UTF-8 with NUL and unpaired surrogates as '?', null as
 * "(null)", a throwing {@code toString()} as "(toString threw)", an enum by {@code name()}. A string gets
 * {@code room = min(maxStringBytes, limit - position - 1 - 4 * stringsStillToCome)} bytes; longer text is cut
 * on a character boundary to end in "..." within that room (with fewer than 3 bytes of room: cut, no dots);
 * markers are cut plainly; a number is never cut, it becomes "..." instead.
 */
final class WovenCall {
    /** The parameter kinds woven code distinguishes, with the field type each becomes. */
    enum Kind {
        BOOLEAN(FieldType.U8), BYTE(FieldType.S8), SHORT(FieldType.S16), CHAR(FieldType.U16), INT(FieldType.S32),
        LONG(FieldType.S64), FLOAT(FieldType.REL_LOC_STRING), DOUBLE(FieldType.REL_LOC_STRING),
        STRING(FieldType.REL_LOC_STRING), OBJECT(FieldType.REL_LOC_STRING);

        final FieldType type;

        Kind(FieldType type) {
            this.type = type;
        }

        boolean isText() {
            return type == FieldType.REL_LOC_STRING;
        }
    }

    private static final byte[] NULL_TEXT = "(null)".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] THREW_TEXT = "(toString threw)".getBytes(StandardCharsets.US_ASCII);
    /** DecimalText.MAX_LENGTH: no number's text is longer, so a number cut to "..." had less room than this. */
    private static final int LONGEST_NUMBER = 32;

    final Kind[] kinds;
    final Object[] values;

    WovenCall(Kind[] kinds, Object[] values) {
        this.kinds = kinds;
        this.values = values;
    }

    int fixedSize() {
        int size = 0;
        for (Kind kind : kinds) {
            size += kind.type.size();
        }
        return size;
    }

    int stringFields() {
        int count = 0;
        for (Kind kind : kinds) {
            count += kind.isText() ? 1 : 0;
        }
        return count;
    }

    /** The event format a method with these parameters registers; fields named {@code names}. */
    EventFormat format(String eventName, String[] names) {
        EventFormat format = EventFormat.named(eventName);
        for (int i = 0; i < kinds.length; i++) {
            format = format.with(kinds[i].type, names[i]);
        }
        return format;
    }

    /** What woven code does once the enable bit is set: begin, one put per argument, commit. */
    void encode(int probeId) {
        EventRecord record = ProbeRuntime.begin(probeId);
        for (int i = 0; i < kinds.length; i++) {
            Object value = values[i];
            switch (kinds[i]) {
                case BOOLEAN: record = ProbeRuntime.putBoolean(record, (Boolean) value); break;
                case BYTE: record = ProbeRuntime.putByte(record, (Byte) value); break;
                case SHORT: record = ProbeRuntime.putShort(record, (Short) value); break;
                case CHAR: record = ProbeRuntime.putChar(record, (Character) value); break;
                case INT: record = ProbeRuntime.putInt(record, (Integer) value); break;
                case LONG: record = ProbeRuntime.putLong(record, (Long) value); break;
                case FLOAT: record = ProbeRuntime.putFloat(record, (Float) value); break;
                case DOUBLE: record = ProbeRuntime.putDouble(record, (Double) value); break;
                case STRING: record = ProbeRuntime.putString(record, (String) value); break;
                default: record = ProbeRuntime.putObject(record, value); break;
            }
        }
        ProbeRuntime.commit(record);
    }

    /**
     * Reads {@code event} ({@code [u32 write index][fixed fields][string data]}) as the kernel does
     * ({@code user_event_validate()}: each {@code __rel_loc} inside the event, NUL-terminated) and checks every
     * field against the model. Returns the decoded values: Long for integers, byte[] (content, NUL excluded)
     * for strings.
     */
    List<Object> verify(byte[] event, int writeIndex, int maxEventBytes, int maxStringBytes) {
        ByteBuffer in = ByteBuffer.wrap(event).order(ByteOrder.nativeOrder());
        assertTrue(event.length >= 4 + fixedSize(), "event of " + event.length + " bytes is shorter than its fixed part");
        assertEquals(writeIndex, in.getInt(0), "write index");
        int limit = Math.min(maxEventBytes, EventRecord.CAPACITY);
        int field = 4;
        int data = 4 + fixedSize();
        int stringsLeft = stringFields();
        List<Object> decoded = new ArrayList<>();
        for (int i = 0; i < kinds.length; i++) {
            Object value = values[i];
            String where = "argument " + i + " (" + kinds[i] + " " + describe(value) + ")";
            switch (kinds[i]) {
                case BOOLEAN: decoded.add(check(where, (Boolean) value ? 1 : 0, in.get(field) & 0xFF)); break;
                case BYTE: decoded.add(check(where, (Byte) value, in.get(field))); break;
                case SHORT: decoded.add(check(where, (Short) value, in.getShort(field))); break;
                case CHAR: decoded.add(check(where, (Character) value, in.getChar(field))); break;
                case INT: decoded.add(check(where, (Integer) value, in.getInt(field))); break;
                case LONG: decoded.add(check(where, (Long) value, in.getLong(field))); break;
                default: {
                    stringsLeft--;
                    int room = Math.max(0, Math.min(limit - data - 1 - stringsLeft * 4, maxStringBytes));
                    int location = in.getInt(field);
                    int start = field + 4 + (location & 0xFFFF);
                    int length = location >>> 16;
                    assertEquals(data, start, where + ": string data must follow the previous one");
                    byte[] content = kernelString(event, start, length, where);
                    checkText(where, kinds[i], value, content, room);
                    decoded.add(content);
                    data = start + length;
                }
            }
            field += kinds[i].type.size();
        }
        assertEquals(data, event.length, "event length: fixed part and strings, nothing after");
        if (4 + fixedSize() + 4 * stringFields() <= limit) {
            assertTrue(event.length <= limit, "event of " + event.length + " bytes exceeds the bound " + limit);
        }
        return decoded;
    }

    private static long check(String where, long expected, long actual) {
        assertEquals(expected, actual, where);
        return actual;
    }

    /** Bounds, one NUL at the end, valid UTF-8: what the kernel and every trace reader rely on. */
    private static byte[] kernelString(byte[] event, int start, int length, String where) {
        assertTrue(length >= 1, where + ": length 0 leaves no room for the NUL");
        assertTrue(start + length <= event.length, where + ": [" + start + ", " + (start + length)
            + ") lies outside the " + event.length + "-byte event");
        assertEquals(0, event[start + length - 1], where + ": not NUL-terminated");
        byte[] content = Arrays.copyOfRange(event, start, start + length - 1);
        for (byte b : content) {
            assertTrue(b != 0, where + ": a NUL inside the string would cut it short in trace");
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content));
        } catch (CharacterCodingException e) {
            fail(where + ": not valid UTF-8: " + e);
        }
        return content;
    }

    private static void checkText(String where, Kind kind, Object value, byte[] content, int room) {
        if (kind == Kind.FLOAT || kind == Kind.DOUBLE) {
            checkNumber(where, kind == Kind.FLOAT ? (double) (Float) value : (Double) value, kind == Kind.FLOAT ? 7 : 15,
                new String(content, StandardCharsets.US_ASCII), room);
            return;
        }
        byte[] expected;
        if (value == null) {
            expected = cut(NULL_TEXT, room);
        } else if (kind == Kind.STRING || value instanceof String) {
            expected = utf8Within((String) value, room);
        } else if (value instanceof Enum) {
            expected = utf8Within(((Enum<?>) value).name(), room);
        } else {
            String text;
            try {
                text = value.toString();
            } catch (Throwable e) {
                text = null;
                expected = cut(THREW_TEXT, room);
                assertArrayEquals(where, expected, content);
                return;
            }
            expected = text == null ? cut(NULL_TEXT, room) : utf8Within(text, room);
        }
        assertArrayEquals(where + " with " + room + " bytes of room", expected, content);
    }

    /** The text's UTF-8 (NUL and unpaired surrogates as '?') within {@code room}, cut with "..." if longer. */
    static byte[] utf8Within(String text, int room) {
        // String.getBytes writes '?' for an unpaired surrogate, as the encoder must.
        byte[] whole = text.replace('\u0000', '?').getBytes(StandardCharsets.UTF_8);
        if (whole.length <= room) {
            return whole;
        }
        if (room < 3) {
            return Arrays.copyOf(whole, boundaryAtOrBelow(whole, room));
        }
        byte[] kept = Arrays.copyOf(whole, boundaryAtOrBelow(whole, room - 3));
        byte[] marked = Arrays.copyOf(kept, kept.length + 3);
        marked[kept.length] = '.';
        marked[kept.length + 1] = '.';
        marked[kept.length + 2] = '.';
        return marked;
    }

    private static int boundaryAtOrBelow(byte[] utf8, int position) {
        while (position > 0 && (utf8[position] & 0xC0) == 0x80) {
            position--;
        }
        return position;
    }

    private static byte[] cut(byte[] ascii, int room) {
        return Arrays.copyOf(ascii, Math.min(ascii.length, room));
    }

    /** C's %.Ng in spirit: at most {@code digits} significant digits, the value within half a unit of the last. */
    private static void checkNumber(String where, double value, int digits, String text, int room) {
        if (text.equals("...") || text.isEmpty()) {
            assertTrue(room < LONGEST_NUMBER, where + ": a number was cut to '" + text + "' with " + room + " bytes of room");
            assertEquals(room >= 3 ? "..." : "", text, where + ": a number that does not fit");
            return;
        }
        assertTrue(text.length() <= room, where + ": '" + text + "' exceeds its room of " + room);
        if (Double.isNaN(value)) {
            assertEquals("NaN", text, where);
            return;
        }
        if (Double.isInfinite(value)) {
            assertEquals(value > 0 ? "Infinity" : "-Infinity", text, where);
            return;
        }
        assertTrue(text.matches("-?[0-9]+(\\.[0-9]+)?(e[-+][0-9]+)?"), where + ": '" + text + "' is not a decimal number");
        if (value == 0) {
            assertEquals(1 / value < 0 ? "-0" : "0", text, where);
            return;
        }
        String mantissa = text.replaceFirst("^-", "").replaceFirst("e.*$", "").replace(".", "").replaceFirst("^0+", "");
        assertTrue(mantissa.length() <= digits, where + ": '" + text + "' has more than " + digits + " significant digits");
        // Exact arithmetic: 15 digits of Double.MAX_VALUE round up past what a double holds.
        BigDecimal exact = new BigDecimal(value);
        BigDecimal relativeError = new BigDecimal(text.replace("e+", "e")).subtract(exact).abs()
            .divide(exact.abs(), MathContext.DECIMAL64);
        // Rounding to N significant digits is off by at most half a unit of the last: 5 * 10^-N relative.
        BigDecimal bound = new BigDecimal("5.0000001").scaleByPowerOfTen(-digits);
        assertTrue(relativeError.compareTo(bound) <= 0, where + ": '" + text + "' is " + relativeError + " away from "
            + value + " (at most " + bound + " for " + digits + " digits)");
    }

    private static void assertArrayEquals(String where, byte[] expected, byte[] actual) {
        if (!Arrays.equals(expected, actual)) {
            fail(where + ": expected " + expected.length + " bytes '" + preview(expected) + "' but was " + actual.length
                + " bytes '" + preview(actual) + "'");
        }
    }

    private static String preview(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.length() > 120 ? text.substring(0, 60) + "[...]" + text.substring(text.length() - 60) : text;
    }

    /**
     * The value for a failure message, never through a toString() of its own: a string in Java notation (non-ASCII
     * as \\uXXXX), only its start and end when longer than 200 chars; an enum by name; other objects by class.
     */
    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            String text = (String) value;
            return text.length() <= 200 ? quoted(text) : "String of " + text.length() + " chars "
                + quoted(text.substring(0, 60)) + "..." + quoted(text.substring(text.length() - 20));
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof Character) {
            return value instanceof Character ? "0x" + Integer.toHexString((Character) value) : value.toString();
        }
        if (value instanceof Enum) {
            return value.getClass().getSimpleName() + "." + ((Enum<?>) value).name();
        }
        if (value instanceof BadInputs.Printed) {
            return "Printed(" + describe(((BadInputs.Printed) value).text) + ")";
        }
        return value.getClass().getSimpleName();
    }

    private static String quoted(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                quoted.append(c);
            } else {
                quoted.append(String.format("\\u%04X", (int) c));
            }
        }
        return quoted.append('"').toString();
    }

    /** The call for jqwik's report of a failing sample: each argument's kind and {@link #describe}d value. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("call(");
        for (int i = 0; i < kinds.length; i++) {
            text.append(i == 0 ? "" : ", ").append(kinds[i]).append(' ').append(describe(values[i]));
        }
        return text.append(')').toString();
    }

    /**
     * The line {@code trace} prints for this event, from "NAME:" to the newline ({@code print_event_fields()},
     * kernel/trace/trace_output.c): 1-byte fields as {@code (DEC)} unsigned, preceded by {@code 'c'} when the
     * byte is printable in the kernel's Latin-1 ctype; 2-byte as {@code 0xHEX (DEC)} unsigned; 4- and 8-byte as
     * {@code 0xHEX (DEC)} with the decimal signed; strings as their bytes.
     */
    byte[] traceLine(String eventName, String[] names, List<Object> decoded) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ascii(line, eventName + ":");
        for (int i = 0; i < kinds.length; i++) {
            ascii(line, " " + names[i] + "=");
            Object value = decoded.get(i);
            switch (kinds[i].type.size() == 4 && kinds[i].isText() ? 0 : kinds[i].type.size()) {
                case 1: {
                    int b = (int) (long) (Long) value & 0xFF;
                    if ((b >= 0x20 && b <= 0x7e) || b >= 0xa0) {
                        line.write('\'');
                        line.write(b);
                        line.write('\'');
                    }
                    ascii(line, "(" + b + ")");
                    break;
                }
                case 2: {
                    int unsigned = (int) (long) (Long) value & 0xFFFF;
                    ascii(line, "0x" + Integer.toHexString(unsigned) + " (" + unsigned + ")");
                    break;
                }
                case 4: {
                    int signed = (int) (long) (Long) value;
                    ascii(line, "0x" + Integer.toHexString(signed) + " (" + signed + ")");
                    break;
                }
                case 8: {
                    long signed = (Long) value;
                    ascii(line, "0x" + Long.toHexString(signed) + " (" + signed + ")");
                    break;
                }
                default:
                    line.writeBytes((byte[]) value);
            }
        }
        line.write('\n');
        return line.toByteArray();
    }

    private static void ascii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
