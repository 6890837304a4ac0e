package dev.userevents.agent.runtime;

import dev.userevents.shim.hotpath.EventLayout;
import dev.userevents.shim.hotpath.NativeWords;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;

/**
 * One event being encoded, in a reusable direct buffer:
 * <pre>
 *  0          4                         4 + fixedSize                       length
 *  +----------+-------------------------+-----------------------------------+
 *  | write    | fixed fields in         | string bytes, each NUL-terminated, |
 *  | index    | parameter order         | pointed at by its __rel_loc field  |
 *  +----------+-------------------------+-----------------------------------+
 *             ^ fieldPosition advances   ^ dataPosition advances
 * </pre>
 * An EventHeader event ({@link Probe#eventHeader()}) is laid out as the convention wants, one field after another:
 * <pre>
 *  0          4                      4 + prefix                                      length
 *  +----------+----------------------+-----------------------------------------------+
 *  | write    | eventheader, metadata| fields in order: fixed widths as they are,    |
 *  | index    | extension (prefix)   | strings as u16 byte count + UTF-8 (no NUL)    |
 *  +----------+----------------------+-----------------------------------------------+
 *                                    ^ fieldPosition advances
 * </pre>
 * Strings never push the event past {@link ProbeRuntime#maxEventBytes()}: a string that does not fit is
 * cut at a character boundary and ends in {@code "..."}. Each string also stops at
 * {@link ProbeRuntime#maxStringBytes()}.
 */
public final class EventRecord {
    /** Bytes of each buffer: one page, the most an event can carry. */
    public static final int CAPACITY = 4096;

    private static final byte[] NULL_TEXT = {'(', 'n', 'u', 'l', 'l', ')'};
    private static final byte[] TRUNCATION_MARK = {'.', '.', '.'};
    /** Bytes kept free for each string field still to come: its NUL and a "...". */
    private static final int RESERVE_PER_STRING = 4;

    /**
     * What {@link ProbeRuntime#begin} returns when it could get no buffer (the drop is already counted):
     * marked failed, so every put skips it, and without a probe, so commit does nothing.
     */
    static final EventRecord NONE = new EventRecord();

    private final ByteBuffer buffer;
    private final long address;
    final int home;

    /** The probe whose event this is; null in {@link #NONE} and while the record is in the pool. */
    @Nullable Probe probe;
    /** The thread that last took this record from the pool; read only to reclaim a record a fault lost. */
    @Nullable Thread owner;
    private int fieldPosition;
    private int dataPosition;
    private int limit;
    private int stringsLeft;
    /** Whether the event is EventHeader-encoded ({@link Probe#eventHeader()}): strings inline and counted. */
    boolean eventHeader;
    /** EventHeader: string content bytes written so far, to tell how many fixed-width bytes are still to come. */
    private int stringContent;
    /** What a put threw, or null: a failed record skips every later put, and commit sorts the failure. */
    @Nullable Throwable failure;
    /**
     * Set once the kernel accepted this event's write, before the written counter is touched: a stack
     * overflow inside that counting must not count an event that reached the trace as dropped.
     */
    boolean delivered;

    @SuppressWarnings("NullAway") // NONE has no buffer, and never needs one: it is failed and has no probe
    private EventRecord() {
        this.buffer = null;
        this.address = 0;
        this.home = -1;
        this.failure = new OutOfMemoryError("no event buffer"); // never thrown: marks the record failed
    }

    EventRecord(int home) {
        this.buffer = ByteBuffer.allocateDirect(CAPACITY).order(ByteOrder.nativeOrder());
        this.address = NativeWords.addressOf(buffer);
        this.home = home;
    }

    void start(Probe probe, int maxEventBytes) {
        this.probe = probe;
        this.failure = null;
        this.delivered = false;
        this.limit = Math.min(maxEventBytes, CAPACITY);
        this.stringsLeft = probe.stringFields();
        // The puts below store straight to native memory without bounds checks (the ByteBuffer's cost a
        // good part of an event on JDK 17): every field and each string's NUL must fall inside CAPACITY.
        // Strings past the event bound shrink to their NUL, so this covers every event of the probe.
        if (EventLayout.FIELDS_OFFSET + probe.fixedSize() + probe.stringFields() > CAPACITY) {
            throw new IllegalStateException("event of " + probe.fixedSize() + " fixed bytes and "
                + probe.stringFields() + " strings does not fit a " + CAPACITY + "-byte buffer");
        }
        buffer.clear(); // a channel write moved position and limit
        NativeWords.putInt(address + EventLayout.WRITE_INDEX_OFFSET, probe.writeIndex());
        byte[] header = probe.eventHeader();
        if (header != null) {
            startEventHeader(header);
            return;
        }
        eventHeader = false;
        fieldPosition = EventLayout.FIELDS_OFFSET;
        dataPosition = EventLayout.FIELDS_OFFSET + probe.fixedSize();
    }

    /**
     * An EventHeader event: the probe's prefix after the write index, then fields from there on. Every
     * fixed-width byte (the prefix, the fields, each string's count) falls inside CAPACITY, as checked here;
     * string content is bounded by {@link #countedRoom}.
     */
    private void startEventHeader(byte[] header) {
        Probe probe = this.probe;
        int fixed = probe == null ? 0 : probe.fixedSize();
        if (EventLayout.FIELDS_OFFSET + header.length + fixed > CAPACITY) {
            throw new IllegalStateException("EventHeader event of " + header.length + " header and " + fixed
                + " fixed bytes does not fit a " + CAPACITY + "-byte buffer");
        }
        buffer.put(EventLayout.FIELDS_OFFSET, header);
        eventHeader = true;
        stringContent = 0;
        fieldPosition = EventLayout.FIELDS_OFFSET + header.length;
        dataPosition = fieldPosition; // stays: the start of the fields, for countedRoom
    }

    ByteBuffer buffer() {
        return buffer;
    }

    long address() {
        return address;
    }

    /** {@return bytes of the event so far, write index included: what a write sends} */
    public int length() {
        // tracefs: the fixed fields end where the string data starts, so dataPosition; EventHeader: fieldPosition
        return Math.max(fieldPosition, dataPosition);
    }

    void putByte(byte value) {
        NativeWords.putByte(address + fieldPosition, value);
        fieldPosition += 1;
    }

    void putShort(short value) {
        NativeWords.putShort(address + fieldPosition, value);
        fieldPosition += 2;
    }

    void putInt(int value) {
        NativeWords.putInt(address + fieldPosition, value);
        fieldPosition += 4;
    }

    void putLong(long value) {
        NativeWords.putLong(address + fieldPosition, value);
        fieldPosition += 8;
    }

    /** A {@code __rel_loc char[]} field: UTF-8, NUL-terminated, bounded; null becomes "(null)". */
    void putString(@Nullable String text) {
        if (eventHeader) {
            putCountedString(text);
            return;
        }
        int start = beginString();
        int end = start + room(start);
        int position = start;
        if (text == null) {
            position = putAscii(NULL_TEXT, position, end);
        } else {
            position = Utf8.encode(text, buffer, address, position, end);
            if (position < 0) {
                position = markTruncated(-position - 1, start, end);
            }
        }
        endString(start, position);
    }

    /**
     * A string field holding decimal text, for float and double. The text is written first (the buffer
     * past {@code end} is free scratch space) and kept only if it fits whole: a number is never cut into
     * another number, it becomes "..." instead.
     */
    void putDecimal(double value, int significantDigits) {
        int start = beginString();
        int end = start + room(start);
        int position = CAPACITY - start >= DecimalText.MAX_LENGTH
            ? DecimalText.write(value, significantDigits, buffer, start)
            : Integer.MAX_VALUE;
        if (position > end) {
            position = markTruncated(start, start, end);
        }
        endString(start, position);
    }

    /** Writes raw ASCII bytes as a string field's content (markers such as "(toString threw)"). */
    void putAsciiString(byte[] ascii) {
        if (eventHeader) {
            int content = beginCounted();
            endCounted(content, putAscii(ascii, content, content + countedRoom(content)));
            return;
        }
        int start = beginString();
        int end = start + room(start);
        endString(start, putAscii(ascii, start, end));
    }

    /**
     * An EventHeader {@code string_length16_char8} field, format {@code string_utf}: u16 byte count, then
     * UTF-8 without NUL; null is empty; cut like a tracefs string.
     */
    private void putCountedString(@Nullable String text) {
        int content = beginCounted();
        int end = content + countedRoom(content);
        int position = content;
        if (text != null) {
            position = Utf8.encode(text, buffer, address, content, end);
            if (position < 0) {
                position = markTruncated(-position - 1, content, end);
            }
        }
        endCounted(content, position);
    }

    /**
     * An EventHeader string field holding a UTC time as RFC 3339 text ({@link UtcTime}); empty when the event
     * has no room left for all of it.
     */
    void putUtcTime(long epochSecond, int nano) {
        int content = beginCounted();
        int end = countedRoom(content) >= UtcTime.LENGTH ? UtcTime.write(epochSecond, nano, buffer, content) : content;
        endCounted(content, end);
    }

    /** Starts a counted string at fieldPosition; returns where its content goes. */
    private int beginCounted() {
        stringsLeft--;
        return fieldPosition + 2;
    }

    /**
     * Content bytes an EventHeader string at {@code content} may take: its own bound, and room for the
     * fixed-width bytes still to come (counts of later strings included) and a "..." per later string.
     */
    private int countedRoom(int content) {
        Probe probe = this.probe;
        int fixedWritten = content - dataPosition - stringContent; // this string's count included
        int fixedLeft = (probe == null ? 0 : probe.fixedSize()) - fixedWritten;
        int room = limit - content - fixedLeft - stringsLeft * RESERVE_PER_STRING;
        return Math.max(0, Math.min(room, ProbeRuntime.maxStringBytes()));
    }

    private void endCounted(int content, int position) {
        NativeWords.putShort(address + content - 2, (short) (position - content));
        stringContent += position - content;
        fieldPosition = position;
    }

    private int beginString() {
        stringsLeft--;
        return dataPosition;
    }

    /** Content bytes this string may take: its own bound, and room for the NUL and later strings. */
    private int room(int start) {
        int room = limit - start - 1 - stringsLeft * RESERVE_PER_STRING;
        return Math.max(0, Math.min(room, ProbeRuntime.maxStringBytes()));
    }

    private int putAscii(byte[] ascii, int position, int end) {
        int length = Math.min(ascii.length, end - position);
        for (int i = 0; i < length; i++) {
            buffer.put(position + i, ascii[i]);
        }
        return position + length;
    }

    /** Ends a cut string with "..." on a UTF-8 character boundary. */
    private int markTruncated(int position, int start, int end) {
        if (end - start < TRUNCATION_MARK.length) {
            return position;
        }
        while (position > start && position + TRUNCATION_MARK.length > end) {
            position--;
            while (position > start && (buffer.get(position) & 0xC0) == 0x80) {
                position--; // step back over continuation bytes to the lead byte
            }
        }
        return putAscii(TRUNCATION_MARK, position, end);
    }

    private void endString(int start, int position) {
        NativeWords.putByte(address + position, (byte) 0);
        int fieldEnd = fieldPosition + EventLayout.REL_LOC_BYTES;
        NativeWords.putInt(address + fieldPosition, EventLayout.relLoc(start - fieldEnd, position + 1 - start));
        fieldPosition = fieldEnd;
        dataPosition = position + 1;
    }
}
