package dev.userevents.shim;

/**
 * The user_events ABI of {@code include/uapi/linux/user_events.h} (Linux 6.4+), byte for byte.
 *
 * <p>Both structs are {@code __attribute__((__packed__))} and start with their own size, which the
 * kernel uses to accept older and newer callers ({@code user_reg_get()} in
 * {@code kernel/trace/trace_events_user.c} copies with {@code copy_struct_from_user}).
 *
 * <p>This is the registration half. The layout of the writes themselves, which the encoder needs in the
 * bootstrap class loader, is {@link dev.userevents.shim.hotpath.EventLayout}.
 */
public final class UserEventsAbi {
    /** The tracefs system of events registered without {@link #REG_MULTI_FORMAT}. */
    public static final String SYSTEM = "user_events";
    /** The tracefs system of events registered with {@link #REG_MULTI_FORMAT} (Linux 6.10+). */
    public static final String MULTI_SYSTEM = "user_events_multi";

    /** {@code USER_EVENT_REG_PERSIST}: the event stays after the last registration closes. */
    public static final int REG_PERSIST = 1;
    /** {@code USER_EVENT_REG_MULTI_FORMAT}: the same name may have several formats. */
    public static final int REG_MULTI_FORMAT = 1 << 1;

    private static final int IOC_NRBITS = 8;
    private static final int IOC_TYPEBITS = 8;
    private static final int IOC_SIZEBITS = 14;
    private static final int IOC_NRSHIFT = 0;
    private static final int IOC_TYPESHIFT = IOC_NRSHIFT + IOC_NRBITS;
    private static final int IOC_SIZESHIFT = IOC_TYPESHIFT + IOC_TYPEBITS;
    private static final int IOC_DIRSHIFT = IOC_SIZESHIFT + IOC_SIZEBITS;
    private static final long IOC_WRITE = 1;
    private static final long IOC_READ = 2;

    private static final int DIAG_IOC_MAGIC = '*';
    /**
     * The header's macros take a pointer type ({@code struct user_reg *}), so the size encoded in the
     * request number is that of a pointer, not of the struct.
     */
    private static final int POINTER_SIZE = 8;

    /** {@code DIAG_IOCSREG = _IOWR('*', 0, struct user_reg *)}. */
    public static final long DIAG_IOCSREG = ioc(IOC_READ | IOC_WRITE, DIAG_IOC_MAGIC, 0, POINTER_SIZE);
    /** {@code DIAG_IOCSDEL = _IOW('*', 1, char *)}. */
    public static final long DIAG_IOCSDEL = ioc(IOC_WRITE, DIAG_IOC_MAGIC, 1, POINTER_SIZE);
    /** {@code DIAG_IOCSUNREG = _IOW('*', 2, struct user_unreg *)}. */
    public static final long DIAG_IOCSUNREG = ioc(IOC_WRITE, DIAG_IOC_MAGIC, 2, POINTER_SIZE);

    /** The longest command string the kernel takes ({@code MAX_EVENT_DESC}, NUL included). */
    public static final int MAX_EVENT_DESC = 512;
    /** The largest {@code char[N]} a field may declare ({@code MAX_FIELD_ARRAY_SIZE}). */
    public static final int MAX_FIELD_ARRAY_SIZE = 1024;

    private UserEventsAbi() {
    }

    /** {@code _IOC(dir, type, nr, size)} of {@code include/uapi/asm-generic/ioctl.h}. */
    static long ioc(long dir, int type, int nr, int size) {
        return (dir << IOC_DIRSHIFT) | ((long) type << IOC_TYPESHIFT) | ((long) nr << IOC_NRSHIFT)
            | ((long) size << IOC_SIZESHIFT);
    }

    /**
     * {@code struct user_reg}, 28 bytes, packed:
     * <pre>
     *   0                   1                   2                   3
     *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     *  +---------------------------------------------------------------+
     *  |                          size (u32)                           |  0
     *  +---------------+---------------+-------------------------------+
     *  | enable_bit u8 | enable_size u8|          flags (u16)          |  4
     *  +---------------+---------------+-------------------------------+
     *  |                       enable_addr (u64)                       |  8
     *  |                                                               |
     *  +---------------------------------------------------------------+
     *  |            name_args (u64): address of "name field;field"     | 16
     *  |                                                               |
     *  +---------------------------------------------------------------+
     *  |                write_index (u32, written by the kernel)       | 24
     *  +---------------------------------------------------------------+
     * </pre>
     */
    public static final class UserReg {
        /** {@code __u32 size}: the caller's idea of the struct's length, {@link #LENGTH}. */
        public static final int SIZE_OFFSET = 0;
        /** {@code __u8 enable_bit}: the bit of the enable word the kernel sets. */
        public static final int ENABLE_BIT_OFFSET = 4;
        /** {@code __u8 enable_size}: the enable word's size, 4 or 8 bytes. */
        public static final int ENABLE_SIZE_OFFSET = 5;
        /** {@code __u16 flags}: {@link #REG_PERSIST}, {@link #REG_MULTI_FORMAT}. */
        public static final int FLAGS_OFFSET = 6;
        /** {@code __u64 enable_addr}: the enable word's address in this process. */
        public static final int ENABLE_ADDR_OFFSET = 8;
        /** {@code __u64 name_args}: address of the NUL-terminated command ({@link EventFormat#command()}). */
        public static final int NAME_ARGS_OFFSET = 16;
        /** {@code __u32 write_index}: filled in by the kernel; every write of the event starts with it. */
        public static final int WRITE_INDEX_OFFSET = 24;
        /** Bytes of the whole struct. */
        public static final int LENGTH = 28;

        private UserReg() {
        }
    }

    /**
     * {@code struct user_unreg}, 16 bytes, packed:
     * <pre>
     *  +---------------------------------------------------------------+
     *  |                          size (u32)                           |  0
     *  +---------------+---------------+-------------------------------+
     *  |disable_bit u8 | __reserved u8 |        __reserved2 (u16)      |  4
     *  +---------------+---------------+-------------------------------+
     *  |                      disable_addr (u64)                       |  8
     *  |                                                               |
     *  +---------------------------------------------------------------+
     * </pre>
     */
    public static final class UserUnreg {
        /** {@code __u32 size}: the caller's idea of the struct's length, {@link #LENGTH}. */
        public static final int SIZE_OFFSET = 0;
        /** {@code __u8 disable_bit}: the bit given as {@code enable_bit} at registration. */
        public static final int DISABLE_BIT_OFFSET = 4;
        /** {@code __u64 disable_addr}: the address given as {@code enable_addr} at registration. */
        public static final int DISABLE_ADDR_OFFSET = 8;
        /** Bytes of the whole struct (the two reserved fields must be 0). */
        public static final int LENGTH = 16;

        private UserUnreg() {
        }
    }
}
