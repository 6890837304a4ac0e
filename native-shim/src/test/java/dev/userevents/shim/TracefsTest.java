package dev.userevents.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.userevents.shim.UserEventsUnavailableException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery against a fake {@code /proc/self/mounts}. {@link Tracefs#locate(Path)} always looks at
 * {@code /sys/kernel/tracing} and {@code /sys/kernel/debug/tracing} first, so the tests that expect a
 * failure only run where those hold no real tracefs (the build host, not the guest).
 */
class TracefsTest {

    @TempDir
    Path temp;

    @BeforeEach
    void noRealTracefsAtTheFixedMountPoints() {
        for (Path fixed : new Path[] {Tracefs.DEFAULT_ROOT, Tracefs.DEBUGFS_ROOT}) {
            assumeFalse(Files.isDirectory(fixed.resolve("events")) || Files.exists(fixed.resolve(Tracefs.DATA_FILE)),
                "a real tracefs is mounted at " + fixed + "; these tests need a machine without one");
        }
    }

    @Test
    void unescapeTurnsOctalSpaceIntoASpace() {
        assertEquals("/mnt/my trace", Tracefs.unescapeMountPath("/mnt/my\\040trace"));
    }

    @Test
    void unescapeTurnsOctalTabNewlineAndBackslashBack() {
        assertEquals("/a\tb\nc\\d", Tracefs.unescapeMountPath("/a\\011b\\012c\\134d"));
    }

    @Test
    void unescapeLeavesABackslashNotFollowedByThreeOctalDigits() {
        assertEquals("/a\\09b\\1", Tracefs.unescapeMountPath("/a\\09b\\1"));
    }

    @Test
    void unescapeLeavesAPlainPathUnchanged() {
        assertEquals("/sys/kernel/tracing", Tracefs.unescapeMountPath("/sys/kernel/tracing"));
    }

    @Test
    void tracefsMountWithUserEventsDataIsFound() throws Exception {
        Path root = Files.createDirectories(temp.resolve("tracing"));
        Files.createDirectories(root.resolve("events"));
        Files.createFile(root.resolve(Tracefs.DATA_FILE));

        Tracefs tracefs = Tracefs.locate(mounts("tracefs " + root + " tracefs rw,nosuid,nodev,noexec,relatime 0 0"));

        assertEquals(root, tracefs.root());
        assertEquals(root.resolve("user_events_data"), tracefs.dataFile());
    }

    @Test
    void tracefsMountWhosePathHoldsASpaceIsFound() throws Exception {
        Path root = Files.createDirectories(temp.resolve("my tracing"));
        Files.createFile(root.resolve(Tracefs.DATA_FILE));

        Tracefs tracefs = Tracefs.locate(mounts("nodev " + root.toString().replace(" ", "\\040") + " tracefs rw 0 0"));

        assertEquals(root, tracefs.root());
    }

    @Test
    void tracefsMountedWithoutUserEventsMeansTheKernelLacksIt() throws Exception {
        Path root = Files.createDirectories(temp.resolve("tracing"));
        Files.createDirectories(root.resolve("events"));

        UserEventsUnavailableException e = assertThrows(UserEventsUnavailableException.class,
            () -> Tracefs.locate(mounts("tracefs " + root + " tracefs rw,relatime 0 0")));

        assertEquals(Reason.KERNEL_WITHOUT_USER_EVENTS, e.reason());
        assertTrue(e.getMessage().startsWith("tracefs at " + root + " has no user_events_data"), e.getMessage());
        assertTrue(e.getMessage().contains("CONFIG_USER_EVENTS"), e.getMessage());
    }

    @Test
    void directoryWithEventsThatIsNotListedAsTracefsIsIgnored() throws Exception {
        Path root = Files.createDirectories(temp.resolve("tracing"));
        Files.createDirectories(root.resolve("events"));

        UserEventsUnavailableException e = assertThrows(UserEventsUnavailableException.class,
            () -> Tracefs.locate(mounts("tmpfs " + root + " tmpfs rw 0 0")));

        assertEquals(Reason.TRACEFS_NOT_MOUNTED, e.reason());
    }

    @Test
    void noTracefsLineInTheMountsFileMeansTracefsIsNotMounted() throws Exception {
        UserEventsUnavailableException e = assertThrows(UserEventsUnavailableException.class,
            () -> Tracefs.locate(mounts(
                "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0",
                "sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0")));

        assertEquals(Reason.TRACEFS_NOT_MOUNTED, e.reason());
        assertTrue(e.getMessage().contains("mount -t tracefs nodev /sys/kernel/tracing"), e.getMessage());
    }

    @Test
    void missingMountsFileMeansTracefsIsNotMounted() {
        UserEventsUnavailableException e = assertThrows(UserEventsUnavailableException.class,
            () -> Tracefs.locate(temp.resolve("no-such-mounts")));

        assertEquals(Reason.TRACEFS_NOT_MOUNTED, e.reason());
    }

    @Test
    void eventDirIsUnderEventsSystemName() {
        Tracefs tracefs = Tracefs.at(Path.of("/t"));

        assertEquals(Path.of("/t/events/user_events/order"), tracefs.eventDir(UserEventsAbi.SYSTEM, "order"));
    }

    private Path mounts(String... lines) throws IOException {
        return Files.write(temp.resolve("mounts"), java.util.List.of(lines));
    }
}
