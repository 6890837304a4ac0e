package dev.userevents.agent.e2e.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.testing.GuestTracefs;
import dev.userevents.testing.JavaProcess;
import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.ShippedJars;
import dev.userevents.testing.TraceInstance;
import dev.userevents.testing.TracedEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code attach PID [options]} into the example started without the agent, on JDK 17 and 25 (the CLI runs on
 * the target's JDK). Under emulation the CLI's JVM start, the attach handshake and the agent's start inside
 * the target take 20 to 45 s, so the targets run long enough to outlive them; each then finishes its orders
 * and prints its usual summary.
 */
@KernelTest
class AttachCommandKernelTest {
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration EVENTS_TIMEOUT = Duration.ofSeconds(60);
    private static final long PAUSE_MILLIS = 100;
    private static final String DYNAMIC_AGENT_WARNING = "WARNING: A Java agent has been loaded dynamically";
    private static final String ALREADY_RUNNING = "the agent is already running in this JVM; this attach changes nothing";

    @Test
    void attachingTwiceToAJdk17ApplicationMakesItsTracepointsEmitAndLetsItFinish() throws Exception {
        String stderr = attachAndTrace(Jdk.JDK_17, List.of(), "att17_", 2, 600, FieldNames.IGNORED);
        assertFalse(stderr.contains("WARNING"), "JDK 17 does not warn about dynamically loaded agents: " + stderr);
    }

    /**
     * JDK 17 only: a class woven by retransformation (attach) must still get fields named after the parameters.
     * The class file HotSpot reconstitutes for retransformation has no MethodParameters attribute before JDK 22
     * (jvmtiClassFileReconstituter.cpp, write_method_info()); the agent reads the names from the compiled class
     * file instead (TracepointClassTransformer.asCompiled()).
     */
    @Test
    void attachingToAJdk17ApplicationNamesFieldsAfterTheParameters() throws Exception {
        attachAndTrace(Jdk.JDK_17, List.of(), "att17n_", 1, 600, FieldNames.EXACT);
    }

    @Test
    void attachingTwiceToAJdk25ApplicationWorksAndTheJvmWarnsAboutTheDynamicallyLoadedAgent() throws Exception {
        String stderr = attachAndTrace(Jdk.JDK_25, List.of(), "att25_", 2, 800, FieldNames.EXACT);
        assertTrue(stderr.contains(DYNAMIC_AGENT_WARNING + " (" + ShippedJars.agent() + ")"), stderr);
    }

    @Test
    void aJdk25ApplicationStartedWithEnableDynamicAgentLoadingTakesTheAgentWithoutAWarning() throws Exception {
        String stderr = attachAndTrace(Jdk.JDK_25, List.of("-XX:+EnableDynamicAgentLoading"), "att25q_", 1, 700,
            FieldNames.EXACT);
        assertFalse(stderr.contains("WARNING"), stderr);
    }

    /**
     * The Attach API's own report of a target that is gone was "talking to JVM N failed: No such process" (JDK 17
     * signals it with SIGQUIT and gets ESRCH), what the first attach attempts in the guest showed: targets
     * that had finished before the CLI's JVM, slow to start under emulation, got to them.
     */
    @Test
    void attachingToAProcessThatIsGoneSaysSo() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertEquals(0, gone.waitFor());
        try (JavaProcess cli = JavaProcess.agentCli(Jdk.JDK_17, "attach", Long.toString(gone.pid()))) {
            assertEquals(1, cli.awaitExit(CLI_TIMEOUT), cli::toString);
            assertEquals(List.of("attach: no process " + gone.pid() + " (has it exited already?)"), cli.stderrLines());
        }
    }

    /** Whether field names are compared, or only the values (see the JDK 17 bug above). */
    private enum FieldNames { EXACT, IGNORED }

    /**
     * Starts the example without the agent, attaches {@code attaches} times, checks that order_placed is
     * emitted with exact values after each attach, lets the application finish and returns its standard error.
     */
    private static String attachAndTrace(Jdk jdk, List<String> appOptions, String prefix, int attaches, int orders,
                                         FieldNames names) throws IOException, InterruptedException {
        long start = System.nanoTime();
        String placed = prefix + "order_placed";
        try (JavaProcess app = JavaProcess.quickOrderService(jdk, appOptions, orders, PAUSE_MILLIS);
             TraceInstance tracer = TraceInstance.create("e2e-tool-" + prefix + "attach").readPipe()) {
            for (int attach = 1; attach <= attaches; attach++) {
                assertTrue(app.isAlive(), () -> "the application must outlive the attach: " + app);
                assertFalse(attach == 1 && Files.exists(GuestTracefs.enableFile(placed)),
                    "no event before the agent is attached");
                try (JavaProcess cli = JavaProcess.agentCli(jdk, "attach", Long.toString(app.pid()), "prefix=" + prefix)) {
                    assertEquals(0, cli.awaitExit(CLI_TIMEOUT), () -> cli + "\n target: " + app);
                    assertTrue(cli.stdout().contains("agent loaded into JVM " + app.pid() + " from " + ShippedJars.agent()
                        + " with prefix=" + prefix), cli::toString);
                }
                if (attach == 1) {
                    assertTrue(app.stderr().contains("[userevents] INFO attached in "), app::toString);
                    tracer.enableWhenRegistered(EVENTS_TIMEOUT, placed);
                } else {
                    app.awaitStderr(ALREADY_RUNNING, EVENTS_TIMEOUT);
                }
                List<TracedEvent> events = tracer.await(3 * attach, EVENTS_TIMEOUT, placed);
                List<TracedEvent> expected = placedFrom(placed, orderId(events.get(0)), events.size());
                assertEquals(names == FieldNames.EXACT ? expected : valuesOf(expected),
                    names == FieldNames.EXACT ? events : valuesOf(events),
                    "consecutive placed orders, exact fields, after attach " + attach);
                System.out.printf("%s: attach %d of %s done, events checked, %d s after the start%n", prefix, attach,
                    jdk, (System.nanoTime() - start) / 1_000_000_000);
            }
            Duration rest = Duration.ofMillis(orders * PAUSE_MILLIS).plus(CLI_TIMEOUT);
            assertEquals(0, app.awaitExit(rest), app::toString);
            assertEquals(OrderOracle.summary(orders), app.stdout().strip(), app::toString);
            List<String> complaints = new ArrayList<>();
            for (String line : app.stderrLines()) {
                boolean expected = line.startsWith("[userevents] INFO ") || line.contains(ALREADY_RUNNING)
                    || line.startsWith("WARNING: ");
                if (!expected) {
                    complaints.add(line);
                }
            }
            assertEquals(List.of(), complaints, app::toString);
            return app.stderr();
        }
    }

    /** The first field is the order id, whatever its name. */
    private static int orderId(TracedEvent event) {
        Matcher id = Pattern.compile("^\\w+=0x[0-9a-f]+ \\((\\d+)\\)").matcher(event.fields());
        if (!id.find()) {
            throw new AssertionError("no orderId first in " + event);
        }
        return Integer.parseInt(id.group(1));
    }

    /** The events with field names taken out: {@code "=0x1 (1) =bob ..."}. */
    private static List<TracedEvent> valuesOf(List<TracedEvent> events) {
        List<TracedEvent> values = new ArrayList<>();
        for (TracedEvent event : events) {
            values.add(new TracedEvent(event.name(), event.fields().replaceAll("(^| )\\w+=", "$1=")));
        }
        return values;
    }

    private static List<TracedEvent> placedFrom(String event, int first, int count) {
        List<TracedEvent> events = new ArrayList<>();
        for (int id = first; events.size() < count; id++) {
            if (!OrderOracle.declined(id)) {
                events.add(new TracedEvent(event, OrderOracle.placedInTrace(id)));
            }
        }
        return events;
    }
}
