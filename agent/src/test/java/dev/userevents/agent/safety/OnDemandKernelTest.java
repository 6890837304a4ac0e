package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.testing.GuestTracefs;
import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.TraceInstance;
import dev.userevents.testing.Wait;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On-demand probes on a real library, JDK 17 and 25: the pattern {@code org.h2.jdbc.*#execute*} makes H2's
 * JDBC {@code execute...} methods candidates. Before any tracer their events exist and nothing is woven (the
 * agent's own account); enabling {@code JdbcStatement_execute} gives events with the exact SQL text; each of
 * 50 enable/disable cycles, while 4 threads run statements, weaves the class and restores it; within each
 * window every thread's calls from its first event on arrived, and the application prints exactly what it
 * prints without the agent.
 */
@KernelTest
class OnDemandKernelTest {
    private static final String EVENT = "JdbcStatement_execute";
    private static final int CYCLES = 50;
    /** {@code SELECT i * 2 /* t<thread>-<i> *}{@code /}: the statement's own number twice, for an exact check. */
    private static final Pattern STATEMENT = Pattern.compile("=SELECT (\\d+) \\* 2 /\\* t(\\d)-(\\d+) \\*/");
    private static volatile List<String> outputWithoutAgent;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void candidatesAreWovenWhileEnabledAndRestoredAfter(Jdk jdk, @TempDir Path dir) throws Exception {
        Path probes = dir.resolve("probes.txt");
        Files.writeString(probes, "org.h2.jdbc.*#execute*\n", StandardCharsets.UTF_8);
        String classPath = SafetyApps.appClassPath("h2.jar");
        List<String> expected = outputWithoutAgent(classPath);
        List<String> command = SafetyApps.java(jdk.java().toString(),
            "probes=" + probes + ",restoreAfter=0,pollMillis=100,logs=false", classPath, "OnDemandH2App");
        try (TraceInstance trace = TraceInstance.create("ondemand_" + jdk.name().toLowerCase(Locale.ROOT), 8192);
             AppProcess app = AppProcess.start("OnDemandH2App", command)) {
            app.awaitLine("ready", Duration.ofSeconds(180));
            assertTrue(Files.exists(trace.enableFile(GuestTracefs.USER_EVENTS, EVENT)),
                "the candidate's event is registered before any tracer" + app.transcript());
            assertEquals(0, lines(app, " woven for ").size(), "nothing woven before a tracer" + app.transcript());

            app.send("go");
            app.awaitLine("running", Duration.ofSeconds(60));
            List<Long> latenciesMs = new ArrayList<>();
            long events = 0;
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                trace.clear();
                long enabledAt = System.nanoTime();
                trace.enable(GuestTracefs.USER_EVENTS, EVENT);
                Wait.until(Duration.ofSeconds(30), () -> "an event after enabling" + app.transcript(),
                    () -> trace.countLines(EVENT) > 0);
                latenciesMs.add((System.nanoTime() - enabledAt) / 1_000_000);
                Thread.sleep(200);
                trace.disable(GuestTracefs.USER_EVENTS, EVENT);
                events += checkWindow(trace.eventLines(EVENT), cycle);
                int restored = cycle;
                Wait.until(Duration.ofSeconds(30), () -> "restore " + restored + app.transcript(),
                    () -> lines(app, "JdbcStatement restored to its original bytes").size() >= restored);
            }
            app.send("stop");
            app.awaitLine("done", Duration.ofSeconds(60));
            List<String> output = new ArrayList<>(app.stdout());
            String transcript = app.transcript();
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), "exit status" + transcript);

            Collections.sort(latenciesMs);
            System.out.printf("on-demand (%s): %d cycles, %d events; enable to first event: median %d ms, max %d ms%n",
                jdk, CYCLES, events, latenciesMs.get(CYCLES / 2), latenciesMs.get(CYCLES - 1));
            assertEquals(expected, output, "the application's output, as without the agent");
            assertEquals(CYCLES, lines(app, "JdbcStatement woven for " + EVENT).size(), transcript);
            assertEquals(List.of(), app.agentComplaints(), "agent errors or warnings" + transcript);
            assertTrue(latenciesMs.get(CYCLES / 2) <= 2_000, "enable to first event, median: " + latenciesMs);
        }
    }

    /** Checks one window's events: each statement's text exact, and each thread's numbers without a gap. */
    private static long checkWindow(List<String> lines, int cycle) {
        Map<Integer, List<Long>> byThread = new HashMap<>();
        for (String line : lines) {
            Matcher matcher = STATEMENT.matcher(line);
            assertTrue(matcher.find(), "cycle " + cycle + ": not a statement of the app: " + line);
            assertEquals(matcher.group(1), matcher.group(3), "cycle " + cycle + ": the SQL text, exact: " + line);
            byThread.computeIfAbsent(Integer.parseInt(matcher.group(2)), key -> new ArrayList<>())
                .add(Long.parseLong(matcher.group(1)));
        }
        for (Map.Entry<Integer, List<Long>> thread : byThread.entrySet()) {
            List<Long> numbers = thread.getValue();
            Collections.sort(numbers);
            long first = numbers.get(0);
            long last = numbers.get(numbers.size() - 1);
            assertEquals(last - first + 1, numbers.size(), "cycle " + cycle + ", thread " + thread.getKey()
                + ": every call from its first event to its last arrived once: " + numbers);
        }
        return lines.size();
    }

    private static List<String> lines(AppProcess app, String text) {
        List<String> found = new ArrayList<>();
        for (String line : app.agentLines()) {
            if (line.contains(text)) {
                found.add(line);
            }
        }
        return found;
    }

    /** What the app prints without the agent (once: it does not depend on the JDK). */
    private static List<String> outputWithoutAgent(String classPath) throws Exception {
        List<String> known = outputWithoutAgent;
        if (known != null) {
            return known;
        }
        List<String> command = SafetyApps.java(Jdk.JDK_17.java().toString(), null, classPath, "OnDemandH2App");
        try (AppProcess app = AppProcess.start("OnDemandH2App (no agent)", command)) {
            app.awaitLine("ready", Duration.ofSeconds(180));
            app.send("go");
            app.awaitLine("running", Duration.ofSeconds(60));
            Thread.sleep(500);
            app.send("stop");
            app.awaitLine("done", Duration.ofSeconds(60));
            List<String> output = new ArrayList<>(app.stdout());
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), "exit status" + app.transcript());
            outputWithoutAgent = output;
            return output;
        }
    }
}
