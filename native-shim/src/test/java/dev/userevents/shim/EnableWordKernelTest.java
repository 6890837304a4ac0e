package dev.userevents.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.userevents.shim.hotpath.Errno;
import dev.userevents.shim.hotpath.NativeWords;
import dev.userevents.testing.GuestTracefs;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.Wait;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel sets and clears our enable bit as tracers come and go ({@code user_event_enabler_write()}
 * in {@code kernel/trace/trace_events_user.c}), exactly that bit, and stops once we unregister.
 */
@KernelTest
class EnableWordKernelTest {
    private static final EventFormat FORMAT_STEM = EventFormat.named("stem").u32("value");

    private final RegisteredEvents events = new RegisteredEvents();
    private final EnableWordArena arena = new EnableWordArena();
    /** malloc'd words for layouts the arena does not hand out; kept reachable until the test ends. */
    private final Memory words = new Memory(64);

    {
        words.clear();
    }

    @AfterEach
    void cleanUp() {
        events.close();
    }

    @Test
    void enablingTheEventInTracefsSetsOurBit() throws Exception {
        UserEventsDataFile file = events.open();
        EnableWord word = arena.allocate(8, 0);
        Registration registration = events.register(file, format("enable"), word);
        assertFalse(word.isSet(), "no tracer yet");

        events.enable(registration);

        assertTrue(word.isSet());
    }

    @Test
    void disablingTheEventInTracefsClearsOurBit() throws Exception {
        UserEventsDataFile file = events.open();
        EnableWord word = arena.allocate(8, 0);
        Registration registration = events.register(file, format("disable"), word);
        events.enable(registration);

        GuestTracefs.disable(registration.format().name());

        assertEquals(0, word.value());
    }

    @Test
    void enablingSetsOnlyBitZeroOfAFourByteWord() throws Exception {
        assertEnablingSetsExactly(alignedWord(0, 4, 0), 1L);
    }

    @Test
    void enablingSetsOnlyBitThirtyOneOfAFourByteWord() throws Exception {
        assertEnablingSetsExactly(alignedWord(0, 4, 31), 0x8000_0000L);
    }

    @Test
    void enablingSetsOnlyBitThirtyOneOfAFourByteWordInTheUpperHalfOfALong() throws Exception {
        // The kernel's bit operations work on longs: a 4-byte word at 4 mod 8 makes it align the address
        // down and add 32 to the bit (align_addr_bit()). The lower half must stay untouched.
        EnableWord word = alignedWord(4, 4, 31);

        assertEnablingSetsExactly(word, 0x8000_0000L);
        assertEquals(0, NativeWords.loInt(word.address() - 4), "the other half of the long");
    }

    @Test
    void enablingSetsOnlyBitZeroOfAnEightByteWord() throws Exception {
        assertEnablingSetsExactly(alignedWord(0, 8, 0), 1L);
    }

    @Test
    void enablingSetsOnlyBitSixtyThreeOfAnEightByteWord() throws Exception {
        assertEnablingSetsExactly(alignedWord(0, 8, 63), 1L << 63);
    }

    @Test
    void twoEventsSharingOneWordEachSetOnlyTheirOwnBit() throws Exception {
        UserEventsDataFile file = events.open();
        EnableWord bit3 = alignedWord(0, 8, 3);
        EnableWord bit40 = alignedWord(0, 8, 40);
        Registration first = events.register(file, format("shared_a"), bit3);
        Registration second = events.register(file, format("shared_b"), bit40);

        events.enable(second);
        assertEquals(1L << 40, bit40.value());

        events.enable(first);
        assertEquals((1L << 40) | (1L << 3), bit3.value());

        GuestTracefs.disable(second.format().name());
        assertEquals(1L << 3, bit3.value());
    }

    @Test
    void enablingSetsTheBitOfAWordOnAFreshlyMappedUntouchedPage() throws Exception {
        UserEventsDataFile file = events.open();
        EnableWord word = EnableWord.at(EnableWordArena.mapUntouchedPage(), 8, 0);
        Registration registration = events.register(file, format("untouched"), word);

        events.enable(registration);

        assertEquals(1L, word.value());
    }

    @Test
    void registeringAnAlreadyEnabledEventSetsTheBitOfAWordOnAnUntouchedPageAtOnce() throws Exception {
        UserEventsDataFile file = events.open();
        EventFormat format = format("already_enabled");
        Registration earlier = events.register(file, format, arena.allocate(8, 0));
        events.enable(earlier);
        EnableWord word = EnableWord.at(EnableWordArena.mapUntouchedPage(), 8, 0);

        events.register(file, format, word);

        assertEquals(1L, word.value());
    }

    @Test
    void enablingSetsTheBitEvenWhenThePageWasDroppedSinceRegistration() throws Exception {
        // After MADV_DONTNEED the page is gone; the kernel cannot pin it without faulting, so it queues
        // the fault and sets the bit from a worker (user_event_enabler_fault_fixup()): the bit arrives late.
        UserEventsDataFile file = events.open();
        long page = EnableWordArena.mapUntouchedPage();
        EnableWord word = EnableWord.at(page, 8, 0);
        Registration registration = events.register(file, format("dropped_page"), word);
        assertEquals(0, Madvise.madvise(page, Libc.getpagesize(), Madvise.MADV_DONTNEED), "madvise");

        events.enable(registration);

        Wait.until(Duration.ofSeconds(5), () -> "the kernel worker to set the bit", word::isSet);
        assertEquals(1L, word.value());
    }

    @Test
    void afterUnregisterEnablingNoLongerChangesOurWord() throws Exception {
        UserEventsDataFile file = events.open();
        EnableWord word = arena.allocate(8, 0);
        Registration registration = events.register(file, format("unregistered"), word);

        events.unregister(word);
        events.enable(registration);  // the event lives on: the open file still holds it

        assertEquals(0, word.value());
    }

    @Test
    void unregisteringWhileEnabledClearsOurBit() throws Exception {
        UserEventsDataFile file = events.open();
        EnableWord word = arena.allocate(8, 0);
        Registration registration = events.register(file, format("unregister_enabled"), word);
        events.enable(registration);

        events.unregister(word);

        assertEquals(0, word.value());
    }

    @Test
    void closingTheDataFileLeavesTheWordRegistered() throws Exception {
        // Enablers belong to the process (its mm), not to the file: only DIAG_IOCSUNREG, exit or exec end them.
        UserEventsDataFile file = events.open();
        EnableWord word = arena.allocate(8, 0);
        Registration registration = events.register(file, format("closed_file"), word);

        file.close();
        events.enable(registration);

        assertEquals(1L, word.value());
    }

    @Test
    void secondRegistrationOfTheSameWordAndBitIsRefusedAsAWordClashNotAFormatConflict() throws Exception {
        // current_user_event_enabler_exists() answers EADDRINUSE, the errno a format conflict also gets.
        UserEventsDataFile file = events.open();
        EnableWord word = arena.allocate(8, 0);
        events.register(file, format("word_owner"), word);
        String intruder = RegisteredEvents.uniqueName("word_intruder");

        RegistrationException e = assertThrows(RegistrationException.class,
            () -> events.register(file, EventFormat.named(intruder).u32("value"), word));

        assertEquals(Errno.EADDRINUSE, e.errno());
        assertFalse(e instanceof FormatConflictException, e.getMessage());
        assertTrue(e.getMessage().contains(word.toString()), e.getMessage());
    }

    @Test
    void wordCanServeAnotherEventOnceUnregistered() throws Exception {
        UserEventsDataFile file = events.open();
        EnableWord word = arena.allocate(8, 0);
        events.register(file, format("first_owner"), word);
        events.unregister(word);

        Registration next = events.register(file, format("next_owner"), word);
        events.enable(next);

        assertEquals(1L, word.value());
    }

    private void assertEnablingSetsExactly(EnableWord word, long expected) throws Exception {
        UserEventsDataFile file = events.open();
        Registration registration = events.register(file, format("bit" + word.size() + "_" + word.bit()), word);
        assertEquals(0, word.value());

        events.enable(registration);

        assertEquals(expected, word.value(), "0x" + Long.toHexString(word.value()));
    }

    /** A word at {@code offset} from an 8-byte aligned block of zeroed memory. */
    private EnableWord alignedWord(int offset, int size, int bit) {
        long base = (Pointer.nativeValue(words) + 7) & ~7L;
        return EnableWord.at(base + offset, size, bit);
    }

    private static EventFormat format(String stem) {
        return FORMAT_STEM.renamed(RegisteredEvents.uniqueName(stem));
    }

    /** {@code madvise(2)}, which the production code never needs. */
    static final class Madvise {
        static final int MADV_DONTNEED = 4;

        static {
            Native.register(Madvise.class, NativeLibrary.getInstance("c"));
        }

        static native int madvise(long address, long length, int advice);
    }
}
