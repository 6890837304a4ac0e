package dev.userevents.shim.hotpath;

import java.nio.ByteBuffer;

/**
 * Loads and stores of native words by absolute address: the enable words the kernel writes.
 *
 * <p><b>Ordering.</b> The kernel sets and clears the enable bit with atomic bit operations from another
 * context at any time ({@code user_event_enabler_write()} in {@code kernel/trace/trace_events_user.c}).
 * The probe only needs to observe the change eventually and must not be allowed to cache the word in a
 * register across loop iterations, so it reads with an <em>opaque</em> load: on x86-64 and arm64 that is
 * a plain load instruction the JIT may not hoist or eliminate. No other data is published through the
 * word, so no acquire ordering is needed: the payload is the application's own arguments.
 *
 * <p><b>Access.</b> {@code jdk.internal.misc.Unsafe} gives opaque loads without the JDK 24+ warning
 * that {@code sun.misc.Unsafe} memory access prints. The agent exports {@code jdk.internal.misc} to this
 * class's module through {@code Instrumentation.redefineModule} before first use; without that export
 * (a plain library user on JDK 17) {@code sun.misc.Unsafe}'s volatile loads are used instead.
 * The choice is a static final constant, so the JIT compiles away the branch.
 */
public final class NativeWords {
    private static final boolean INTERNAL_UNSAFE = internalUnsafeAccessible();
    private static final boolean LATIN1_COPY = INTERNAL_UNSAFE && latin1Strings();

    private NativeWords() {
    }

    /**
     * Opaque load of the 4-byte native-endian word at {@code address}: how probes read their enable word.
     *
     * @param address a native address, 4-byte aligned (the kernel's rule for enable words)
     * @return the word's current value
     */
    public static int loInt(long address) {
        if (INTERNAL_UNSAFE) {
            return InternalUnsafeAccess.loInt(address);
        }
        return MiscUnsafeAccess.lvInt(address);
    }

    /**
     * Opaque load of the 8-byte native-endian word at {@code address}.
     *
     * @param address a native address, 8-byte aligned
     * @return the word's current value
     */
    public static long loLong(long address) {
        if (INTERNAL_UNSAFE) {
            return InternalUnsafeAccess.loLong(address);
        }
        return MiscUnsafeAccess.lvLong(address);
    }

    /**
     * Plain store of one byte at {@code address}: for event buffers only (memory this JVM allocated and keeps
     * reachable), never for enable words. No bounds check: the caller has checked the range.
     *
     * @param address a native address inside an event buffer
     * @param value   the byte to store
     */
    public static void putByte(long address, byte value) {
        if (INTERNAL_UNSAFE) {
            InternalUnsafeAccess.putByte(address, value);
        } else {
            MiscUnsafeAccess.putByte(address, value);
        }
    }

    /**
     * Plain native-endian store of 2 bytes at {@code address}; event buffers only, as {@link #putByte}.
     *
     * @param address a native address inside an event buffer; fields are packed, so it may be unaligned
     * @param value   the value to store
     */
    public static void putShort(long address, short value) {
        if (INTERNAL_UNSAFE) {
            InternalUnsafeAccess.putShort(address, value);
        } else {
            MiscUnsafeAccess.putShort(address, value);
        }
    }

    /**
     * Plain native-endian store of 4 bytes at {@code address}; event buffers only, as {@link #putByte}.
     *
     * @param address a native address inside an event buffer; fields are packed, so it may be unaligned
     * @param value   the value to store
     */
    public static void putInt(long address, int value) {
        if (INTERNAL_UNSAFE) {
            InternalUnsafeAccess.putInt(address, value);
        } else {
            MiscUnsafeAccess.putInt(address, value);
        }
    }

    /**
     * Plain native-endian store of 8 bytes at {@code address}; event buffers only, as {@link #putByte}.
     *
     * @param address a native address inside an event buffer; fields are packed, so it may be unaligned
     * @param value   the value to store
     */
    public static void putLong(long address, long value) {
        if (INTERNAL_UNSAFE) {
            InternalUnsafeAccess.putLong(address, value);
        } else {
            MiscUnsafeAccess.putLong(address, value);
        }
    }

    /**
     * Copies the ASCII chars (NUL excluded) that {@code text} starts with, one byte each, to {@code address};
     * stops at the first other char or after {@code length} ({@code text.length()}) chars and returns how
     * many it copied. The caller has checked that {@code length} bytes fit at {@code address}. With
     * {@code jdk.internal.misc.Unsafe}, compact (LATIN1) Strings are copied 8 bytes at a time from their own
     * bytes; otherwise, char by char. Bytes after the returned count, up to {@code length}, may have been
     * written too (a LATIN1 String is copied whole before it is found not to be all ASCII): the caller writes
     * over them, or they lie past the field's end.
     *
     * @param text    the string to copy from its first char
     * @param length  the most chars to copy, at most {@code text.length()}; only {@code text.length()} itself
     *                takes the 8-byte path
     * @param address a native address inside an event buffer with {@code length} bytes of room
     * @return how many chars (= bytes) were copied, 0 to {@code length}
     */
    public static int copyAscii(String text, int length, long address) {
        if (LATIN1_COPY) {
            int copied = InternalUnsafeAccess.copyLatin1Ascii(text, length, address);
            if (copied >= 0) {
                return copied;
            }
        }
        int i = 0;
        for (; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80 || c == 0) {
                break;
            }
            putByte(address + i, (byte) c);
        }
        return i;
    }

    /**
     * A direct buffer's native address: the start of its memory, for system calls that take a pointer.
     * The buffer must stay reachable while the address is used.
     *
     * @param direct a direct buffer
     * @return the native address of its index 0
     * @throws IllegalArgumentException when {@code direct} is a heap buffer
     */
    public static long addressOf(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer: " + direct);
        }
        if (INTERNAL_UNSAFE) {
            return InternalUnsafeAccess.bufferAddress(direct);
        }
        return MiscUnsafeAccess.bufferAddress(direct);
    }

    /** {@return which access this JVM uses, for status output: "jdk.internal.misc.Unsafe" or "sun.misc.Unsafe"} */
    public static String accessName() {
        return INTERNAL_UNSAFE ? "jdk.internal.misc.Unsafe" : "sun.misc.Unsafe";
    }

    private static boolean latin1Strings() {
        try {
            return InternalUnsafeAccess.latin1Strings();
        } catch (Throwable e) {
            return false;
        }
    }

    private static boolean internalUnsafeAccessible() {
        if (Boolean.getBoolean("userevents.forceMiscUnsafe")) {
            return false;
        }
        try {
            Module javaBase = Object.class.getModule();
            if (!javaBase.isExported("jdk.internal.misc", NativeWords.class.getModule())) {
                return false;
            }
            InternalUnsafeAccess.loInt(InternalUnsafeAccess.probeAddress());
            return true;
        } catch (Throwable e) {
            return false;
        }
    }
}
