package dev.userevents.shim.hotpath;

import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import sun.misc.Unsafe;

/**
 * {@code sun.misc.Unsafe}: the fallback when {@code jdk.internal.misc} is not exported to us. JDK 24+
 * prints a deprecation warning on its first memory access, which is why the agent avoids it.
 * Volatile loads: sun.misc.Unsafe has no opaque variant; on x86-64 a volatile load is the same plain
 * load instruction.
 */
final class MiscUnsafeAccess {
    private static final Unsafe UNSAFE = theUnsafe();
    private static final long BUFFER_ADDRESS = bufferAddressOffset();

    private MiscUnsafeAccess() {
    }

    private static Unsafe theUnsafe() {
        try {
            Field field = Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (Unsafe) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static long bufferAddressOffset() {
        try {
            return UNSAFE.objectFieldOffset(Buffer.class.getDeclaredField("address"));
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static long bufferAddress(ByteBuffer direct) {
        return UNSAFE.getLong(direct, BUFFER_ADDRESS);
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

    static int lvInt(long address) {
        return UNSAFE.getIntVolatile(null, address);
    }

    static long lvLong(long address) {
        return UNSAFE.getLongVolatile(null, address);
    }

}
