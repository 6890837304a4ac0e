package dev.userevents.shim.hotpath;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Loads and stores by absolute address, checked against a direct buffer's view of the same bytes. */
class NativeWordsTest {

    private final ByteBuffer memory = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    private final long address = com.sun.jna.Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(memory));

    @Test
    void usesJdkInternalUnsafeWhenItsPackageIsExported() {
        // surefire passes --add-exports java.base/jdk.internal.misc=ALL-UNNAMED, as the agent does at run time
        assertEquals("jdk.internal.misc.Unsafe", NativeWords.accessName());
    }

    @Test
    void loIntReadsTheNativeEndianIntAtTheAddress() {
        memory.putInt(4, 0xCAFE_BABE);

        assertEquals(0xCAFE_BABE, NativeWords.loInt(address + 4));
    }

    @Test
    void loLongReadsTheNativeEndianLongAtTheAddress() {
        memory.putLong(8, 0x0123_4567_89AB_CDEFL);

        assertEquals(0x0123_4567_89AB_CDEFL, NativeWords.loLong(address + 8));
    }

    @Test
    void svIntWritesOnlyItsFourBytes() {
        memory.putLong(0, -1L);

        NativeWords.svInt(address, 0);

        assertEquals(0xFFFF_FFFF_0000_0000L, memory.getLong(0));
    }

    @Test
    void svLongWritesTheNativeEndianLong() {
        NativeWords.svLong(address + 8, Long.MIN_VALUE);

        assertEquals(Long.MIN_VALUE, memory.getLong(8));
    }
}
