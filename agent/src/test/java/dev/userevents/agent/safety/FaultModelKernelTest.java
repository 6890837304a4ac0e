package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.backend.KernelBackend;
import dev.userevents.agent.config.AgentOptions;
import dev.userevents.agent.testing.BigMethodSource;
import dev.userevents.shim.EnableWord;
import dev.userevents.shim.EnableWordArena;
import dev.userevents.shim.EventFormat;
import dev.userevents.shim.Tracefs;
import dev.userevents.shim.UserEventsDataFile;
import dev.userevents.testing.GuestTracefs;
import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.ShippedJars;
import dev.userevents.testing.TraceInstance;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fault model on the real kernel, one kind of fault a test, each on JDK 17 and JDK 25: the application
 * prints exactly what it prints without the agent, nothing is thrown into it, and the agent loses only
 * what the fault took (counted), never a probe. See the README's Safety section for the table.
 */
@KernelTest
class FaultModelKernelTest {
    private static final Duration START = Duration.ofSeconds(150);
    private static final Duration WORK = Duration.ofSeconds(120);
    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final Path DYNAMIC_EVENTS = GuestTracefs.ROOT.resolve("dynamic_events");
    private static final Path USER_EVENTS_MAX = Path.of("/proc/sys/kernel/user_events_max");
    private static final Pattern EXIT_COUNTS = Pattern.compile(
        "at exit: (\\d+) event\\(s\\) written, (\\d+) found no tracer, (\\d+) dropped");

    /** The kernel's default {@code kernel.user_events_max}, which every guest boots with. */
    private static final long KERNEL_DEFAULT_LIMIT = 32768;

    /**
     * Leaves the machine-wide limit as the guest booted with it, whatever a test of this class left: a limit
     * read wrong once (see {@link GuestTracefs#readSysctl}) made every later class's events fail with EMFILE.
     */
    @AfterAll
    static void kernelDefaultLimitForTheClassesAfter() throws Exception {
        long limit = Long.parseLong(GuestTracefs.readSysctl(USER_EVENTS_MAX));
        if (limit < KERNEL_DEFAULT_LIMIT) {
            System.out.printf("fault model: user_events_max was %d after the class (%d user events listed);"
                + " set back to %d%n", limit, settledUserEventCount(), KERNEL_DEFAULT_LIMIT);
            Files.writeString(USER_EVENTS_MAX, Long.toString(KERNEL_DEFAULT_LIMIT));
        }
    }

    /** A StackOverflowError inside the probes drops events; it never switches the probe off. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Jdk.class)
    void afterAStackOverflowTheProbeStillWritesEveryEvent(Jdk jdk) throws Exception {
        try (TraceInstance trace = TraceInstance.create("fault_overflow", 4096);
             AppProcess app = AppProcess.start("StackOverflowApp", SafetyApps.java(jdk.java().toString(), "", SafetyApps.appClassPath(),
                 "StackOverflowApp"))) {
            app.awaitLine("ready", START);
            trace.enable("user_events", "fault_recurse");
            app.send("go");
            app.awaitLine("done", WORK);
            long after = trace.eventLines("fault_recurse").stream().filter(line -> line.contains("tag=after")).count();
            assertEquals(0, app.awaitExit(EXIT), "exit status" + app.transcript());

            assertEquals(List.of("ready", "caught StackOverflowError", "after: 100 calls, sum 0", "done"), app.stdout(),
                app.transcript());
            assertEquals(100, after, "events after the overflow" + app.transcript());
            assertNoProbeSwitchedOff(app);
            System.out.printf("fault model (%s): stack overflow: 100/100 events after it; agent: %s%n", jdk,
                app.agentComplaints());
        }
    }

    /**
     * {@code status PID} reads the counters of the agent running in another JVM through the Attach API,
     * installs nothing there, and leaves the application's output as it was.
     */
    @Test
    void statusOfARunningJvmPrintsItsProbeCounters() throws Exception {
        try (TraceInstance trace = TraceInstance.create("fault_status", 4096);
             AppProcess app = AppProcess.start("StackOverflowApp", SafetyApps.java(Jdk.JDK_17.java().toString(), "",
                 SafetyApps.appClassPath(), "StackOverflowApp"))) {
            app.awaitLine("ready", START);
            trace.enable("user_events", "fault_recurse");
            app.send("go");
            app.awaitLine("done", WORK);
            long events = trace.countLines("fault_recurse");
            Process status = new ProcessBuilder(Jdk.JDK_17.java().toString(), "-jar", ShippedJars.agent().toString(), "status",
                Long.toString(app.pid())).redirectErrorStream(true).start();
            String output = new String(status.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(status.waitFor(WORK.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), output);
            assertEquals(0, app.awaitExit(EXIT), "exit status" + app.transcript());

            assertEquals(0, status.exitValue(), output);
            Matcher probe = Pattern.compile("probe fault_recurse: (\\d+) written, 0 found no tracer, (\\d+) dropped")
                .matcher(output);
            assertTrue(output.startsWith("JVM " + app.pid() + ":\n  totals: ") && probe.find(), output);
            long written = Long.parseLong(probe.group(1));
            long dropped = Long.parseLong(probe.group(2));
            // A stack overflow inside the sink's own Java code, after the kernel took the write but before the
            // sink returned, counts an event that arrived as dropped: the drop count is an upper bound.
            assertTrue(written <= events && events <= written + dropped,
                "the events in trace (" + events + ") lie between the written counter and written + dropped: "
                    + output);
            assertTrue(written > 100, "the counter counted the events: " + output);
            assertEquals(List.of("ready", "caught StackOverflowError", "after: 100 calls, sum 0", "done"), app.stdout());
            assertTrue(app.agentLines().stream().noneMatch(line -> line.contains("already running")), app.transcript());
            System.out.printf("fault model: status PID printed:%n%s", output);
        }
    }

    /**
     * 32 threads inside one probe at once, twice as many as the agent has buffers, with little direct memory
     * left: the events without a buffer are dropped and counted at once (nothing is allocated for them, so
     * no GC or wait is forced on the application), and the application sees nothing.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Jdk.class)
    void outOfDirectMemoryDropsEventsAndNeverReachesTheApplication(Jdk jdk) throws Exception {
        List<String> command = SafetyApps.java(jdk.java().toString(), "", SafetyApps.appClassPath(), "DirectMemoryApp");
        command.add(1, "-XX:MaxDirectMemorySize=96k");
        try (TraceInstance trace = TraceInstance.create("fault_direct", 1024);
             AppProcess app = AppProcess.start("DirectMemoryApp", command)) {
            app.awaitLine("ready", START);
            trace.enable("user_events", "fault_direct");
            app.send("go");
            app.awaitLine("done", WORK);
            long events = trace.countLines("fault_direct");
            assertEquals(0, app.awaitExit(EXIT), "exit status" + app.transcript());

            int calls = 32 * 3;
            assertEquals(List.of("ready", "calls: " + calls + ", threw: 0 []", "done"), app.stdout(), app.transcript());
            long[] counts = exitCounts(app);
            assertEquals(events, counts[0], "events in trace = events written" + app.transcript());
            assertEquals(calls, counts[0] + counts[1] + counts[2], "every call written, raced or dropped" + app.transcript());
            assertTrue(counts[2] > 0, "some events had no buffer" + app.transcript());
            assertTrue(app.agentComplaints().stream().anyMatch(line -> line.startsWith("[userevents] WARN probe fault_direct")
                && line.contains("event(s): no event buffer") && line.contains("-Duserevents.buffers=N")), app.transcript());
            assertNoProbeSwitchedOff(app);
            System.out.printf("fault model (%s): 96k of direct memory, 32 threads: %d written, %d dropped, 0 thrown%n", jdk,
                counts[0], counts[2]);
        }
    }

    /** The agent's exit work must not race the application's shutdown hooks: their events arrive. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Jdk.class)
    void eventsFromTheApplicationsShutdownHooksArrive(Jdk jdk) throws Exception {
        try (TraceInstance trace = TraceInstance.create("fault_hook", 1024);
             AppProcess app = AppProcess.start("ShutdownHookApp", SafetyApps.java(jdk.java().toString(), "", SafetyApps.appClassPath(),
                 "ShutdownHookApp"))) {
            app.awaitLine("ready", START);
            trace.enable("user_events", "fault_hook");
            app.send("go");
            app.awaitLine("hook done", WORK);
            List<String> lines = trace.eventLines("fault_hook");
            app.send("end");
            assertEquals(0, app.awaitExit(EXIT), "exit status" + app.transcript());

            assertEquals(10, lines.stream().filter(line -> line.contains("where=main")).count(), lines.toString());
            assertEquals(50, lines.stream().filter(line -> line.contains("where=hook")).count(), lines.toString());
            assertEquals(List.of(), app.agentComplaints(), app.transcript());
            System.out.printf("fault model (%s): shutdown hook: %d of 60 events arrived%n", jdk, lines.size());
        }
    }

    /**
     * A method too large to take a probe stays untraced with one line; its class's other probe works, and no
     * event is registered for the method that was not woven. The class is compiled here (a 22,000-line source).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Jdk.class)
    void aMethodTooLargeToWeaveCostsOnlyItself(Jdk jdk) throws Exception {
        String classPath = bigMethodApp() + File.pathSeparator + SafetyApps.appClassPath();
        // The event limit is global: this test makes room for its own events and says what it found.
        String limitBefore = GuestTracefs.readSysctl(USER_EVENTS_MAX);
        long eventsBefore = settledUserEventCount();
        if (Long.parseLong(limitBefore) < eventsBefore + 16) {
            Files.writeString(USER_EVENTS_MAX, Long.toString(eventsBefore + 16));
        }
        String found = " (user_events_max was " + limitBefore + " with " + eventsBefore + " events listed)";
        try (TraceInstance trace = TraceInstance.create("fault_big", 1024);
             AppProcess app = AppProcess.start("BigMethodApp", SafetyApps.java(jdk.java().toString(), "", classPath, "BigMethodApp"))) {
            app.awaitLine("ready", START);
            try {
                trace.enable("user_events", "fault_small");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + found + app.transcript(), e);
            }
            boolean bigRegistered = Files.exists(GuestTracefs.ROOT.resolve("events/user_events/fault_big"));
            app.send("go");
            app.awaitLine("done", WORK);
            List<String> small = trace.eventLines("fault_small");
            assertEquals(0, app.awaitExit(EXIT), "exit status" + app.transcript());

            assertEquals(List.of("ready", "big 21836", "done"), app.stdout(), app.transcript());
            assertFalse(bigRegistered, "no event registered for the method that was not woven");
            assertEquals(10, small.size(), small.toString());
            List<String> complaints = app.agentComplaints();
            assertEquals(1, complaints.size(), app.transcript());
            assertTrue(complaints.get(0).startsWith("[userevents] ERROR method com.example.safety.BigMethodApp.big("
                + "ILjava/lang/String;)I cannot be woven (") && complaints.get(0).contains("Method too large"),
                complaints.get(0));
            System.out.printf("fault model (%s): method too large: small traced %d/10, big untraced, not registered%n",
                jdk, small.size());
        } finally {
            Files.writeString(USER_EVENTS_MAX, limitBefore);
        }
    }

    /** kernel.user_events_max leaves room for 4 of 8 probes: those 4 work; each other names the limit and the fix. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Jdk.class)
    void theKernelsEventLimitIsNamedWithItsFix(Jdk jdk) throws Exception {
        String saved = GuestTracefs.readSysctl(USER_EVENTS_MAX);
        long existing = settledUserEventCount();
        System.out.printf("fault model (%s): user_events_max %s, %d user events listed; limit set to %d%n", jdk, saved,
            existing, existing + 4);
        Files.writeString(USER_EVENTS_MAX, Long.toString(existing + 4));
        try (TraceInstance trace = TraceInstance.create("fault_limit", 1024);
             // logs=false: the five log events (JUL is loaded in every agent JVM: the agent's JNA logs through
             // it) would take the room this test leaves for its probes
             AppProcess app = AppProcess.start("KernelLimitApp", SafetyApps.java(jdk.java().toString(), "logs=false",
                 SafetyApps.appClassPath(), "KernelLimitApp"))) {
            app.awaitLine("ready", START);
            List<String> registered = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                if (Files.exists(GuestTracefs.ROOT.resolve("events/user_events/fault_limit_" + i))) {
                    registered.add("fault_limit_" + i);
                    trace.enable("user_events", "fault_limit_" + i);
                }
            }
            app.send("go");
            app.awaitLine("done", WORK);
            List<Long> counts = new ArrayList<>();
            for (String event : registered) {
                counts.add(trace.countLines(event));
            }
            assertEquals(0, app.awaitExit(EXIT), "exit status" + app.transcript());

            assertEquals(4, registered.size(), "registered: " + registered + app.transcript());
            assertEquals(List.of(3L, 3L, 3L, 3L), counts, "events of each registered probe");
            List<String> complaints = app.agentComplaints();
            assertEquals(4, complaints.size(), app.transcript());
            for (String line : complaints) {
                assertTrue(line.startsWith("[userevents] ERROR probe fault_limit_") && line.contains("left off")
                    && line.contains("EMFILE (24)") && line.contains("kernel.user_events_max")
                    && line.contains("'sysctl -w kernel.user_events_max="), line);
            }
            System.out.printf("fault model (%s): user_events_max: %s registered and traced; %s%n", jdk, registered,
                complaints.get(0));
        } finally {
            Files.writeString(USER_EVENTS_MAX, saved);
            assertEquals(saved, GuestTracefs.readSysctl(USER_EVENTS_MAX), "user_events_max restored");
        }
    }

    /**
     * The format is registered as the kernel documents it, fields separated by "; ", and tracefs prints back
     * exactly that text; a second registration of it (another JVM, another class loader) is accepted.
     */
    @Test
    void theRegisteredFormatIsTheTextTracefsShows() throws Exception {
        String name = "fault_format_" + ProcessHandle.current().pid();
        EventFormat format = EventFormat.named(name).s32("id").s64("cents").string("customer").u8("flag");
        KernelBackend backend = KernelBackend.open(AgentOptions.defaults());
        EnableWord second = new EnableWordArena().allocate(4, 0);
        try (UserEventsDataFile other = UserEventsDataFile.open(Tracefs.at(GuestTracefs.ROOT))) {
            backend.register(format);
            other.register(format, second);

            List<String> shown = Files.readAllLines(DYNAMIC_EVENTS).stream()
                .filter(line -> line.startsWith("u:" + name + " ")).collect(Collectors.toList());
            assertEquals(List.of("u:" + name + " s32 id; s64 cents; __rel_loc char[] customer; u8 flag"), shown);
            assertEquals("u:" + format.command(), shown.get(0));
            other.unregister(second);
        } finally {
            backend.close();
        }
    }

    // --- helpers --------------------------------------------------------------------------------------

    private static Path bigMethodClasses;

    /** BigMethodApp, compiled once for both JDKs (javac takes half a minute on the 22,000 lines, emulated). */
    private static synchronized Path bigMethodApp() throws Exception {
        if (bigMethodClasses == null) {
            String main = "        Driver.say(\"ready\");\n        Driver.await(\"go\");\n"
                + "        for (int i = 0; i < 10; i++) {\n            small(i);\n        }\n"
                + "        Driver.say(\"big \" + big(1, \"x\"));\n        Driver.say(\"done\");\n        Driver.awaitEnd();";
            Path dir = Files.createTempDirectory("userevents-bigmethod-");
            bigMethodClasses = BigMethodSource.compile(dir, "com.example.safety", "BigMethodApp", BigMethodSource.source(
                "com.example.safety", "BigMethodApp", "fault_big", "fault_small", false, main), SafetyApps.appClassPath());
        }
        return bigMethodClasses;
    }

    /** user_events in the kernel now, once the count has stayed the same for a second (exited processes' go). */
    private static long settledUserEventCount() throws Exception {
        long last = -1;
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            long now = Files.readAllLines(DYNAMIC_EVENTS).stream().filter(line -> line.startsWith("u:")).count();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > 1_000_000_000L) {
                return now;
            }
            Thread.sleep(100);
        }
        return last;
    }

    /** Written, found no tracer, dropped: from the agent's line at exit. */
    private static long[] exitCounts(AppProcess app) {
        for (String line : app.agentLines()) {
            Matcher counts = EXIT_COUNTS.matcher(line);
            if (counts.find()) {
                return new long[] {Long.parseLong(counts.group(1)), Long.parseLong(counts.group(2)),
                    Long.parseLong(counts.group(3))};
            }
        }
        throw new AssertionError("no 'at exit:' line" + app.transcript());
    }

    private static void assertNoProbeSwitchedOff(AppProcess app) {
        for (String line : app.agentLines()) {
            assertFalse(line.contains("switched off:") || line.startsWith("[userevents] ERROR"), line + app.transcript());
        }
    }
}
