package dev.userevents.shim;

/**
 * The field types this project declares, spelled as the kernel parses them
 * ({@code user_field_size()} in {@code kernel/trace/trace_events_user.c}). There is no float type in
 * the kernel's event format; {@code long} is refused there because its size is ambiguous.
 */
public enum FieldType {
    /** Signed 8-bit integer, 1 byte. */
    S8("s8", 1),
    /** Unsigned 8-bit integer, 1 byte. */
    U8("u8", 1),
    /** Signed 16-bit integer, 2 bytes. */
    S16("s16", 2),
    /** Unsigned 16-bit integer, 2 bytes. */
    U16("u16", 2),
    /** Signed 32-bit integer, 4 bytes. */
    S32("s32", 4),
    /** Unsigned 32-bit integer, 4 bytes. */
    U32("u32", 4),
    /** Signed 64-bit integer, 8 bytes. */
    S64("s64", 8),
    /** Unsigned 64-bit integer, 8 bytes. */
    U64("u64", 8),
    /** A NUL-terminated string whose bytes follow the fixed fields; the field holds a {@code DYN_LOC}. */
    REL_LOC_STRING("__rel_loc char[]", 4),
    /** {@code char[N]}: N bytes inline; {@link EventFormat.Field#arrayLength()} gives N. */
    CHAR_ARRAY("char", -1);

    private final String kernelName;
    private final int size;

    FieldType(String kernelName, int size) {
        this.kernelName = kernelName;
        this.size = size;
    }

    /**
     * The type as written in a {@code DIAG_IOCSREG} command.
     *
     * @return {@code "s32"} style; {@code "char"} for {@link #CHAR_ARRAY}, whose {@code [N]} goes after it
     */
    public String kernelName() {
        return kernelName;
    }

    /**
     * Bytes this type takes in the fixed part of the payload.
     *
     * @return 1, 2, 4 or 8 bytes; 4 for {@link #REL_LOC_STRING} (the {@code DYN_LOC} word); -1 for
     *     {@link #CHAR_ARRAY} (it depends on N)
     */
    public int size() {
        return size;
    }
}
