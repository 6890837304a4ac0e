package dev.userevents.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.userevents.shim.hotpath.NativeWords;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Stores into enable words, checked against a direct buffer's view of the same bytes and the woven load. */
class EnableWordStoresTest {
    private final ByteBuffer memory = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
    private final long address = Pointer.nativeValue(Native.getDirectBufferPointer(memory));

    @Test
    void storeIntWritesOnlyItsFourBytes() {
        memory.putLong(0, -1L);

        EnableWordStores.storeInt(address, 0);

        assertEquals(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0xFFFF_FFFF_0000_0000L : 0x0000_0000_FFFF_FFFFL,
            memory.getLong(0));
    }

    @Test
    void storeLongWritesTheNativeEndianLong() {
        EnableWordStores.storeLong(address + 8, Long.MIN_VALUE);

        assertEquals(Long.MIN_VALUE, memory.getLong(8));
    }

    @Test
    void theWovenLoadSeesTheStore() {
        EnableWordStores.storeInt(address + 16, 1 << 3);

        assertEquals(1 << 3, NativeWords.loInt(address + 16));
    }
}
