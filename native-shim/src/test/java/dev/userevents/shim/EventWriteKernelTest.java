package dev.userevents.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userevents.shim.hotpath.Errno;
import dev.userevents.testing.GuestTracefs;
import dev.userevents.testing.KernelTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Payloads written to {@code user_events_data} come out of {@code /sys/kernel/tracing/trace} with their
 * exact values. user_events prints with {@code print_event_fields()} (kernel/trace/trace_output.c), not
 * with the format's {@code print fmt}: 2-, 4- and 8-byte integers as {@code 0xHEX (DEC)}, where the decimal
 * is printed unsigned for 2 bytes and signed for 4 and 8 whatever the declared type; 1-byte integers as
 * {@code (DEC)} unsigned, preceded by {@code 'c'} when the byte is printable in the kernel's Latin-1 ctype
 * (0x20-0x7e and 0xa0-0xff).
 */
@KernelTest
class EventWriteKernelTest {
    private final RegisteredEvents events = new RegisteredEvents();
    private final EnableWordArena arena = new EnableWordArena();

    @BeforeEach
    void emptyTraceBuffer() {
        GuestTracefs.clearTrace();
    }

    @AfterEach
    void cleanUp() {
        events.close();
        GuestTracefs.clearTrace();
    }

    @Test
    void everyIntegerWidthArrivesWithItsExactValue() throws Exception {
        Traced event = enabled(EventFormat.named("widths")
            .s8("a").u8("b").s16("c").u16("d").s32("e").u32("f").s64("g").u64("h"));

        long written = RawEvent.of(event.registration)
            .s8(100).u8(7).s16(1000).u16(65000).s32(2_000_000_000).u32(3_000_000L)
            .s64(9_000_000_000_000_000_000L).u64(1_234_567_890_123L)
            .writeTo(event.file);

        assertEquals(4 + 1 + 1 + 2 + 2 + 4 + 4 + 8 + 8, written);
        assertEquals(List.of("a='d'(100) b=(7) c=0x3e8 (1000) d=0xfde8 (65000) e=0x77359400 (2000000000)"
            + " f=0x2dc6c0 (3000000) g=0x7ce66c50e2840000 (9000000000000000000) h=0x11f71fb04cb (1234567890123)"),
            GuestTracefs.eventLines(event.name()));
    }

    @Test
    void negativeValuesArriveAsTheirTwosComplementBits() throws Exception {
        Traced event = enabled(EventFormat.named("negatives").s8("a").s8("b").s16("c").s32("d").s64("e"));

        RawEvent.of(event.registration).s8(-5).s8(-100).s16(-300).s32(-70_000).s64(-5_000_000_000L)
            .writeTo(event.file);

        // 1- and 2-byte fields print unsigned even when declared s8/s16; -5 is byte 0xfb, Latin-1 'û'.
        assertEquals(List.of("a='\u00fb'(251) b=(156) c=0xfed4 (65236) d=0xfffeee90 (-70000)"
            + " e=0xfffffffed5fa0e00 (-5000000000)"),
            GuestTracefs.eventLines(event.name(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void unsignedValuesWithTheTopBitSetKeepTheirBits() throws Exception {
        Traced event = enabled(EventFormat.named("unsigned_top").u8("a").u16("b").u32("c").u64("d").u64("e"));

        RawEvent.of(event.registration).u8(0x80).u16(0xffff).u32(4_000_000_000L).u64(0xf9ccd8a1c5080000L).u64(-1L)
            .writeTo(event.file);

        // 4- and 8-byte fields print their decimal signed even when declared u32/u64.
        assertEquals(List.of("a=(128) b=0xffff (65535) c=0xee6b2800 (-294967296)"
            + " d=0xf9ccd8a1c5080000 (-446744073709551616) e=0xffffffffffffffff (-1)"),
            GuestTracefs.eventLines(event.name()));
    }

    @Test
    void utf8StringArrivesByteForByte() throws Exception {
        Traced event = enabled(EventFormat.named("utf8").u32("before").string("text").u32("after"));

        RawEvent.of(event.registration).u32(1).string("héllo wörld ✓").u32(2).writeTo(event.file);

        assertEquals(List.of("before=0x1 (1) text=héllo wörld ✓ after=0x2 (2)"), GuestTracefs.eventLines(event.name()));
    }

    @Test
    void emptyStringArrivesEmpty() throws Exception {
        Traced event = enabled(EventFormat.named("empty").u32("before").string("text").u32("after"));

        RawEvent.of(event.registration).u32(1).string("").u32(2).writeTo(event.file);

        assertEquals(List.of("before=0x1 (1) text= after=0x2 (2)"), GuestTracefs.eventLines(event.name()));
    }

    @Test
    void eachOfTwoStringsArrivesWhole() throws Exception {
        Traced event = enabled(EventFormat.named("two_strings").string("first").string("second"));

        RawEvent.of(event.registration).string("alpha").string("beta gamma").writeTo(event.file);

        assertEquals(List.of("first=alpha second=beta gamma"), GuestTracefs.eventLines(event.name()));
    }

    @Test
    void charArrayArrivesUpToItsFirstNul() throws Exception {
        Traced event = enabled(EventFormat.named("chars").charArray("code", 8).u8("after"));

        RawEvent.of(event.registration).chars("EUR", 8).u8(9).writeTo(event.file);

        assertEquals(List.of("code=EUR after=(9)"), GuestTracefs.eventLines(event.name()));
    }

    @Test
    void successiveWritesArriveInOrder() throws Exception {
        Traced event = enabled(EventFormat.named("sequence").u32("n"));

        for (int n = 1; n <= 3; n++) {
            RawEvent.of(event.registration).u32(n).writeTo(event.file);
        }

        assertEquals(List.of("n=0x1 (1)", "n=0x2 (2)", "n=0x3 (3)"), GuestTracefs.eventLines(event.name()));
    }

    @Test
    void writeWhileDisabledReturnsMinusEbadf() throws Exception {
        Traced event = registered(EventFormat.named("disabled_ebadf").u32("n"));

        long result = RawEvent.of(event.registration).u32(1).writeTo(event.file);

        assertEquals(-Errno.EBADF, result);
    }

    @Test
    void writesWhileDisabledAreCountedAsNobodyTraced() throws Exception {
        Traced event = registered(EventFormat.named("disabled_count").u32("n"));

        for (int n = 0; n < 3; n++) {
            RawEvent.of(event.registration).u32(n).writeTo(event.file);
        }

        assertEquals(3, event.file.writesNobodyTraced());
    }

    @Test
    void writeWhileDisabledLeavesNothingInTheTrace() throws Exception {
        Traced event = registered(EventFormat.named("disabled_silent").u32("n"));

        RawEvent.of(event.registration).u32(1).writeTo(event.file);

        assertEquals(List.of(), GuestTracefs.eventLines(event.name()));
    }

    @Test
    void writeAfterDisablingReturnsMinusEbadfAgain() throws Exception {
        Traced event = enabled(EventFormat.named("re_disabled").u32("n"));
        GuestTracefs.disable(event.name());

        long result = RawEvent.of(event.registration).u32(1).writeTo(event.file);

        assertEquals(-Errno.EBADF, result);
        assertEquals(List.of(), GuestTracefs.eventLines(event.name()));
    }

    @Test
    void writeWhileEnabledIsNotCountedAsNobodyTraced() throws Exception {
        Traced event = enabled(EventFormat.named("enabled_uncounted").u32("n"));

        RawEvent.of(event.registration).u32(1).writeTo(event.file);

        assertEquals(0, event.file.writesNobodyTraced());
    }

    @Test
    void payloadShorterThanTheFixedFieldsIsRefusedWithEinval() throws Exception {
        Traced event = enabled(EventFormat.named("too_short").u32("a").u64("b"));

        long result = RawEvent.of(event.registration).u32(1).writeTo(event.file);

        assertEquals(-Errno.EINVAL, result);
        assertEquals(List.of(), GuestTracefs.eventLines(event.name()));
    }

    @Test
    void stringWithoutItsNulIsDroppedWithEfault() throws Exception {
        // user_event_validate() checks every __rel_loc string ends in NUL inside the payload.
        Traced event = enabled(EventFormat.named("unterminated").string("text"));

        long result = RawEvent.of(event.registration).unterminatedString("abc").writeTo(event.file);

        assertEquals(-Errno.EFAULT, result);
        assertEquals(List.of(), GuestTracefs.eventLines(event.name()));
    }

    @Test
    void writeIndexThatThisFileNeverHandedOutIsRefusedWithEnoent() throws Exception {
        Traced event = enabled(EventFormat.named("foreign_index").u32("n"));

        long result = RawEvent.withWriteIndex(event.registration.writeIndex() + 1).u32(1).writeTo(event.file);

        assertEquals(-Errno.ENOENT, result);
    }

    private Traced registered(EventFormat format) throws Exception {
        UserEventsDataFile file = events.open();
        EventFormat unique = format.renamed(RegisteredEvents.uniqueName(format.name()));
        return new Traced(file, events.register(file, unique, arena.allocate(8, 0)));
    }

    private Traced enabled(EventFormat format) throws Exception {
        Traced event = registered(format);
        events.enable(event.registration);
        return event;
    }

    /** An event registered on its own data file. */
    private static final class Traced {
        final UserEventsDataFile file;
        final Registration registration;

        Traced(UserEventsDataFile file, Registration registration) {
            this.file = file;
            this.registration = registration;
        }

        String name() {
            return registration.format().name();
        }
    }
}
