package dev.userevents.shim.hotpath;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import jdk.internal.misc.Unsafe;

/**
 * {@code jdk.internal.misc.Unsafe}: needs {@code jdk.internal.misc} exported to this module (the agent
 * does it with {@code Instrumentation.redefineModule}; tests with {@code --add-exports}). Only
 * {@link NativeWords} touches this class, and only after checking the export.
 */
final class InternalUnsafeAccess {
    private static final Unsafe UNSAFE = Unsafe.getUnsafe();
    private static final long PROBE = UNSAFE.allocateMemory(8);
    private static final long BUFFER_ADDRESS = UNSAFE.objectFieldOffset(Buffer.class, "address");
    /** String.value and String.coder, or -1 when this JDK's String has no such fields. */
    private static final long STRING_VALUE = fieldOffset(String.class, "value");
    private static final long STRING_CODER = fieldOffset(String.class, "coder");
    private static final long BYTES = byteArrayBase();
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_BITS = 0x0101010101010101L;

    private InternalUnsafeAccess() {
    }

    static long probeAddress() {
        return PROBE;
    }

    static int loInt(long address) {
        return UNSAFE.getIntOpaque(null, address);
    }

    static long loLong(long address) {
        return UNSAFE.getLongOpaque(null, address);
    }

    static void putShort(long address, short value) {
        UNSAFE.putShort(address, value);
    }

    static void putInt(long address, int value) {
        UNSAFE.putInt(address, value);
    }

    static void putLong(long address, long value) {
        UNSAFE.putLong(address, value);
    }

    static void putByte(long address, byte value) {
        UNSAFE.putByte(address, value);
    }

    static long bufferAddress(ByteBuffer direct) {
        return UNSAFE.getLong(direct, BUFFER_ADDRESS);
    }

    /** arrayBaseOffset(byte[].class): an int before JDK 23, a long since, so called by reflection. -1 if it fails. */
    private static long byteArrayBase() {
        try {
            return ((Number) Unsafe.class.getMethod("arrayBaseOffset", Class.class).invoke(UNSAFE, byte[].class)).longValue();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return -1;
        }
    }

    private static long fieldOffset(Class<?> type, String name) {
        try {
            return UNSAFE.objectFieldOffset(type, name);
        } catch (RuntimeException | InternalError e) { // InternalError: no such field
            return -1;
        }
    }

    /**
     * True when Strings hold their text as {@link #copyLatin1Ascii} expects (compact strings: a LATIN1
     * String's {@code value} is a byte[] of one byte per char, coder 0): checked on sample strings, so a JDK
     * that lays String out differently just takes the char-by-char path.
     */
    @SuppressWarnings("PatternMatchingInstanceof") // runs once; bytecode kept as is (package-info)
    static boolean latin1Strings() {
        if (STRING_VALUE < 0 || STRING_CODER < 0 || BYTES < 0) {
            return false;
        }
        String latin1 = new String(new char[] {'a', 'b', '\u00e9'});
        Object value = UNSAFE.getReference(latin1, STRING_VALUE);
        return value instanceof byte[] && ((byte[]) value).length == 3 && ((byte[]) value)[2] == (byte) 0xe9
            && UNSAFE.getByte(latin1, STRING_CODER) == 0
            && UNSAFE.getByte(new String(new char[] {'\u0100'}), STRING_CODER) != 0;
    }

    /**
     * Copies the ASCII chars (NUL excluded) that {@code text} starts with to {@code address}, 8 at a time
     * straight from the String's bytes; returns how many, or -1 when {@code text} is not a LATIN1 String of
     * {@code length} bytes (the caller then goes char by char). Writes at most {@code length} bytes; when it stops
     * early, bytes after the stop may hold copies of the text's bytes.
     */
    @SuppressWarnings("PatternMatchingInstanceof") // per event: a binding changes the bytecode (package-info)
    static int copyLatin1Ascii(String text, int length, long address) {
        Object value = UNSAFE.getReference(text, STRING_VALUE);
        if (UNSAFE.getByte(text, STRING_CODER) != 0 || !(value instanceof byte[])) {
            return -1;
        }
        byte[] bytes = (byte[]) value;
        if (bytes.length != length) {
            return -1;
        }
        if (length >= 8) {
            // Text that is all ASCII without NUL (nearly all of it) is copied in words with no test per word: the
            // flags of every word are ORed together and looked at once, at the end. The last word is read at
            // length - 8, overlapping its neighbour when length is not a multiple of 8, so there is no byte loop.
            long flags = 0;
            for (int i = 0; i < length - 8; i += 8) {
                long word = UNSAFE.getLongUnaligned(bytes, BYTES + i);
                flags |= word | ((word - LOW_BITS) & ~word);
                UNSAFE.putLongUnaligned(null, address + i, word);
            }
            long last = UNSAFE.getLongUnaligned(bytes, BYTES + length - 8);
            flags |= last | ((last - LOW_BITS) & ~last);
            UNSAFE.putLongUnaligned(null, address + length - 8, last);
            if ((flags & HIGH_BITS) == 0) {
                return length;
            }
        }
        // Short text, or a byte somewhere that is not ASCII or is NUL: again from the start, stopping exactly there.
        int i = 0;
        for (; i <= length - 8; i += 8) {
            long word = UNSAFE.getLongUnaligned(bytes, BYTES + i);
            // A byte with its high bit set (not ASCII) or a zero byte (NUL) in the word: finish byte by byte.
            if (((word | ((word - LOW_BITS) & ~word)) & HIGH_BITS) != 0) {
                break;
            }
            UNSAFE.putLongUnaligned(null, address + i, word);
        }
        for (; i < length; i++) {
            byte b = bytes[i];
            if (b <= 0) {
                break;
            }
            UNSAFE.putByte(address + i, b);
        }
        return i;
    }

}
