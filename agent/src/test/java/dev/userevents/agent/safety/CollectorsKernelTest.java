package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.shim.Tracefs;
import dev.userevents.shim.UserEventsDataFile;
import dev.userevents.testing.GuestTracefs;
import dev.userevents.testing.JavaProcess;
import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.TraceInstance;
import dev.userevents.testing.Wait;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The agent's events as collectors read them, JDK 17 and 25, with {@code CollectorApp}'s field of every kind:
 * <ul>
 *   <li>{@code trace-cmd record -e user_events:collect_all} while the app runs; {@code trace-cmd report} shows
 *       every field's exact value ({@link CollectorEvents#TRACE_CMD}).</li>
 *   <li>{@code persist=true}: a first run registers {@code persist_collect_all} and exits; the event stays, so a
 *       tracer enables it while no JVM runs; a second run writes; after it exits {@code trace} still decodes
 *       its entries ({@link CollectorEvents#TRACE}). The command {@code list} prints removes it.</li>
 * </ul>
 */
@KernelTest
class CollectorsKernelTest {
    private static final String EVENT = "collect_all";
    private static final String PERSISTENT = "persist_" + EVENT;
    private static final Duration START = Duration.ofSeconds(150);

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void traceCmdReportShowsEveryFieldExactly(Jdk jdk) throws Exception {
        Path data = Files.createTempDirectory("trace-cmd-").resolve("trace.dat");
        List<String> command = SafetyApps.java(jdk.java().toString(), "context=", SafetyApps.appClassPath(),
            "CollectorApp");
        try (AppProcess app = AppProcess.start("CollectorApp", command)) {
            app.awaitLine("ready", START);
            JavaProcess record = JavaProcess.start(List.of("trace-cmd", "record", "-e", "user_events:" + EVENT,
                "-o", data.toString()));
            try {
                Path enable = GuestTracefs.eventDir(GuestTracefs.USER_EVENTS, EVENT).resolve("enable");
                Wait.until(Duration.ofSeconds(60), () -> "trace-cmd enabling " + enable + ": " + record,
                    () -> Files.readString(enable).trim().equals("1"));
                app.send("go");
                app.awaitLine("done", Duration.ofSeconds(60));
                new ProcessBuilder("kill", "-INT", Long.toString(record.pid())).inheritIO().start().waitFor();
                assertEquals(0, record.awaitExit(Duration.ofSeconds(60)), "trace-cmd record: " + record);
            } finally {
                record.close();
                // trace-cmd record resets the top instance's state when it ends: tests after this one read it
                Files.writeString(GuestTracefs.ROOT.resolve("tracing_on"), "1");
            }
            String transcript = app.transcript();
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), "exit status" + transcript);

            JavaProcess report = JavaProcess.start(List.of("trace-cmd", "report", "-i", data.toString()));
            assertEquals(0, report.awaitExit(Duration.ofSeconds(60)), "trace-cmd report: " + report);
            List<String> lines = new ArrayList<>();
            for (String line : report.stdoutLines()) {
                int at = line.indexOf(" " + EVENT + ":");
                if (at >= 0) {
                    lines.add(line.substring(at + EVENT.length() + 2).trim());
                }
            }
            System.out.printf("trace-cmd report (%s):%n  %s%n", jdk, String.join("\n  ", lines));
            assertEquals(CollectorEvents.TRACE_CMD, lines, "trace-cmd report:\n" + report.stdout());
            assertEquals(List.of(), app.agentComplaints(), "agent errors or warnings" + transcript);
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void persistentEventIsEnabledBeforeItsJvmAndDecodedAfter(Jdk jdk) throws Exception {
        String options = "context=,prefix=persist_,persist=true";
        List<String> command = SafetyApps.java(jdk.java().toString(), options, SafetyApps.appClassPath(),
            "CollectorApp");
        try {
            try (AppProcess first = AppProcess.start("CollectorApp-register", command)) {
                first.awaitLine("ready", START);
                assertEquals(0, first.awaitExit(Duration.ofSeconds(60)), "first run" + first.transcript());
                assertEquals(List.of(), first.agentComplaints(), "agent errors or warnings" + first.transcript());
            }
            assertTrue(GuestTracefs.eventExists(GuestTracefs.USER_EVENTS, PERSISTENT),
                "the event outlives the JVM that registered it");

            List<String> lines;
            String trace;
            try (TraceInstance instance = TraceInstance.create("persist_" + jdk.name().toLowerCase(Locale.ROOT))) {
                instance.enable(GuestTracefs.USER_EVENTS, PERSISTENT); // no JVM runs: enabled before it starts
                instance.clear();
                try (AppProcess second = AppProcess.start("CollectorApp-write", command)) {
                    second.awaitLine("ready", START);
                    second.send("go");
                    second.awaitLine("done", Duration.ofSeconds(60));
                    String transcript = second.transcript();
                    assertEquals(0, second.awaitExit(Duration.ofSeconds(60)), "second run" + transcript);
                    assertEquals(List.of(), second.agentComplaints(), "agent errors or warnings" + transcript);
                }
                // read after the JVM exited: the format is still there to decode the entries
                assertTrue(GuestTracefs.eventExists(GuestTracefs.USER_EVENTS, PERSISTENT), "still registered");
                trace = new String(instance.readTrace(), StandardCharsets.UTF_8);
                lines = instance.eventLines(PERSISTENT);
            }
            System.out.printf("persistent (%s):%n  %s%n", jdk, String.join("\n  ", lines));
            assertFalse(trace.contains("Unknown type"), trace);
            assertEquals(CollectorEvents.TRACE, lines, trace);

            JavaProcess list = JavaProcess.agentCli(jdk, "list");
            assertEquals(0, list.awaitExit(Duration.ofSeconds(120)), "list: " + list);
            String remove = removalCommand(list.stdoutLines(), GuestTracefs.USER_EVENTS + ":" + PERSISTENT);
            Files.writeString(GuestTracefs.ROOT.resolve("dynamic_events"), remove + "\n", StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
            assertFalse(GuestTracefs.eventExists(GuestTracefs.USER_EVENTS, PERSISTENT),
                "'" + remove + "' >> dynamic_events removed it");
        } finally {
            if (GuestTracefs.eventExists(GuestTracefs.USER_EVENTS, PERSISTENT)) {
                try (UserEventsDataFile file = UserEventsDataFile.open(Tracefs.locate())) {
                    file.delete(PERSISTENT); // DIAG_IOCSDEL: leave no persistent event to later tests
                }
            }
        }
    }

    /** From {@code list}'s block for {@code tracepoint}: the text between the quotes of its removal line. */
    static String removalCommand(List<String> listed, String tracepoint) {
        boolean inBlock = false;
        for (String line : listed) {
            if (!line.startsWith(" ")) {
                inBlock = line.startsWith(tracepoint + " ");
            } else if (inBlock && line.trim().startsWith("remove if persistent:")) {
                return line.substring(line.indexOf('\'') + 1, line.lastIndexOf('\''));
            }
        }
        throw new AssertionError("list shows no removal command for " + tracepoint + ":\n" + String.join("\n", listed));
    }
}
