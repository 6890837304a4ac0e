package dev.userevents.shim.hotpath;

import jdk.internal.misc.Unsafe;

/**
 * {@code jdk.internal.misc.Unsafe}: needs {@code jdk.internal.misc} exported to this module (the agent
 * does it with {@code Instrumentation.redefineModule}; tests with {@code --add-exports}). Only
 * {@link NativeWords} touches this class, and only after checking the export.
 */
final class InternalUnsafeAccess {
    private static final Unsafe UNSAFE = Unsafe.getUnsafe();
    private static final long PROBE = UNSAFE.allocateMemory(8);
    private static final long BUFFER_ADDRESS = UNSAFE.objectFieldOffset(java.nio.Buffer.class, "address");

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

    static void svInt(long address, int value) {
        UNSAFE.putIntVolatile(null, address, value);
    }

    static long bufferAddress(java.nio.ByteBuffer direct) {
        return UNSAFE.getLong(direct, BUFFER_ADDRESS);
    }

    static void svLong(long address, long value) {
        UNSAFE.putLongVolatile(null, address, value);
    }
}
