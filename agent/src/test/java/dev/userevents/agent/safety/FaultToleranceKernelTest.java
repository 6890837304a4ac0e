package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.shim.EnableWord;
import dev.userevents.shim.EnableWordArena;
import dev.userevents.shim.EventFormat;
import dev.userevents.shim.FormatConflictException;
import dev.userevents.shim.Tracefs;
import dev.userevents.shim.UserEventsDataFile;
import dev.userevents.testing.GuestTracefs;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.TraceInstance;
import dev.userevents.testing.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults the agent meets in someone else's process. For each: the application ({@code FaultApp}, 60 orders,
 * a {@code toString()} that throws or returns null among its arguments) prints exactly what it prints
 * without the agent and exits 0, and the agent says what is wrong, and how to fix it, in exactly one log line.
 * Runs in the guest as root; the faults are made with mount namespaces, another user, another process.
 */
@KernelTest
class FaultToleranceKernelTest {
    private static final int ORDERS = 60;
    private static final Duration START = Duration.ofSeconds(150);
    private static final Duration WORK = Duration.ofSeconds(60);
    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final List<String> NOBODY = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
    /** A mount namespace of the app's own, with the tracefs mounts (tracefs and debugfs' tracing) removed. */
    private static final String UNMOUNT_TRACEFS = "umount -R /sys/kernel/debug 2>/dev/null; umount -R /sys/kernel/tracing"
        + " && ! grep -q tracefs /proc/self/mounts";

    private static List<String> withoutAgent;

    @BeforeAll
    static void runTheAppWithoutTheAgent() throws Exception {
        AppProcess app = runToEnd("FaultApp without agent", List.of(), null, p -> { }, p -> { });
        withoutAgent = app.stdout();
        System.out.printf("faults: baseline without agent: %d stdout lines, %.1f s%n", withoutAgent.size(),
            app.secondsSinceStart());
    }

    @BeforeEach
    void noOrderPlacedEventLingers() throws InterruptedException {
        // Events of an exited process are deleted by a kernel worker; one still there would conflict.
        Path dir = GuestTracefs.ROOT.resolve("events/user_events/order_placed");
        Wait.until(Duration.ofSeconds(15), () -> "user_events:order_placed to go (does another process hold it?)",
            () -> !Files.exists(dir));
    }

    @Test
    void withoutTracefsTheAppRunsUnchangedAndOneLineSaysHowToMountIt() throws Exception {
        AppProcess app = runToEnd("(a) no tracefs", inMountNamespace(UNMOUNT_TRACEFS), "", p -> { }, p -> { });

        String line = theOnlyAgentLine(app);
        assertTrue(line.startsWith("[userevents] WARN user_events unavailable, probes stay off and the application runs"
            + " untraced: tracefs is not mounted"), line);
        assertTrue(line.contains("mount it with 'mount -t tracefs nodev /sys/kernel/tracing'"), line);
        report("(a) no tracefs", app, line);
    }

    /**
     * A simulation: the kernel here has user_events, so the app gets a mount namespace whose
     * /sys/kernel/tracing is a tmpfs with an {@code events/} folder and no {@code user_events_data}, which is
     * what a tracefs of a kernel built without CONFIG_USER_EVENTS looks like to the agent's discovery.
     */
    @Test
    void tracefsWithoutUserEventsIsNamedWithTheKernelOptionToEnable() throws Exception {
        String fakeTracefs = UNMOUNT_TRACEFS + " && mount -t tmpfs safety-fake-tracefs /sys/kernel/tracing"
            + " && mkdir /sys/kernel/tracing/events";
        AppProcess app = runToEnd("(b) tracefs without user_events", inMountNamespace(fakeTracefs), "", p -> { }, p -> { });

        String line = theOnlyAgentLine(app);
        assertTrue(line.startsWith("[userevents] WARN user_events unavailable, probes stay off and the application runs"
            + " untraced: tracefs at /sys/kernel/tracing has no user_events_data"), line);
        assertTrue(line.contains("built without CONFIG_USER_EVENTS; use Linux 6.4+ with CONFIG_USER_EVENTS=y"), line);
        report("(b) tracefs without user_events (simulated)", app, line);
    }

    /** The guest's tracefs is mode 0700, as the kernel mounts it: another user cannot even look inside. */
    @Test
    void nonRootUserWhoCannotReadTracefsIsToldToUseRootOrATracingGroup() throws Exception {
        AppProcess app = runToEnd("(c) non-root, tracefs 0700", NOBODY, "", p -> { }, p -> { });

        String line = theOnlyAgentLine(app);
        assertTrue(line.startsWith("[userevents] WARN user_events unavailable, probes stay off and the application runs"
            + " untraced: /sys/kernel/tracing is not readable by this user"), line);
        assertTrue(line.contains("run as root, or mount tracefs with gid=<group>"), line);
        report("(c) non-root user, tracefs not readable", app, line);
    }

    /** Tracefs opened for reading (0755), user_events_data still root's (0640): open(O_RDWR) fails with EACCES. */
    @Test
    void nonRootUserWhoCannotWriteUserEventsDataIsToldToUseRootOrATracingGroup() throws Exception {
        Path root = GuestTracefs.ROOT;
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(root);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        AppProcess app;
        try {
            app = runToEnd("(c) non-root, user_events_data 0640", NOBODY, "", p -> { }, p -> { });
        } finally {
            Files.setPosixFilePermissions(root, mode);
        }

        String line = theOnlyAgentLine(app);
        assertTrue(line.startsWith("[userevents] WARN user_events unavailable, probes stay off and the application runs"
            + " untraced: cannot open /sys/kernel/tracing/user_events_data for writing: "), line);
        assertTrue(line.contains("EACCES") && line.contains("run as root, or grant this user access: mount tracefs with"
            + " gid=<group>"), line);
        report("(c) non-root user, user_events_data not writable", app, line);
    }

    /**
     * This test's JVM registers {@code order_placed} with other fields first and keeps it while the app runs.
     * The app's probe of that name is left off with one line naming the conflict and the ways out; its other
     * probe works: every {@code order_shipped} call arrives.
     */
    @Test
    void eventRegisteredFirstByAnotherProcessWithOtherFieldsLeavesOnlyThatProbeOff() throws Exception {
        EnableWord word = new EnableWordArena().allocate(4, 0);
        EventFormat other = EventFormat.named("order_placed").u32("ticket").string("note");
        try (UserEventsDataFile file = UserEventsDataFile.open(Tracefs.at(GuestTracefs.ROOT));
             TraceInstance trace = TraceInstance.create("safety_conflict", 1024)) {
            registerWhenFree(file, other, word);
            long[] shipped = new long[1];
            AppProcess app = runToEnd("(d) format conflict", List.of(), "",
                p -> enable(trace, "order_shipped"),
                p -> shipped[0] = trace.countLines("order_shipped"));
            file.unregister(word);

            List<String> complaints = app.agentComplaints();
            assertEquals(1, complaints.size(), "one line names the conflict" + app.transcript());
            String line = complaints.get(0);
            assertTrue(line.startsWith("[userevents] ERROR probe order_placed on com.example.safety.FaultApp.placeOrder"
                + " left off: event order_placed already exists with another format than 'order_placed s32 orderId; "), line);
            assertTrue(line.contains("rename the probe") && line.contains("USER_EVENT_REG_MULTI_FORMAT"), line);
            assertEquals(ORDERS / 3, shipped[0], "order_shipped events in trace, the probe that did not conflict");
            report("(d) format conflict with another process", app, line + " [order_shipped still arrived: "
                + shipped[0] + "/" + ORDERS / 3 + "]");
        }
    }

    /**
     * {@code multiFormat=true,simulateNoMultiFormat=true}: the agent acts as on a kernel older than 6.10 that
     * refuses USER_EVENT_REG_MULTI_FORMAT, registers plain user_events instead and says so once; every event
     * arrives in {@code user_events}, a throwing or null {@code toString()} argument included.
     */
    @Test
    void kernelRefusingMultiFormatFallsBackWithOneWarningAndEventsStillArrive() throws Exception {
        try (TraceInstance trace = TraceInstance.create("safety_multiformat", 1024)) {
            long[] counts = new long[2];
            AtomicReference<List<String>> placed = new AtomicReference<>();
            AppProcess app = runToEnd("(e) no MULTI_FORMAT", List.of(), "multiFormat=true,simulateNoMultiFormat=true",
                p -> {
                    enable(trace, "order_placed");
                    enable(trace, "order_shipped");
                },
                p -> {
                    counts[0] = trace.countLines("order_placed");
                    counts[1] = trace.countLines("order_shipped");
                    placed.set(trace.eventLines("order_placed"));
                });

            List<String> complaints = app.agentComplaints();
            assertEquals(1, complaints.size(), "one line about the refused flag" + app.transcript());
            String line = complaints.get(0);
            assertTrue(line.startsWith("[userevents] WARN the kernel refused USER_EVENT_REG_MULTI_FORMAT (Linux 6.10+ has"
                + " it); events are registered in user_events without it"), line);
            assertEquals(ORDERS, counts[0], "order_placed events in user_events");
            assertEquals(ORDERS / 3, counts[1], "order_shipped events in user_events");
            assertTrue(placed.get().contains("orderId=0x1 (1) customer=bob cents=0x6b (107) coupon=C1"), placed.get().toString());
            assertTrue(placed.get().contains("orderId=0x2 (2) customer=chloé cents=0xcf (207) coupon=C2"), placed.get().toString());
            assertTrue(placed.get().contains("orderId=0x4 (4) customer=eve cents=0x197 (407) coupon=(toString threw)"),
                placed.get().toString());
            assertTrue(placed.get().contains("orderId=0x5 (5) customer=alice cents=0x1fb (507) coupon=(null)"),
                placed.get().toString());
            report("(e) kernel refuses MULTI_FORMAT (simulated)", app, line + " [events in user_events: order_placed "
                + counts[0] + "/" + ORDERS + ", order_shipped " + counts[1] + "/" + ORDERS / 3 + "]");
        }
    }

    // --- helpers --------------------------------------------------------------------------------------

    interface Step {
        void run(AppProcess app) throws Exception;
    }

    /**
     * Runs FaultApp to its end: {@code whileReady} once its probes are registered, {@code whileDone} after its
     * work and before it exits (its events still exist). Checks exit status 0 and, when run with the agent,
     * that standard output equals the run without it.
     */
    private static AppProcess runToEnd(String label, List<String> prefix, String agentOptions, Step whileReady,
                                       Step whileDone) throws Exception {
        List<String> command = SafetyApps.wrapped(prefix, SafetyApps.java(SafetyApps.currentJava(), agentOptions,
            SafetyApps.appClassPath(), "FaultApp", Integer.toString(ORDERS)));
        try (AppProcess app = AppProcess.start(label, command)) {
            app.awaitLine("ready", START);
            whileReady.run(app);
            app.send("go");
            app.awaitLine("done", WORK);
            whileDone.run(app);
            assertEquals(0, app.awaitExit(EXIT), label + ": exit status" + app.transcript());
            if (agentOptions != null) {
                assertEquals(withoutAgent, app.stdout(), label + ": standard output differs from the run without the agent"
                    + app.transcript());
            }
            return app;
        }
    }

    /** {@code unshare -m sh -c 'SETUP && exec java ...'}: the app alone sees the changed mounts. */
    private static List<String> inMountNamespace(String setup) {
        return List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", setup + " && exec \"$0\" \"$@\"");
    }

    private static String theOnlyAgentLine(AppProcess app) {
        List<String> lines = app.agentLines();
        assertEquals(1, lines.size(), "exactly one agent line" + app.transcript());
        return lines.get(0);
    }

    private static void enable(TraceInstance trace, String event) throws InterruptedException {
        trace.enable("user_events", event);
    }

    /** Registers {@code format}, waiting (bounded) while an exited process's event of that name is deleted. */
    private static void registerWhenFree(UserEventsDataFile file, EventFormat format, EnableWord word) throws Exception {
        Wait.until(Duration.ofSeconds(15), () -> format.name() + " to be free to register (does another process hold it?)",
            () -> {
                try {
                    file.register(format, word, 0);
                    return true;
                } catch (FormatConflictException e) {
                    return false;
                }
            });
    }

    private static void report(String fault, AppProcess app, String line) {
        System.out.printf("faults: %s: stdout identical to the run without agent (%d lines), exit 0, %.1f s; agent: %s%n",
            fault, app.stdout().size(), app.secondsSinceStart(), line);
    }
}
