package dev.userevents.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.shim.hotpath.Errno;
import dev.userevents.testing.GuestTracefs;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.Wait;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Names, formats and the life of an event: format conflicts ({@code find_user_event()}), multi-format
 * events ({@code user_event_set_tp_name()}: tracepoint {@code NAME.<multi_id in hex>} under
 * {@code user_events_multi}) and deletion ({@code delete_user_event()}: refused while anything holds a
 * reference; an enabler drops its reference only after an RCU grace period, from a worker).
 */
@KernelTest
class EventLifecycleKernelTest {
    private final RegisteredEvents events = new RegisteredEvents();
    private final EnableWordArena arena = new EnableWordArena();

    @AfterEach
    void cleanUp() {
        events.close();
        GuestTracefs.clearTrace();
    }

    @Test
    void sameNameWithAnotherFormatIsAFormatConflictNamingTheEvent() throws Exception {
        UserEventsDataFile file = events.open();
        String name = RegisteredEvents.uniqueName("conflict");
        events.register(file, EventFormat.named(name).u32("value"), arena.allocate(8, 0));

        FormatConflictException e = assertThrows(FormatConflictException.class,
            () -> events.register(file, EventFormat.named(name).u64("value"), arena.allocate(8, 0)));

        assertEquals(name, e.eventName());
        assertEquals(Errno.EADDRINUSE, e.errno());
        assertTrue(e.getMessage().startsWith("event " + name + " already exists with another format"), e.getMessage());
    }

    @Test
    void sameNameWithTheSameFormatSharesOneEvent() throws Exception {
        UserEventsDataFile file = events.open();
        EventFormat format = EventFormat.named(RegisteredEvents.uniqueName("shared")).u32("value");
        EnableWord first = arena.allocate(8, 0);
        EnableWord second = arena.allocate(8, 0);
        Registration registration = events.register(file, format, first);
        events.register(events.open(), format, second);

        events.enable(registration);

        assertTrue(first.isSet() && second.isSet(), "one tracefs enable reaches both words");
    }

    @Test
    void multiFormatEventLivesInUserEventsMultiAsNameDotHexId() throws Exception {
        UserEventsDataFile file = events.open();
        String name = RegisteredEvents.uniqueName("multi");

        Registration registration = events.register(file, EventFormat.named(name).u32("value"), arena.allocate(8, 0),
            UserEventsAbi.REG_MULTI_FORMAT);

        assertEquals(UserEventsAbi.REG_MULTI_FORMAT, registration.flags(), "a 6.12 kernel takes the flag");
        assertEquals("user_events_multi", registration.system());
        assertEquals(1, GuestTracefs.eventDirs("user_events_multi", name + "\\.[0-9a-f]+").size(),
            GuestTracefs.eventDirs("user_events_multi", ".*").toString());
        assertFalse(GuestTracefs.eventExists("user_events", name), "nothing under user_events/");
    }

    @Test
    void eachFormatOfAMultiFormatNameGetsItsOwnTracepoint() throws Exception {
        UserEventsDataFile file = events.open();
        String name = RegisteredEvents.uniqueName("multi_two");

        events.register(file, EventFormat.named(name).u32("value"), arena.allocate(8, 0), UserEventsAbi.REG_MULTI_FORMAT);
        events.register(file, EventFormat.named(name).u64("value"), arena.allocate(8, 0), UserEventsAbi.REG_MULTI_FORMAT);

        List<String> tracepoints = GuestTracefs.eventDirs("user_events_multi", name + "\\.[0-9a-f]+");
        assertEquals(2, tracepoints.size(), tracepoints.toString());
        assertNotEquals(tracepoints.get(0), tracepoints.get(1));
    }

    @Test
    void multiFormatRegistrationSidestepsAConflictWithASingleFormatEvent() throws Exception {
        UserEventsDataFile file = events.open();
        String name = RegisteredEvents.uniqueName("multi_beside_single");
        events.register(file, EventFormat.named(name).u32("value"), arena.allocate(8, 0));

        Registration multi = events.register(file, EventFormat.named(name).u64("value"), arena.allocate(8, 0),
            UserEventsAbi.REG_MULTI_FORMAT);

        assertEquals("user_events_multi", multi.system());
        assertTrue(GuestTracefs.eventExists("user_events", name));
    }

    @Test
    void writesToAMultiFormatEventAppearUnderItsTracepointName() throws Exception {
        UserEventsDataFile file = events.open();
        String name = RegisteredEvents.uniqueName("multi_write");
        Registration registration = events.register(file, EventFormat.named(name).u32("value"), arena.allocate(8, 0),
            UserEventsAbi.REG_MULTI_FORMAT);
        String tracepoint = GuestTracefs.eventDirs("user_events_multi", name + "\\.[0-9a-f]+").get(0);
        GuestTracefs.clearTrace();
        events.enable("user_events_multi", tracepoint);

        RawEvent.of(registration).u32(5).writeTo(file);

        assertEquals(List.of("value=0x5 (5)"), GuestTracefs.eventLines(tracepoint));
    }

    @Test
    void deleteIsRefusedWithEbusyWhileTheEventIsRegistered() throws Exception {
        UserEventsDataFile file = events.open();
        String name = RegisteredEvents.uniqueName("delete_registered");
        events.register(file, EventFormat.named(name).u32("value"), arena.allocate(8, 0));

        RegistrationException e = assertThrows(RegistrationException.class, () -> file.delete(name));

        assertEquals(Errno.EBUSY, e.errno());
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("EBUSY"), e.getMessage());
        assertTrue(GuestTracefs.eventExists("user_events", name));
    }

    @Test
    void deleteStaysRefusedAfterUnregisterWhileTheRegisteringFileIsOpen() throws Exception {
        // The file keeps a reference to every event registered through it until it is closed.
        UserEventsDataFile file = events.open();
        String name = RegisteredEvents.uniqueName("delete_file_open");
        EnableWord word = arena.allocate(8, 0);
        events.register(file, EventFormat.named(name).u32("value"), word);
        events.unregister(word);

        RegistrationException e = assertThrows(RegistrationException.class, () -> file.delete(name));

        assertEquals(Errno.EBUSY, e.errno());
    }

    @Test
    void persistentEventCanBeDeletedOnceUnregisteredAndItsFileClosed() throws Exception {
        String name = RegisteredEvents.uniqueName("delete_persistent");
        UserEventsDataFile file = events.open();
        EnableWord word = arena.allocate(8, 0);
        Registration registration = events.register(file, EventFormat.named(name).u32("value"), word,
            UserEventsAbi.REG_PERSIST);
        assertEquals(UserEventsAbi.REG_PERSIST, registration.flags(), "root may persist events");
        try {
            events.unregister(word);
            file.close();
            assertTrue(GuestTracefs.eventExists("user_events", name), "a persistent event outlives its registrations");

            int lastErrno = deleteWithinSeconds(name, 5);

            assertEquals(0, lastErrno, "delete kept failing with " + Errno.describe(lastErrno));
            assertFalse(GuestTracefs.eventExists("user_events", name));
        } finally {
            deleteWithinSeconds(name, 5);
        }
    }

    @Test
    void nonPersistentEventVanishesByItselfOnceUnregisteredAndItsFileClosed() throws Exception {
        String name = RegisteredEvents.uniqueName("auto_delete");
        UserEventsDataFile file = events.open();
        EnableWord word = arena.allocate(8, 0);
        events.register(file, EventFormat.named(name).u32("value"), word);

        events.unregister(word);
        file.close();

        Wait.until(Duration.ofSeconds(5), () -> name + " to vanish from tracefs", () -> !GuestTracefs.eventExists("user_events", name));
        RegistrationException e = assertThrows(RegistrationException.class, () -> events.open().delete(name));
        assertEquals(Errno.ENOENT, e.errno());
    }

    @Test
    void deleteOfAnUnknownEventIsRefusedWithEnoent() throws Exception {
        UserEventsDataFile file = events.open();
        String name = RegisteredEvents.uniqueName("never_registered");

        RegistrationException e = assertThrows(RegistrationException.class, () -> file.delete(name));

        assertEquals(Errno.ENOENT, e.errno());
    }

    /**
     * Retries delete while it answers EBUSY: the last reference of an unregistered enabler is dropped by a
     * worker after an RCU grace period ({@code user_event_enabler_destroy()}). 0 once deleted, else the last errno.
     */
    private int deleteWithinSeconds(String name, int seconds) throws Exception {
        int[] errno = {Errno.EBUSY};
        try (UserEventsDataFile file = UserEventsDataFile.open(Tracefs.at(GuestTracefs.ROOT))) {
            Wait.atMost(Duration.ofSeconds(seconds)).until(() -> {
                try {
                    file.delete(name);
                    errno[0] = 0;
                } catch (RegistrationException e) {
                    errno[0] = e.errno();
                }
                return errno[0] != Errno.EBUSY;
            });
        } catch (ConditionTimeoutException stillBusy) {
            // the last errno (EBUSY) says so
        }
        return errno[0];
    }
}
