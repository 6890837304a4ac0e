package dev.userevents.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The kernel's enable-word rules ({@code user_reg_get()}), checked before a word reaches the kernel. */
class EnableWordTest {

    @Test
    void naturallyAlignedFourByteWordIsAccepted() {
        EnableWord word = EnableWord.at(0x1004, 4, 31);

        assertEquals(0x1004, word.address());
        assertEquals(4, word.size());
        assertEquals(31, word.bit());
    }

    @Test
    void naturallyAlignedEightByteWordIsAccepted() {
        EnableWord word = EnableWord.at(0x1008, 8, 63);

        assertEquals(8, word.size());
        assertEquals(63, word.bit());
    }

    @Test
    void fourByteWordAtAnAddressNotDivisibleByFourIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnableWord.at(0x1002, 4, 0));

        assertEquals("enable address 0x1002 is not aligned to its size 4: the kernel needs natural alignment",
            e.getMessage());
    }

    @Test
    void eightByteWordAtAnAddressDivisibleOnlyByFourIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnableWord.at(0x1004, 8, 0));

        assertEquals("enable address 0x1004 is not aligned to its size 8: the kernel needs natural alignment",
            e.getMessage());
    }

    @Test
    void nullAddressIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EnableWord.at(0, 8, 0));
    }

    @Test
    void enableSizeTwoIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnableWord.at(0x1000, 2, 0));

        assertEquals("enable size 2 at 0x1000: the kernel takes 4 or 8 bytes", e.getMessage());
    }

    @Test
    void bitThirtyTwoOfAFourByteWordIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnableWord.at(0x1000, 4, 32));

        assertEquals("enable bit 32 does not fit a 4-byte word: use 0..31", e.getMessage());
    }

    @Test
    void bitSixtyFourOfAnEightByteWordIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnableWord.at(0x1000, 8, 64));

        assertEquals("enable bit 64 does not fit a 8-byte word: use 0..63", e.getMessage());
    }

    @Test
    void negativeBitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EnableWord.at(0x1000, 8, -1));
    }

    @Test
    void valueOfAFourByteWordWithItsTopBitSetIsReadUnsigned() {
        EnableWord word = new EnableWordArena().allocate(4, 31);
        EnableWordStores.storeInt(word.address(), 0x8000_0000);

        assertEquals(0x8000_0000L, word.value());
    }

    @Test
    void isSetLooksOnlyAtTheRegisteredBit() {
        EnableWord word = new EnableWordArena().allocate(8, 5);
        EnableWordStores.storeLong(word.address(), ~(1L << 5));

        assertFalse(word.isSet());
    }

    @Test
    void isSetSeesBitSixtyThreeOfAnEightByteWord() {
        EnableWord word = new EnableWordArena().allocate(8, 63);
        EnableWordStores.storeLong(word.address(), 1L << 63);

        assertTrue(word.isSet());
    }
}
