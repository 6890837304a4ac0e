package dev.userevents.shim.hotpath;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Loads (and the encoder's buffer stores) by absolute address, checked against a direct buffer's view of the same bytes. */
class NativeWordsTest {

    private final ByteBuffer memory = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
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
    void copyAsciiCopiesWholeAsciiTextAndNotOneByteMore() {
        String text = "0123456789abcdefXYZ"; // two words and three bytes
        for (int length = 0; length <= text.length(); length++) {
            fill((byte) 0x55);

            assertEquals(length, NativeWords.copyAscii(text.substring(0, length), length, address + 1));

            assertEquals(0x55, memory.get(0), "before");
            for (int i = 0; i < length; i++) {
                assertEquals(text.charAt(i), memory.get(1 + i));
            }
            assertEquals(0x55, memory.get(1 + length), "after " + length + " bytes");
        }
    }

    @Test
    void copyAsciiStopsAtTheFirstNonAsciiOrNulChar() {
        String ascii = "abcdefghijklmnopqrstuvwxyz";
        for (char stop : new char[] {'\u0000', '\u0080', '\u00ff', '\u0100', '\u20ac', '\ud83d'}) {
            for (int at = 0; at <= 20; at++) {
                String text = ascii.substring(0, at) + stop + ascii.substring(at, at + 3);
                fill((byte) 0x55);

                assertEquals(at, NativeWords.copyAscii(text, text.length(), address), "stop " + (int) stop + " at " + at);
                for (int i = 0; i < at; i++) {
                    assertEquals(text.charAt(i), memory.get(i));
                }
                // bytes from the stop on may have been written (a LATIN1 text is copied whole before it is
                // found not to be all ASCII), but never past the text's length
                assertEquals(0x55, memory.get(text.length()), "stop " + (int) stop + " at " + at);
            }
        }
    }

    private void fill(byte value) {
        for (int i = 0; i < memory.capacity(); i++) {
            memory.put(i, value);
        }
    }
}
