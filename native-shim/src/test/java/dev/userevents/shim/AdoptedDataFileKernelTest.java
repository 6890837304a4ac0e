package dev.userevents.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.shim.hotpath.Errno;
import dev.userevents.testing.GuestTracefs;
import dev.userevents.testing.KernelTest;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code user_events_data} opened write-only registers and writes (the kernel's ioctl checks no file mode,
 * {@code vfs_write()} wants write access only), and {@link UserEventsDataFile#adopt} tells a usable descriptor
 * from a read-only one on the real kernel, also in a process that has registered events already (its
 * {@code DIAG_IOCSUNREG} probe must still answer ENOENT and unregister nothing).
 */
@KernelTest
class AdoptedDataFileKernelTest {
    private final RegisteredEvents events = new RegisteredEvents();
    private final EnableWordArena arena = new EnableWordArena();

    @AfterEach
    void cleanUp() {
        events.close();
        GuestTracefs.clearTrace();
    }

    @Test
    void aWriteOnlyDescriptorRegistersAndWrites() throws Exception {
        UserEventsDataFile file = events.open();
        assertEquals(Libc.O_WRONLY, Libc.fcntl(file.fd(), Libc.F_GETFL, 0) & Libc.O_ACCMODE, "opened write-only");
        String name = RegisteredEvents.uniqueName("wronly");
        Registration registration = events.register(file, EventFormat.named(name).u32("n"), arena.allocate(4, 0));
        events.enable(registration);

        assertEquals(8, RawEvent.of(registration).u32(42).writeTo(file));
        assertEquals(List.of("n=0x2a (42)"), GuestTracefs.eventLines(name));
    }

    @Test
    void anAdoptedDescriptorRegistersAndWritesAndEarlierRegistrationsStay() throws Exception {
        UserEventsDataFile first = events.open();
        EnableWord firstWord = arena.allocate(4, 0);
        String firstName = RegisteredEvents.uniqueName("before_adopt");
        Registration before = events.register(first, EventFormat.named(firstName).u32("n"), firstWord);
        int fd = Libc.open(GuestTracefs.ROOT.resolve("user_events_data").toString(), Libc.O_WRONLY);

        UserEventsDataFile adopted = UserEventsDataFile.adopt(fd, "dataFd=" + fd);
        try {
            assertEquals("descriptor " + fd + " from dataFd=" + fd, adopted.origin());
            assertEquals(GuestTracefs.ROOT.resolve("user_events_data"), adopted.path());
            assertEquals(Libc.FD_CLOEXEC, Libc.fcntl(fd, 1 /* F_GETFD */, 0) & Libc.FD_CLOEXEC, "close-on-exec");
            String name = RegisteredEvents.uniqueName("adopted");
            Registration registration = adopted.register(EventFormat.named(name).u32("n"), arena.allocate(4, 0));
            events.enable(registration);
            events.enable(before);
            assertEquals(8, RawEvent.of(registration).u32(7).writeTo(adopted));
            assertEquals(8, RawEvent.of(before).u32(8).writeTo(first));
            assertEquals(List.of("n=0x7 (7)"), GuestTracefs.eventLines(name));
            assertEquals(List.of("n=0x8 (8)"), GuestTracefs.eventLines(firstName));
            assertTrue(firstWord.isSet(), "the earlier word is still set by the kernel: the probe"
                + " ioctl of adopt() unregistered nothing");
            adopted.unregister(registration.enableWord());
        } finally {
            adopted.close();
        }
    }

    @Test
    void aReadOnlyDescriptorOfUserEventsDataIsRefused() {
        int fd = Libc.open(GuestTracefs.ROOT.resolve("user_events_data").toString(), 0);
        assertTrue(fd >= 0, "opened read-only: " + Errno.describe(Libc.errno()));
        try {
            UserEventsUnavailableException refused = assertThrows(UserEventsUnavailableException.class,
                () -> UserEventsDataFile.adopt(fd, "dataFd=" + fd));
            assertEquals("dataFd=" + fd + ": descriptor " + fd + " (" + GuestTracefs.ROOT.resolve("user_events_data")
                + ") is open read-only, so the kernel refuses every event written to it; open user_events_data for"
                + " writing (O_WRONLY)", refused.getMessage());
            assertTrue(Files.exists(Paths.get("/proc/self/fd/" + fd)), "a refused descriptor is left to its owner");
        } finally {
            Libc.close(fd);
        }
    }
}
