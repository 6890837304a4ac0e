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
import dev.userevents.testing.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code record}, {@code status} and {@code help} against the example running under the agent. One
 * application for the class (a JVM start costs 5 to 15 s under emulation); its events carry the prefix
 * {@value #PREFIX} so nothing else in the guest shares them. Two recorders are started before it, to
 * see {@code record} wait for events that do not exist yet.
 */
@KernelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordCommandKernelTest {
    private static final String PREFIX = "rec_";
    private static final String PLACED = PREFIX + "order_placed";
    private static final String CHARGED = PREFIX + "payment_charged";
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(180);
    private static final Pattern RECORDED = Pattern.compile("recorded (\\d+) event\\(s\\)");

    private JavaProcess recorderStartedFirst;
    private JavaProcess filteredRecorderStartedFirst;
    private JavaProcess app;

    @BeforeAll
    void startTwoRecordersThenTheApplication() throws IOException, InterruptedException {
        recorderStartedFirst = JavaProcess.agentCli(Jdk.JDK_17, "record", "--count", "4", PLACED);
        filteredRecorderStartedFirst = JavaProcess.agentCli(Jdk.JDK_17, "record", "--filter", "orderId > 20", "--count", "3", PLACED);
        recorderStartedFirst.awaitStderr("waiting for them to be registered", CLI_TIMEOUT);
        filteredRecorderStartedFirst.awaitStderr("waiting for them to be registered", CLI_TIMEOUT);
        assertFalse(Files.exists(GuestTracefs.enableFile(PLACED)),
            PLACED + " must not exist before the application starts: is another process registering it?");
        app = JavaProcess.quickOrderService(Jdk.JDK_17, List.of(ShippedJars.javaagent("prefix=" + PREFIX)), 1_000_000, 100);
    }

    @AfterAll
    void stopAll() throws InterruptedException {
        for (JavaProcess run : new JavaProcess[] {recorderStartedFirst, filteredRecorderStartedFirst, app}) {
            if (run != null) {
                run.close();
            }
        }
    }

    /** After every test: no instance of record's left, and the machine-wide switches of our events still off. */
    @AfterEach
    void tracingIsAsItWas() {
        assertEquals(List.of(), recordInstances(), "record left trace instances behind");
        assertEquals(Set.of("0"), globalEnableValues(), "the global enable switches of " + PREFIX + "* events");
    }

    @Test
    void recordStartedBeforeTheApplicationWaitsForItsEventsThenPrintsThem() throws InterruptedException {
        assertEquals(0, recorderStartedFirst.awaitExit(REGISTRATION_TIMEOUT), recorderStartedFirst::toString);
        List<TracedEvent> printed = printedEvents(recorderStartedFirst);
        assertEquals(4, printed.size(), recorderStartedFirst::toString);
        int first = orderId(printed.get(0));
        assertEquals(placedFrom(first, 4), printed, "the first placed orders after " + PLACED + " was enabled");
        String stderr = recorderStartedFirst.stderr();
        assertTrue(stderr.contains("enabled user_events:" + PLACED) && stderr.contains("recorded 4 event(s)"), stderr);
    }

    @Test
    void recordFilterPrintsOnlyTheEventsItMatches() throws InterruptedException {
        assertEquals(0, filteredRecorderStartedFirst.awaitExit(REGISTRATION_TIMEOUT), filteredRecorderStartedFirst::toString);
        List<TracedEvent> printed = printedEvents(filteredRecorderStartedFirst);
        // enabled before the application's first order: orders 1-20 passed by, 21 was declined (no order_placed)
        assertEquals(placedFrom(22, 3), printed, filteredRecorderStartedFirst::toString);
    }

    @Test
    void recordCountPrintsThatManyDecodedEventsAndNeverTouchesTheGlobalSwitches() throws IOException, InterruptedException {
        awaitRegistered();
        Set<String> globalDuringRecord = new TreeSet<>();
        try (JavaProcess record = JavaProcess.agentCli(Jdk.JDK_17, "record", "--count", "6", CHARGED, PLACED)) {
            Wait.until(CLI_TIMEOUT, () -> "record to exit: " + record, () -> {
                globalDuringRecord.addAll(globalEnableValues());
                return !record.isAlive();
            });
            assertEquals(0, record.awaitExit(CLI_TIMEOUT), record::toString);
            List<TracedEvent> printed = printedEvents(record);
            assertEquals(6, printed.size(), record::toString);
            assertEquals(sequenceFrom(printed.get(0), 6), printed, "charge, then place unless declined, order by order");
            assertTrue(record.stderr().contains("recorded 6 event(s)"), record::toString);
        }
        assertEquals(Set.of("0"), globalDuringRecord, "global enable switches seen while record ran");
    }

    @Test
    void recordDurationStopsItByItself() throws IOException, InterruptedException {
        awaitRegistered();
        try (JavaProcess record = JavaProcess.agentCli(Jdk.JDK_17, "record", "--duration", "3", CHARGED)) {
            assertEquals(0, record.awaitExit(CLI_TIMEOUT), record::toString);
            List<TracedEvent> printed = printedEvents(record);
            assertFalse(printed.isEmpty(), record::toString);
            assertEquals(sequenceOf(CHARGED, orderId(printed.get(0)), printed.size()), printed, record::toString);
            Matcher recorded = RECORDED.matcher(record.stderr());
            assertTrue(recorded.find(), record::toString);
            assertEquals(printed.size(), Integer.parseInt(recorded.group(1)), record::toString);
        }
    }

    @Test
    void recordWithAFilterTheKernelRefusesFailsNamingTheFilter() throws IOException, InterruptedException {
        awaitRegistered();
        try (JavaProcess record = JavaProcess.agentCli(Jdk.JDK_17, "record", "--filter", "nosuchfield > 1", "--count", "1", PLACED)) {
            assertEquals(1, record.awaitExit(CLI_TIMEOUT), record::toString);
            assertTrue(record.stderr().contains("'nosuchfield > 1'"), record::toString);
            assertEquals(List.of(), record.stdoutLines(), record::toString);
        }
    }

    @Test
    void statusListsTheApplicationsEventsAndWhoListensToThem() throws IOException, InterruptedException {
        awaitRegistered();
        try (TraceInstance tracer = TraceInstance.create("e2e-tool-" + "status").readPipe();
             JavaProcess status = runStatusWhile(tracer)) {
            assertEquals(0, status.awaitExit(CLI_TIMEOUT), status::toString);
            List<String> lines = status.stdoutLines();
            assertTrue(lines.stream().anyMatch(line -> line.matches("\\s+" + PLACED + "\\s+listened to by ftrace")),
                status::toString);
            assertTrue(lines.stream().anyMatch(line -> line.matches("\\s+" + CHARGED + "\\s+nobody listening")),
                status::toString);
            assertTrue(lines.contains("can register:  yes (as uid 0)"), status::toString);
        }
    }

    @Test
    void helpPrintsTheCommandsAndExitsZero() throws IOException, InterruptedException {
        try (JavaProcess help = JavaProcess.agentCli(Jdk.JDK_17, "help")) {
            assertEquals(0, help.awaitExit(CLI_TIMEOUT), help::toString);
            String text = help.stdout();
            for (String command : List.of("  status ", "  record [options] [EVENT..]", "  attach PID", "  help ",
                    "--filter EXPR")) {
                assertTrue(text.contains(command), "help mentions '" + command + "': " + text);
            }
            assertEquals("", help.stderr());
        }
    }

    /** status, once {@code tracer} listens to order_placed only. */
    private JavaProcess runStatusWhile(TraceInstance tracer) throws IOException, InterruptedException {
        tracer.enableWhenRegistered(REGISTRATION_TIMEOUT, PLACED);
        return JavaProcess.agentCli(Jdk.JDK_17, "status");
    }

    private void awaitRegistered() throws InterruptedException {
        Wait.until(REGISTRATION_TIMEOUT, () -> "the application to register its events: " + app, () -> {
            if (!app.isAlive()) {
                throw new AssertionError("the application exited: " + app);
            }
            return Files.exists(GuestTracefs.enableFile(PLACED))
                && Files.exists(GuestTracefs.enableFile(CHARGED));
        });
    }

    /** The event lines record printed (it prints trace_pipe lines with integers in decimal). */
    private static List<TracedEvent> printedEvents(JavaProcess record) {
        List<TracedEvent> events = new ArrayList<>();
        for (String line : record.stdoutLines()) {
            events.add(TracedEvent.parse(line).orElseThrow(() -> new AssertionError("not an event line: '" + line + "'")));
        }
        return events;
    }

    private static int orderId(TracedEvent event) {
        Matcher id = Pattern.compile("^orderId=(\\d+) ").matcher(event.fields());
        if (!id.find()) {
            throw new AssertionError("no orderId first in " + event);
        }
        return Integer.parseInt(id.group(1));
    }

    /** {@code count} order_placed lines, from order {@code first} on (declined orders place nothing). */
    private static List<TracedEvent> placedFrom(int first, int count) {
        List<TracedEvent> events = new ArrayList<>();
        for (int id = first; events.size() < count; id++) {
            if (!OrderOracle.declined(id)) {
                events.add(new TracedEvent(PLACED, OrderOracle.placedInRecord(id)));
            }
        }
        return events;
    }

    /** {@code count} lines of one event, one per order from {@code first} on. */
    private static List<TracedEvent> sequenceOf(String event, int first, int count) {
        List<TracedEvent> events = new ArrayList<>();
        for (int id = first; events.size() < count; id++) {
            events.add(new TracedEvent(event, OrderOracle.chargedInRecord(id)));
        }
        return events;
    }

    /** payment_charged then (unless declined) order_placed for each order, starting at the event {@code start}. */
    private static List<TracedEvent> sequenceFrom(TracedEvent start, int count) {
        List<TracedEvent> events = new ArrayList<>();
        int id = orderId(start);
        boolean placedNext = start.name().equals(PLACED);
        while (events.size() < count) {
            if (placedNext) {
                events.add(new TracedEvent(PLACED, OrderOracle.placedInRecord(id)));
                id++;
                placedNext = false;
            } else {
                events.add(new TracedEvent(CHARGED, OrderOracle.chargedInRecord(id)));
                if (OrderOracle.declined(id)) {
                    id++;
                } else {
                    placedNext = true;
                }
            }
        }
        return events;
    }

    private static List<String> recordInstances() {
        try (Stream<Path> instances = Files.list(GuestTracefs.ROOT.resolve("instances"))) {
            return instances.map(path -> path.getFileName().toString())
                .filter(name -> name.startsWith("userevents-record-")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The distinct contents of the global {@code enable} files of our events (none yet: {"0"}). */
    private static Set<String> globalEnableValues() {
        Set<String> values = new TreeSet<>(Set.of("0"));
        Path system = GuestTracefs.ROOT.resolve("events").resolve("user_events");
        if (!Files.isDirectory(system)) {
            return values;
        }
        try (Stream<Path> events = Files.list(system)) {
            for (Path event : events.filter(path -> path.getFileName().toString().startsWith(PREFIX)).toList()) {
                try {
                    values.add(Files.readString(event.resolve("enable")).strip());
                } catch (IOException gone) {
                    // unregistered between list and read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }
}
