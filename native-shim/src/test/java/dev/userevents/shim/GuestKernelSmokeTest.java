package dev.userevents.shim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.testing.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Proves the guest harness (vm/kernel-tests.sh): this runs inside the QEMU guest whose kernel has
 * CONFIG_USER_EVENTS=y, with tracefs mounted at /sys/kernel/tracing. Excluded from {@code mvn verify}
 * on the host by the "kernel" tag.
 */
@KernelTest
class GuestKernelSmokeTest {

    private static final Path TRACEFS = Path.of("/sys/kernel/tracing");

    @Test
    void kernelHasUserEventsAndTracefs() {
        System.out.println("guest kernel release: " + System.getProperty("os.version"));
        assertTrue(Files.exists(TRACEFS.resolve("user_events_data")),
                "no " + TRACEFS.resolve("user_events_data") + ": kernel without CONFIG_USER_EVENTS?");
        assertTrue(Files.exists(TRACEFS.resolve("user_events_status")),
                "no " + TRACEFS.resolve("user_events_status"));
        assertTrue(Files.isDirectory(TRACEFS.resolve("events")) && Files.isReadable(TRACEFS.resolve("events")),
                TRACEFS.resolve("events") + " is not a readable directory");
    }
}
