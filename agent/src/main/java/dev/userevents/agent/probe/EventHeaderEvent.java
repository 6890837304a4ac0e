package dev.userevents.agent.probe;

import dev.userevents.shim.EventFormat;
import dev.userevents.shim.FieldType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One probe's event in Microsoft's EventHeader convention ({@code format=eventheader}), as
 * {@code libeventheader-tracepoint/include/eventheader/eventheader.h} of microsoft/LinuxTracepoints defines it:
 * the tracepoint it shares with every event of its provider, level and keyword, and the bytes each of its
 * events starts with, precomputed once:
 * <pre>
 *  eventheader (8)                                  eventheader_extension (4)   metadata (size bytes)
 *  flags u8 | version u8 | id u16 | tag u16 |       size u16 | kind u16 = 1    event name NUL, then per field:
 *  opcode u8 | level u8                                                        name NUL, encoding u8, format u8
 * </pre>
 * The fields follow in the event, one after another, as {@link #fieldTypes} map the Java values: integers of
 * their width (signed), {@code float}/{@code double} as IEEE 754 floats, {@code boolean} as a boolean byte,
 * {@code char} as one UTF-16 code unit, strings and other references as a u16 byte count then UTF-8. The
 * OpenTelemetry ids ({@code context=otel}) sit in a struct {@code PartA} as {@code ext_dt_traceId} and
 * {@code ext_dt_spanId}, the Common Schema names opentelemetry-rust-contrib's user_events exporters write them
 * under (a struct is metadata only: the event's bytes are the same).
 */
public final class EventHeaderEvent {
    /** {@code eventheader_flag_pointer64}. */
    public static final int FLAG_POINTER64 = 0x01;
    /** {@code eventheader_flag_little_endian}. */
    public static final int FLAG_LITTLE_ENDIAN = 0x02;
    /** {@code eventheader_flag_extension}: extension blocks follow the header. */
    public static final int FLAG_EXTENSION = 0x04;
    /** {@code eventheader_extension_kind_metadata}. */
    public static final int EXTENSION_METADATA = 1;
    /** {@code event_field_encoding_chain_flag}: a format byte follows the encoding byte. */
    public static final int ENCODING_CHAIN = 0x80;
    /** {@code event_field_encoding_struct}: no value; groups the next {@code format & 0x7F} fields. */
    public static final int STRUCT = 1;
    /** {@code event_field_encoding_value8}. */
    public static final int VALUE8 = 2;
    /** {@code event_field_encoding_value16}. */
    public static final int VALUE16 = 3;
    /** {@code event_field_encoding_value32}. */
    public static final int VALUE32 = 4;
    /** {@code event_field_encoding_value64}. */
    public static final int VALUE64 = 5;
    /** {@code event_field_encoding_string_length16_char8}: u16 byte count, then the bytes. */
    public static final int STRING_LENGTH16_CHAR8 = 10;
    /** {@code event_field_format_unsigned_int}. */
    public static final int FORMAT_UNSIGNED_INT = 1;
    /** {@code event_field_format_signed_int}. */
    public static final int FORMAT_SIGNED_INT = 2;
    /** {@code event_field_format_boolean}. */
    public static final int FORMAT_BOOLEAN = 7;
    /** {@code event_field_format_float}. */
    public static final int FORMAT_FLOAT = 8;
    /** {@code event_field_format_string_utf}: UTF-8 for char8 strings, UTF-16 for a value16. */
    public static final int FORMAT_STRING_UTF = 11;
    /** Bytes of {@code struct eventheader}. */
    public static final int HEADER_BYTES = 8;
    /** Bytes of {@code struct eventheader_extension}. */
    public static final int EXTENSION_BYTES = 4;
    /** The longest tracepoint name, NUL excluded ({@code EVENTHEADER_NAME_MAX} less one). */
    public static final int MAX_TRACEPOINT_NAME = 255;
    /** Common Schema's struct of envelope fields, where the OpenTelemetry ids go. */
    public static final String PART_A = "PartA";
    /** Common Schema's name of the trace id in {@link #PART_A} (opentelemetry-rust-contrib's exporters). */
    public static final String TRACE_ID = "ext_dt_traceId";
    /** Common Schema's name of the span id in {@link #PART_A}. */
    public static final String SPAN_ID = "ext_dt_spanId";

    private final String tracepointName;
    private final byte[] prefix;
    private final int fixedSize;
    private final int stringFields;

    private EventHeaderEvent(String tracepointName, byte[] prefix, int fixedSize, int stringFields) {
        this.tracepointName = tracepointName;
        this.prefix = prefix;
        this.fixedSize = fixedSize;
        this.stringFields = stringFields;
    }

    /**
     * The shared tracepoint's name, {@code printf("%s_L%xK%lx", provider, level, keyword)}.
     *
     * @param provider the provider name, [A-Za-z0-9_]
     * @param level    1 to 255
     * @param keyword  the category bits, unsigned
     * @return e.g. {@code java_L5K1}, {@code shop_L4K2a}
     */
    public static String tracepointName(String provider, int level, long keyword) {
        return provider + "_L" + Integer.toHexString(level).toLowerCase(Locale.ROOT) + "K"
            + Long.toHexString(keyword).toLowerCase(Locale.ROOT);
    }

    /**
     * The tracepoint's user_events format: {@code EVENTHEADER_COMMAND_TYPES}, which collectors recognise an
     * EventHeader tracepoint by.
     *
     * @param tracepointName from {@link #tracepointName}
     * @return {@code <name> u8 eventheader_flags; u8 version; u16 id; u16 tag; u8 opcode; u8 level}
     * @throws IllegalArgumentException if the name is not a valid event name or is longer than
     *     {@link #MAX_TRACEPOINT_NAME}
     */
    public static EventFormat tracepointFormat(String tracepointName) {
        if (tracepointName.length() > MAX_TRACEPOINT_NAME) {
            throw new IllegalArgumentException("EventHeader tracepoint name " + tracepointName + " is longer than "
                + MAX_TRACEPOINT_NAME + " characters: use a shorter provider");
        }
        return EventFormat.named(tracepointName).u8("eventheader_flags").u8("version").u16("id").u16("tag")
            .u8("opcode").u8("level");
    }

    /**
     * The EventHeader form of a probe's event: its fields and names as the tracefs definition has them.
     *
     * @param definition the probe's event, with its level and keyword
     * @param provider   the provider name, [A-Za-z0-9_]
     * @return the tracepoint and the precomputed prefix
     * @throws IllegalArgumentException if the metadata would not fit an extension block (64 KiB)
     */
    public static EventHeaderEvent of(ProbeDefinition definition, String provider) {
        List<EventFormat.Field> fields = definition.format().fields();
        List<ParameterKind> kinds = definition.parameters();
        Builder event = new Builder(definition.format().name());
        for (int i = 0; i < fields.size(); i++) {
            EventFormat.Field field = fields.get(i);
            int[] type = i < kinds.size() ? fieldTypes(kinds.get(i)) : fieldTypes(field.type(), field.name());
            String name = field.name();
            if (i >= kinds.size() && definition.otel() && name.equals(ProbeDefinition.TRACE_ID_FIELD)) {
                event.struct(PART_A, 2); // span_id follows
                name = TRACE_ID;
            } else if (i >= kinds.size() && definition.otel() && name.equals(ProbeDefinition.SPAN_ID_FIELD)) {
                name = SPAN_ID;
            }
            event.field(name, type[0], type[1]);
        }
        return event.build(provider, definition.level(), definition.keyword());
    }

    /**
     * The metadata of one event, field by field, in the order its values are written; then its
     * {@link EventHeaderEvent}. Not thread-safe.
     */
    public static final class Builder {
        private final ByteArrayOutputStream metadata = new ByteArrayOutputStream();
        private int fixedSize;
        private int strings;

        /**
         * An event with no fields yet.
         *
         * @param eventName the event's name in its metadata, UTF-8, no NUL
         */
        public Builder(String eventName) {
            writeName(metadata, eventName);
        }

        /**
         * Adds a field with a value.
         *
         * @param name     the field's name, no NUL
         * @param encoding {@link #VALUE8}, {@link #VALUE16}, {@link #VALUE32}, {@link #VALUE64} or
         *                 {@link #STRING_LENGTH16_CHAR8}
         * @param format   one of the {@code FORMAT_} constants, 0 to 127
         * @return this builder
         * @throws IllegalArgumentException for another encoding
         */
        public Builder field(String name, int encoding, int format) {
            int width = width(encoding);
            writeName(metadata, name);
            metadata.write(encoding | ENCODING_CHAIN);
            metadata.write(format);
            fixedSize += width;
            if (encoding == STRING_LENGTH16_CHAR8) {
                strings++;
            }
            return this;
        }

        /**
         * Adds a struct: the next {@code fieldCount} fields (structs count as one) are its members.
         *
         * @param name       the struct's name, no NUL
         * @param fieldCount 1 to 127 ({@code eventheader.h}: empty structs are not allowed)
         * @return this builder
         * @throws IllegalArgumentException for a count outside 1..127
         */
        public Builder struct(String name, int fieldCount) {
            if (fieldCount < 1 || fieldCount > 127) {
                throw new IllegalArgumentException("struct " + name + " of " + fieldCount + " fields: 1 to 127");
            }
            writeName(metadata, name);
            metadata.write(STRUCT | ENCODING_CHAIN);
            metadata.write(fieldCount);
            return this;
        }

        /**
         * The event: header, metadata extension and metadata, for one tracepoint.
         *
         * @param provider the provider name, [A-Za-z0-9_]
         * @param level    1 (critical) to 5 (verbose)
         * @param keyword  the category bits
         * @return the event
         * @throws IllegalArgumentException if the metadata exceeds an extension block (65,535 bytes)
         */
        public EventHeaderEvent build(String provider, int level, long keyword) {
            byte[] meta = metadata.toByteArray();
            if (meta.length > 0xFFFF) {
                throw new IllegalArgumentException("EventHeader metadata of " + meta.length + " bytes exceeds 65535");
            }
            byte[] prefix = new byte[HEADER_BYTES + EXTENSION_BYTES + meta.length];
            boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
            prefix[0] = (byte) (FLAG_POINTER64 | (little ? FLAG_LITTLE_ENDIAN : 0) | FLAG_EXTENSION);
            // version 0, id 0, tag 0, opcode 0 (info): the event is known by the name in its metadata
            prefix[7] = (byte) level;
            putShort(prefix, HEADER_BYTES, meta.length, little);
            putShort(prefix, HEADER_BYTES + 2, EXTENSION_METADATA, little);
            System.arraycopy(meta, 0, prefix, HEADER_BYTES + EXTENSION_BYTES, meta.length);
            return new EventHeaderEvent(tracepointName(provider, level, keyword), prefix, fixedSize, strings);
        }
    }

    /**
     * Encoding and format of a parameter or return value.
     *
     * @param kind the Java value's kind
     * @return {encoding, format}
     */
    static int[] fieldTypes(ParameterKind kind) {
        return switch (kind) {
            case BOOLEAN -> new int[] {VALUE8, FORMAT_BOOLEAN};
            case BYTE -> new int[] {VALUE8, FORMAT_SIGNED_INT};
            case SHORT -> new int[] {VALUE16, FORMAT_SIGNED_INT};
            case CHAR -> new int[] {VALUE16, FORMAT_STRING_UTF};
            case INT -> new int[] {VALUE32, FORMAT_SIGNED_INT};
            case LONG -> new int[] {VALUE64, FORMAT_SIGNED_INT};
            case FLOAT -> new int[] {VALUE32, FORMAT_FLOAT};
            case DOUBLE -> new int[] {VALUE64, FORMAT_FLOAT};
            case STRING, OBJECT -> new int[] {STRING_LENGTH16_CHAR8, FORMAT_STRING_UTF};
        };
    }

    /** Encoding and format of a field the agent adds (duration_ns, thrown, the context fields). */
    private static int[] fieldTypes(FieldType type, String name) {
        return switch (type) {
            case S64 -> new int[] {VALUE64, FORMAT_SIGNED_INT};
            case U8 -> new int[] {VALUE8, FORMAT_BOOLEAN}; // virtual
            case REL_LOC_STRING -> new int[] {STRING_LENGTH16_CHAR8, FORMAT_STRING_UTF};
            default -> throw new IllegalArgumentException("field " + name + " of type " + type.kernelName()
                + " has no EventHeader form here");
        };
    }

    /** Fixed bytes of an encoding in the event: the value, or a string's u16 count. */
    private static int width(int encoding) {
        return switch (encoding) {
            case VALUE8 -> 1;
            case VALUE16, STRING_LENGTH16_CHAR8 -> 2;
            case VALUE32 -> 4;
            case VALUE64 -> 8;
            default -> throw new IllegalArgumentException("encoding " + encoding);
        };
    }

    private static void writeName(ByteArrayOutputStream out, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.write(0);
    }

    private static void putShort(byte[] bytes, int at, int value, boolean little) {
        bytes[at + (little ? 0 : 1)] = (byte) value;
        bytes[at + (little ? 1 : 0)] = (byte) (value >>> 8);
    }

    /** {@return the shared tracepoint's name, {@code <provider>_L<level>K<keyword>}} */
    public String tracepointName() {
        return tracepointName;
    }

    /** {@return the bytes each event starts with after the write index: header, extension, metadata; a copy} */
    public byte[] prefix() {
        return prefix.clone();
    }

    /** {@return fixed-width bytes of the fields: values, and 2 per string for its count} */
    public int fixedSize() {
        return fixedSize;
    }

    /** {@return how many counted strings the event has} */
    public int stringFields() {
        return stringFields;
    }
}
