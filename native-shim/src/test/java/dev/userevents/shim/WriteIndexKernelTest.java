package dev.userevents.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userevents.testing.GuestTracefs;
import dev.userevents.testing.KernelTest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Write indexes belong to the open data file ({@code user_events_ref_add()} appends to the file's own
 * array): several events share one file under distinct indexes, and two files count from zero each.
 */
@KernelTest
class WriteIndexKernelTest {
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
    void eventsRegisteredOnOneFileGetIndexesCountingFromZero() throws Exception {
        UserEventsDataFile file = events.open();

        Registration first = events.register(file, format("one_file_a"), arena.allocate(8, 0));
        Registration second = events.register(file, format("one_file_b"), arena.allocate(8, 0));
        Registration third = events.register(file, format("one_file_c"), arena.allocate(8, 0));

        assertEquals(List.of(0, 1, 2), List.of(first.writeIndex(), second.writeIndex(), third.writeIndex()));
    }

    @Test
    void eachEventOnOneFileReceivesOnlyItsOwnWrites() throws Exception {
        UserEventsDataFile file = events.open();
        Registration first = events.register(file, format("own_writes_a"), arena.allocate(8, 0));
        Registration second = events.register(file, format("own_writes_b"), arena.allocate(8, 0));
        Registration third = events.register(file, format("own_writes_c"), arena.allocate(8, 0));
        events.enable(first);
        events.enable(second);
        events.enable(third);

        RawEvent.of(second).u32(22).writeTo(file);
        RawEvent.of(first).u32(11).writeTo(file);
        RawEvent.of(third).u32(33).writeTo(file);

        assertEquals(List.of("value=0xb (11)"), GuestTracefs.eventLines(first.format().name()));
        assertEquals(List.of("value=0x16 (22)"), GuestTracefs.eventLines(second.format().name()));
        assertEquals(List.of("value=0x21 (33)"), GuestTracefs.eventLines(third.format().name()));
    }

    @Test
    void registeringTheSameEventAgainOnTheSameFileReturnsItsIndex() throws Exception {
        UserEventsDataFile file = events.open();
        EventFormat format = format("same_again");
        events.register(file, format("same_again_other"), arena.allocate(8, 0));

        Registration first = events.register(file, format, arena.allocate(8, 0));
        Registration again = events.register(file, format, arena.allocate(8, 0));

        assertEquals(1, first.writeIndex());
        assertEquals(1, again.writeIndex());
    }

    @Test
    void twoFilesInOneProcessEachCountIndexesFromZero() throws Exception {
        UserEventsDataFile left = events.open();
        UserEventsDataFile right = events.open();

        Registration onLeft = events.register(left, format("left"), arena.allocate(8, 0));
        Registration onRight = events.register(right, format("right"), arena.allocate(8, 0));

        assertEquals(0, onLeft.writeIndex());
        assertEquals(0, onRight.writeIndex());
    }

    @Test
    void theSameIndexWrittenThroughTwoFilesReachesEachFilesOwnEvent() throws Exception {
        UserEventsDataFile left = events.open();
        UserEventsDataFile right = events.open();
        Registration onLeft = events.register(left, format("two_files_left"), arena.allocate(8, 0));
        Registration onRight = events.register(right, format("two_files_right"), arena.allocate(8, 0));
        events.enable(onLeft);
        events.enable(onRight);

        RawEvent.of(onLeft).u32(1).writeTo(left);
        RawEvent.of(onRight).u32(2).writeTo(right);

        assertEquals(List.of("value=0x1 (1)"), GuestTracefs.eventLines(onLeft.format().name()));
        assertEquals(List.of("value=0x2 (2)"), GuestTracefs.eventLines(onRight.format().name()));
    }

    @Test
    void oneEventRegisteredThroughTwoFilesReceivesWritesThroughBoth() throws Exception {
        UserEventsDataFile left = events.open();
        UserEventsDataFile right = events.open();
        EventFormat format = format("shared_by_files");
        events.register(left, format("shared_by_files_padding"), arena.allocate(8, 0));
        Registration onLeft = events.register(left, format, arena.allocate(8, 0));
        Registration onRight = events.register(right, format, arena.allocate(8, 0));
        events.enable(onLeft);

        RawEvent.of(onLeft).u32(1).writeTo(left);
        RawEvent.of(onRight).u32(2).writeTo(right);

        assertEquals(1, onLeft.writeIndex());
        assertEquals(0, onRight.writeIndex());
        assertEquals(List.of("value=0x1 (1)", "value=0x2 (2)"), GuestTracefs.eventLines(format.name()));
    }

    private static EventFormat format(String stem) {
        return EventFormat.named(RegisteredEvents.uniqueName(stem)).u32("value");
    }
}
