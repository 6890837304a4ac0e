package dev.userevents.shim.hotpath;

/**
 * The layout of one write to tracefs {@code user_events_data}: the hot-path half of the user_events ABI, here
 * because the encoder ({@code dev.userevents.agent.runtime.EventRecord}) runs in the bootstrap class loader. The
 * registration half ({@code struct user_reg}, the ioctls) is {@code dev.userevents.shim.UserEventsAbi}.
 *
 * <p>One {@code write()} is one event ({@code user_events_write_core()} in {@code kernel/trace/trace_events_user.c}):
 * <pre>
 *   0                   4                             4 + fixed size                      length
 *  +-------------------+-----------------------------+-----------------------------------+
 *  | write_index (u32) | fixed fields, in format     | dynamic data: the bytes each      |
 *  | from DIAG_IOCSREG | order, packed, native       | __rel_loc field points at,        |
 *  |                   | endian                      | strings NUL-terminated            |
 *  +-------------------+-----------------------------+-----------------------------------+
 * </pre>
 * A {@code __rel_loc} field is a u32 ({@link #relLoc}); the kernel checks that its data lies inside the event
 * and that a string ends in NUL ({@code user_event_validate()}), and refuses the write with EFAULT otherwise.
 */
public final class EventLayout {
    /** Offset of the u32 write index the kernel gave the event at registration ({@code user_reg.write_index}). */
    public static final int WRITE_INDEX_OFFSET = 0;
    /** Offset of the first fixed field; {@code __rel_loc} offsets count from the end of their own field. */
    public static final int FIELDS_OFFSET = 4;
    /** Bytes of a {@code __rel_loc} field. */
    public static final int REL_LOC_BYTES = 4;
    /**
     * The largest write the kernel records, write index included, in bytes: ftrace's ring buffer takes records of
     * at most 4,072 bytes (a 4 KiB sub-buffer less its headers), which hold the 8-byte {@code trace_entry} header
     * and the payload, while the 4-byte write index is not stored. A larger write succeeds and is silently
     * dropped. Measured in the guest ({@code KernelAcceptsEncodedEventsKernelTest}).
     */
    public static final int MAX_RECORDED_EVENT = 4068;

    private EventLayout() {
    }

    /**
     * {@code DYN_LOC(offset, size)} of {@code include/uapi/linux/user_events.h}, the value of a {@code __rel_loc}
     * field.
     *
     * @param offsetFromFieldEnd bytes from the end of the {@code __rel_loc} field to its data: 0 to 65535, not
     *                           checked (the encoder's buffers are 4 KiB)
     * @param length             bytes of the data, the NUL of a string included: 0 to 65535
     * @return the u32 to store in the field: length in the high 16 bits, offset in the low 16
     */
    public static int relLoc(int offsetFromFieldEnd, int length) {
        return (length << 16) | offsetFromFieldEnd; // what the encoder computed inline before: no mask on the hot path
    }
}
