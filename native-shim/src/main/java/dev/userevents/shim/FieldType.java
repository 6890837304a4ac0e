package dev.userevents.shim;

/**
 * The field types this project declares, spelled as the kernel parses them
 * ({@code user_field_size()} in {@code kernel/trace/trace_events_user.c}). There is no float type in
 * the kernel's event format; {@code long} is refused there because its size is ambiguous.
 */
public enum FieldType {
    S8("s8", 1),
    U8("u8", 1),
    S16("s16", 2),
    U16("u16", 2),
    S32("s32", 4),
    U32("u32", 4),
    S64("s64", 8),
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

    public String kernelName() {
        return kernelName;
    }

    /** Bytes this field takes in the fixed part of the payload; -1 for {@link #CHAR_ARRAY} (it depends on N). */
    public int size() {
        return size;
    }
}
