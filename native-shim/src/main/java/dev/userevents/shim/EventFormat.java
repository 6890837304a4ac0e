package dev.userevents.shim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable event description: a name and typed fields, rendered as the command string
 * {@code "name type field;type field"} that {@code DIAG_IOCSREG} takes.
 *
 * <pre>{@code EventFormat.named("order").s32("id").s64("cents").string("customer")}</pre>
 *
 * Every {@code with} step returns a new format and refuses, with a message naming the problem, what the
 * kernel would refuse: names that are not C identifiers (perf and ftrace filters need them),
 * {@code char[N]} outside 1..1024, duplicate field names, a command of 512 bytes or more.
 */
public final class EventFormat {
    /** Longest event name accepted here; tracefs folder names and perf's parser stay happy below this. */
    public static final int MAX_NAME_LENGTH = 255;

    private final String name;
    private final List<Field> fields;
    /**
     * {@code command().length()}, kept as fields are added rather than by building the command each time
     * (the agent builds thousands of formats at start-up). Names are ASCII identifiers, so it is the
     * command's length in UTF-8 too.
     */
    /** Between two field declarations of a command; see {@link #command()}. */
    static final String FIELD_SEPARATOR = "; ";

    private final int commandLength;

    private EventFormat(String name, List<Field> fields, int commandLength) {
        this.name = name;
        this.fields = fields;
        this.commandLength = commandLength;
    }

    /** One field of the format. */
    public static final class Field {
        private final FieldType type;
        private final String name;
        private final int arrayLength;

        Field(FieldType type, String name, int arrayLength) {
            this.type = type;
            this.name = name;
            this.arrayLength = arrayLength;
        }

        /**
         * The field's type.
         *
         * @return the type, as declared to the kernel
         */
        public FieldType type() {
            return type;
        }

        /**
         * The field's name.
         *
         * @return a C identifier, unique within its format
         */
        public String name() {
            return name;
        }

        /**
         * N of {@code char[N]}.
         *
         * @return N in bytes for {@link FieldType#CHAR_ARRAY}; 0 for other types
         */
        public int arrayLength() {
            return arrayLength;
        }

        /**
         * Bytes this field takes in the fixed part of the payload.
         *
         * @return {@link FieldType#size()}, or N for {@code char[N]}
         */
        public int size() {
            return type == FieldType.CHAR_ARRAY ? arrayLength : type.size();
        }

        /** {@code declaration().length()}, without building it. */
        int declarationLength() {
            int typeLength = type == FieldType.CHAR_ARRAY
                ? "char[] ".length() + Integer.toString(arrayLength).length() : type.kernelName().length() + 1;
            return typeLength + name.length();
        }

        String declaration() {
            if (type == FieldType.CHAR_ARRAY) {
                return "char[" + arrayLength + "] " + name;
            }
            return type.kernelName() + " " + name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Field other && type == other.type && name.equals(other.name)
                && arrayLength == other.arrayLength;
        }

        @Override
        public int hashCode() {
            return Objects.hash(type, name, arrayLength);
        }

        @Override
        public String toString() {
            return declaration();
        }
    }

    /**
     * Starts a format with no fields.
     *
     * @param name the event name: a C identifier ({@code [A-Za-z_][A-Za-z0-9_]*}) of at most
     *     {@value #MAX_NAME_LENGTH} characters
     * @return a format with that name and no fields
     * @throws IllegalArgumentException if the name is empty, too long or not an identifier; the message says
     *     which character at which index
     */
    public static EventFormat named(String name) {
        requireIdentifier(name, "event name", MAX_NAME_LENGTH);
        return new EventFormat(name, Collections.emptyList(), name.length());
    }

    /**
     * Adds a signed 8-bit integer field ({@code s8}), {@link FieldType#S8}.
     *
     * @param field the field's name, a C identifier not starting with {@code common_}
     * @return a new format with the field last
     * @throws IllegalArgumentException as {@link #with(FieldType, String)}
     */
    public EventFormat s8(String field) {
        return with(FieldType.S8, field);
    }

    /**
     * Adds a unsigned 8-bit integer field ({@code u8}), {@link FieldType#U8}.
     *
     * @param field the field's name, a C identifier not starting with {@code common_}
     * @return a new format with the field last
     * @throws IllegalArgumentException as {@link #with(FieldType, String)}
     */
    public EventFormat u8(String field) {
        return with(FieldType.U8, field);
    }

    /**
     * Adds a signed 16-bit integer field ({@code s16}), {@link FieldType#S16}.
     *
     * @param field the field's name, a C identifier not starting with {@code common_}
     * @return a new format with the field last
     * @throws IllegalArgumentException as {@link #with(FieldType, String)}
     */
    public EventFormat s16(String field) {
        return with(FieldType.S16, field);
    }

    /**
     * Adds a unsigned 16-bit integer field ({@code u16}), {@link FieldType#U16}.
     *
     * @param field the field's name, a C identifier not starting with {@code common_}
     * @return a new format with the field last
     * @throws IllegalArgumentException as {@link #with(FieldType, String)}
     */
    public EventFormat u16(String field) {
        return with(FieldType.U16, field);
    }

    /**
     * Adds a signed 32-bit integer field ({@code s32}), {@link FieldType#S32}.
     *
     * @param field the field's name, a C identifier not starting with {@code common_}
     * @return a new format with the field last
     * @throws IllegalArgumentException as {@link #with(FieldType, String)}
     */
    public EventFormat s32(String field) {
        return with(FieldType.S32, field);
    }

    /**
     * Adds a unsigned 32-bit integer field ({@code u32}), {@link FieldType#U32}.
     *
     * @param field the field's name, a C identifier not starting with {@code common_}
     * @return a new format with the field last
     * @throws IllegalArgumentException as {@link #with(FieldType, String)}
     */
    public EventFormat u32(String field) {
        return with(FieldType.U32, field);
    }

    /**
     * Adds a signed 64-bit integer field ({@code s64}), {@link FieldType#S64}.
     *
     * @param field the field's name, a C identifier not starting with {@code common_}
     * @return a new format with the field last
     * @throws IllegalArgumentException as {@link #with(FieldType, String)}
     */
    public EventFormat s64(String field) {
        return with(FieldType.S64, field);
    }

    /**
     * Adds a unsigned 64-bit integer field ({@code u64}), {@link FieldType#U64}.
     *
     * @param field the field's name, a C identifier not starting with {@code common_}
     * @return a new format with the field last
     * @throws IllegalArgumentException as {@link #with(FieldType, String)}
     */
    public EventFormat u64(String field) {
        return with(FieldType.U64, field);
    }

    /**
     * Adds a UTF-8, NUL-terminated string as {@code __rel_loc char[]}: a u32 {@code DYN_LOC} in the fixed part,
     * the bytes after the fixed fields ({@link dev.userevents.shim.hotpath.EventLayout}).
     *
     * @param field the field's name, a C identifier not starting with {@code common_}
     * @return a new format with the field last
     * @throws IllegalArgumentException as {@link #with(FieldType, String)}
     */
    public EventFormat string(String field) {
        return with(FieldType.REL_LOC_STRING, field);
    }

    /**
     * Adds {@code char[length]}: a fixed-size inline array of {@code length} bytes.
     *
     * @param field the field's name, a C identifier not starting with {@code common_}
     * @param length N, in bytes: 1 to {@link UserEventsAbi#MAX_FIELD_ARRAY_SIZE}
     * @return a new format with the field last
     * @throws IllegalArgumentException if the length is out of range, or as {@link #with(FieldType, String)}
     */
    public EventFormat charArray(String field, int length) {
        if (length < 1 || length > UserEventsAbi.MAX_FIELD_ARRAY_SIZE) {
            throw new IllegalArgumentException("char[" + length + "] " + field + " in event " + name
                + ": the kernel takes char[N] with N from 1 to " + UserEventsAbi.MAX_FIELD_ARRAY_SIZE);
        }
        return add(new Field(FieldType.CHAR_ARRAY, checkedFieldName(field), length));
    }

    /**
     * Adds a field of any type but {@link FieldType#CHAR_ARRAY} (which needs {@link #charArray}).
     *
     * @param type the field's type
     * @param field the field's name, a C identifier not starting with {@code common_}
     * @return a new format with the field last
     * @throws IllegalArgumentException if the type is {@code CHAR_ARRAY}, the name is not an identifier, is
     *     taken already in this format or starts with {@code common_} (the kernel's header fields), or the
     *     command would reach {@link UserEventsAbi#MAX_EVENT_DESC} bytes
     */
    public EventFormat with(FieldType type, String field) {
        if (type == FieldType.CHAR_ARRAY) {
            throw new IllegalArgumentException("char arrays need a length: use charArray(\"" + field + "\", N)");
        }
        return add(new Field(type, checkedFieldName(field), 0));
    }

    private String checkedFieldName(String field) {
        if (!isIdentifier(field, MAX_NAME_LENGTH)) {
            requireIdentifier(field, "field name in event " + name, MAX_NAME_LENGTH); // throws, saying why
        }
        for (Field existing : fields) {
            if (existing.name.equals(field)) {
                throw new IllegalArgumentException("field '" + field + "' appears twice in event " + name);
            }
        }
        if (field.startsWith("common_")) {
            throw new IllegalArgumentException("field '" + field + "' in event " + name
                + ": names starting with common_ belong to the kernel's own header fields");
        }
        return field;
    }

    private EventFormat add(Field field) {
        List<Field> next = new ArrayList<>(fields.size() + 1);
        next.addAll(fields);
        next.add(field);
        // "name" becomes "name a", then "name a; b": a space before the first field, "; " before each other.
        int length = commandLength + (fields.isEmpty() ? 1 : FIELD_SEPARATOR.length()) + field.declarationLength();
        EventFormat format = new EventFormat(name, Collections.unmodifiableList(next), length);
        if (length >= UserEventsAbi.MAX_EVENT_DESC) {
            throw new IllegalArgumentException("event " + name + " would be described by " + length
                + " bytes; the kernel takes at most " + (UserEventsAbi.MAX_EVENT_DESC - 1)
                + " (MAX_EVENT_DESC): use shorter field names or fewer fields");
        }
        return format;
    }

    /**
     * Same fields under another name (for resolving name clashes).
     *
     * @param newName the new event name, a C identifier of at most {@value #MAX_NAME_LENGTH} characters
     * @return a format with that name and these fields
     * @throws IllegalArgumentException if the name is not an identifier, or the command would reach
     *     {@link UserEventsAbi#MAX_EVENT_DESC} bytes
     */
    public EventFormat renamed(String newName) {
        requireIdentifier(newName, "event name", MAX_NAME_LENGTH);
        EventFormat format = new EventFormat(newName, fields, commandLength - name.length() + newName.length());
        if (format.commandLength >= UserEventsAbi.MAX_EVENT_DESC) {
            throw new IllegalArgumentException("event " + newName + ": description too long");
        }
        return format;
    }

    /**
     * The event name.
     *
     * @return a C identifier, the first word of {@link #command()}
     */
    public String name() {
        return name;
    }

    /**
     * The fields, in payload order: the order in which writes must lay them out.
     *
     * @return an unmodifiable list, empty for an event without fields
     */
    public List<Field> fields() {
        return fields;
    }

    /**
     * Bytes of the fixed part of a payload (after the write index, before dynamic data).
     *
     * @return the sum of {@link Field#size()}, in bytes; 0 without fields
     */
    public int fixedSize() {
        int size = 0;
        for (Field field : fields) {
            size += field.size();
        }
        return size;
    }

    /**
     * The command string of {@code DIAG_IOCSREG}, as {@code user_event_parse_cmd()} parses it. Fields are
     * separated by {@code "; "}, as Documentation/trace/user_events.rst writes them and as the kernel prints
     * them back in {@code dynamic_events} ({@code user_event_show()}): kernels before the "non-spaced field
     * matching" fix (6.4 to early 6.x) compare a second registration's format with that text and refuse
     * {@code "a;b"} with EADDRINUSE.
     *
     * @return {@code "name type a; type b"}, shorter than {@link UserEventsAbi#MAX_EVENT_DESC} bytes (ASCII)
     */
    public String command() {
        if (fields.isEmpty()) {
            return name;
        }
        StringBuilder command = new StringBuilder(name).append(' ');
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                command.append(FIELD_SEPARATOR);
            }
            command.append(fields.get(i).declaration());
        }
        return command.toString();
    }

    /**
     * Turns any text into a valid event or field name: other characters become '_', a leading digit or a
     * leading {@code common_} (reserved for the kernel's header fields) gets '_'.
     *
     * @param text any text, such as a Java method name
     * @return a C identifier of at most {@value #MAX_NAME_LENGTH} characters, never empty
     */
    public static String sanitize(String text) {
        StringBuilder out = new StringBuilder(text.length() + 1);
        for (int i = 0; i < text.length() && out.length() < MAX_NAME_LENGTH; i++) {
            char c = text.charAt(i);
            out.append(isIdentifierPart(c) ? c : '_');
        }
        if (out.length() == 0 || (out.charAt(0) >= '0' && out.charAt(0) <= '9') || out.indexOf("common_") == 0) {
            out.insert(0, '_');
        }
        if (out.length() > MAX_NAME_LENGTH) {
            out.setLength(MAX_NAME_LENGTH);
        }
        return out.toString();
    }

    static void requireIdentifier(String text, String what, int maxLength) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (text.length() > maxLength) {
            throw new IllegalArgumentException(what + " '" + text + "' is " + text.length()
                + " characters long; at most " + maxLength);
        }
        char first = text.charAt(0);
        if (first >= '0' && first <= '9') {
            throw new IllegalArgumentException(what + " '" + text + "' starts with a digit; use [A-Za-z_][A-Za-z0-9_]*");
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isIdentifierPart(text.charAt(i))) {
                throw new IllegalArgumentException(what + " '" + text + "' has '" + text.charAt(i)
                    + "' at index " + i + "; use [A-Za-z_][A-Za-z0-9_]* (ftrace filters and perf need C identifiers)");
            }
        }
    }

    /** What {@link #requireIdentifier} accepts, without building its messages. */
    static boolean isIdentifier(String text, int maxLength) {
        if (text == null || text.isEmpty() || text.length() > maxLength) {
            return false;
        }
        char first = text.charAt(0);
        if (first >= '0' && first <= '9') {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isIdentifierPart(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdentifierPart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /** Two formats are the same event when name and fields match. */
    @Override
    public boolean equals(Object o) {
        return o instanceof EventFormat other && name.equals(other.name) && fields.equals(other.fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, fields);
    }

    @Override
    public String toString() {
        return command();
    }

    static Set<String> fieldNames(EventFormat format) {
        Set<String> names = new HashSet<>();
        for (Field field : format.fields) {
            names.add(field.name);
        }
        return names;
    }
}
