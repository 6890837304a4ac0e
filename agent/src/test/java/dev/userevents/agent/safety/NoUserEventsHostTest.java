package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.userevents.agent.backend.KernelBackend;
import dev.userevents.agent.config.AgentOptions;
import dev.userevents.shim.UserEventsUnavailableException.Reason;
import dev.userevents.shim.UserEventsUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a machine without user_events the agent's backend refuses to open with the cause and the fix, which the
 * agent logs as its one line before installing nothing. Host-side halves of faults (a) and (b); the guest
 * runs all faults with a real application under the packaged agent ({@code FaultToleranceKernelTest}).
 */
class NoUserEventsHostTest {
    /** This build host, like most distribution kernels' machines, has no tracefs mounted. */
    @Test
    void hostWithoutTracefsIsToldHowToMountIt() {
        assumeFalse(Files.isDirectory(Path.of("/sys/kernel/tracing/events")) || Files.isDirectory(Path.of(
            "/sys/kernel/debug/tracing/events")), "this host has tracefs mounted");

        UserEventsUnavailableException refusal = assertThrows(UserEventsUnavailableException.class,
            () -> KernelBackend.open(AgentOptions.defaults()));

        assertEquals(Reason.TRACEFS_NOT_MOUNTED, refusal.reason());
        assertTrue(refusal.getMessage().startsWith("tracefs is not mounted"), refusal.getMessage());
        assertTrue(refusal.getMessage().contains("mount it with 'mount -t tracefs nodev /sys/kernel/tracing'"),
            refusal.getMessage());
    }

    /**
     * A simulation of a kernel without CONFIG_USER_EVENTS: {@code tracefs=} names a folder with an
     * {@code events/} folder and no {@code user_events_data}.
     */
    @Test
    void tracefsWithoutUserEventsDataIsToldWhichKernelOptionIsMissing(@TempDir Path fakeTracefs) throws Exception {
        Files.createDirectory(fakeTracefs.resolve("events"));

        UserEventsUnavailableException refusal = assertThrows(UserEventsUnavailableException.class,
            () -> KernelBackend.open(AgentOptions.parse("tracefs=" + fakeTracefs, new Properties())));

        assertEquals(Reason.KERNEL_WITHOUT_USER_EVENTS, refusal.reason());
        assertEquals(fakeTracefs.resolve("user_events_data") + " does not exist: the kernel lacks CONFIG_USER_EVENTS"
            + " (Linux 6.4+ has it as an option)", refusal.getMessage());
    }
}
