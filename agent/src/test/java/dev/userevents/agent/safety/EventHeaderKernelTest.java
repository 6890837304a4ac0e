package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.testing.EventHeaderDecoder;
import dev.userevents.agent.testing.EveryJavaTypeValues;
import dev.userevents.agent.testing.PerfData;
import dev.userevents.testing.GuestTracefs;
import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code format=eventheader} on the real kernel, JDK 17 and 25: the app's probes share the tracepoints
 * {@code ehtest_L5K1}, {@code ehtest_L4K1} and {@code ehtest_L5K2a} (and nothing else appears in tracefs);
 * {@code perf record -e user_events:ehtest_L5K1} gets exactly the level-5 keyword-1 events, and the test's own
 * decoder reads every one from perf.data with its exact values: every Java type, nulls, a cut string, exit
 * events (return, duration, thrown), the thread context and a stack; and a bridged java.util.logging record as
 * a Common Schema log event, as opentelemetry-rust-contrib's user_events log exporter writes them.
 */
@KernelTest
class EventHeaderKernelTest {
    private static final String APP = "com.example.safety.EventHeaderApp";
    private static final String FORMAT = "u8 eventheader_flags; u8 version; u16 id; u16 tag; u8 opcode; u8 level";

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void perfRecordsSelfDescribingEventsOfOneTracepoint(Jdk jdk) throws Exception {
        List<String> command = SafetyApps.java(jdk.java().toString(), "format=eventheader,provider=ehtest,context=thread",
            SafetyApps.appClassPath(), "EventHeaderApp");
        Path folder = Files.createTempDirectory("perf-eventheader-");
        Path data = folder.resolve("perf.data");
        try (AppProcess app = AppProcess.start("EventHeaderApp", command)) {
            long tid = Long.parseLong(app.awaitValue("tid ", Duration.ofSeconds(150)));
            app.awaitLine("ready", Duration.ofSeconds(150));
            for (String tracepoint : List.of("ehtest_L5K1", "ehtest_L4K1", "ehtest_L5K2a")) {
                assertTrue(GuestTracefs.eventExists(tracepoint), tracepoint + " in tracefs");
                String format = Files.readString(GuestTracefs.eventDir(tracepoint).resolve("format"));
                assertTrue(format.contains("field:u8 eventheader_flags;") && format.contains("field:u16 tag;"), format);
            }
            assertEquals(List.of(), GuestTracefs.eventDirs(GuestTracefs.USER_EVENTS, "eh_.*"), "no tracepoint per event");
            Path control = folder.resolve("control");
            Path acks = folder.resolve("acks");
            assertEquals(0, new ProcessBuilder("mkfifo", control.toString(), acks.toString()).inheritIO().start()
                .waitFor());
            Process perf = startPerf(folder, data, control, acks, "ehtest_L5K1");
            try {
                enablePerf(perf, folder, control, acks);
                assertTrue(status("ehtest_L5K1").contains("perf"), status("ehtest_L5K1"));
                app.send("go");
                app.awaitLine("done", Duration.ofSeconds(120));
            } finally {
                stopPerf(perf, folder);
            }
            app.send("end");
            String transcript = app.transcript();
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), "exit status" + transcript);
            assertEquals(List.of(), app.agentComplaints(), "agent errors or warnings" + transcript);

            List<EventHeaderDecoder.Event> events = new ArrayList<>();
            List<PerfData.Sample> samples = PerfData.samples(data);
            String perfSaw = samples.size() + " samples, pids " + samples.stream().map(PerfData.Sample::pid).distinct()
                .toList() + ", app pid " + app.pid() + "; perf record said: "
                + Files.readString(folder.resolve("record.err")).strip();
            System.out.println("perf (" + jdk + "): " + perfSaw);
            for (PerfData.Sample sample : samples) {
                if (sample.pid() == app.pid()) {
                    assertEquals(sample.tid(), sample.commonPid(), "common_pid is the writing thread");
                    events.add(EventHeaderDecoder.decodePadded(sample.raw(), PerfData.COMMON_FIELDS));
                }
            }
            System.out.printf("eventheader (%s): %s%n", jdk, events);
            assertEquals(List.of("eh_types", "eh_types", "eh_greet", "eh_greet_exit", "eh_fail", "eh_fail_exit",
                "eh_half", "eh_half_exit", "Log"), events.stream().map(EventHeaderDecoder.Event::name).toList(),
                "exactly the level 5, keyword 1 events, in order; " + perfSaw);
            Map<String, Object> log = events.remove(events.size() - 1).values();
            assertEquals(0x400L, log.get("__csver__"));
            assertEquals("Log", log.get("PartB._typeName"));
            assertEquals("log-é-1", log.get("PartB.body"));
            assertEquals(5L, log.get("PartB.severityNumber"));
            assertEquals("DEBUG", log.get("PartB.severityText"));
            assertEquals("eh.app", log.get("PartC.logger.name"));
            assertEquals("main", log.get("PartC.thread.name"));
            assertEquals("java.lang.IllegalStateException", log.get("PartC.exception.type"));
            assertEquals("no stock", log.get("PartC.exception.message"));
            assertEquals(tid, log.get("PartC.thread.id"));
            assertTrue(java.time.Instant.parse((String) log.get("PartA.time")).isAfter(java.time.Instant.now()
                .minusSeconds(600)), "the record's time: " + log.get("PartA.time"));
            for (EventHeaderDecoder.Event event : events) {
                assertEquals(5, event.level(), event.toString());
                assertEquals(0x07, event.flags(), "pointer64, little-endian, extension");
                assertEquals(tid, event.value("java_tid"), event.toString());
                assertEquals(false, event.value("virtual"), event.toString());
            }
            Map<String, Object> types = events.get(0).values();
            assertEquals(List.of("flag", "small", "medium", "letter", "number", "big", "ratio", "precise", "text",
                "thing", "color", "java_tid", "virtual"), new ArrayList<>(types.keySet()));
            EveryJavaTypeValues.assertDecoded(types);
            Map<String, Object> nulls = events.get(1).values();
            assertEquals(false, nulls.get("flag"));
            assertEquals('a', nulls.get("letter"));
            assertTrue(Float.isNaN((Float) nulls.get("ratio")));
            assertEquals(Double.NEGATIVE_INFINITY, nulls.get("precise"));
            assertEquals("", nulls.get("text"));
            assertEquals("", nulls.get("thing"));
            assertEquals("", nulls.get("color"));
            assertEquals("x".repeat(1021) + "...", events.get(2).value("who"), "cut to stringBytes (1024) with a mark");
            assertEquals("hi " + "x".repeat(1018) + "...", events.get(3).value("ret"));
            assertEquals("", events.get(3).value("thrown"));
            assertTrue((Long) events.get(3).value("duration_ns") > 0);
            assertEquals(7L, events.get(4).value("code"));
            assertEquals(List.of("ret", "duration_ns", "thrown", "java_tid", "virtual"),
                new ArrayList<>(events.get(5).values().keySet()));
            assertEquals(0L, events.get(5).value("ret"));
            assertEquals("java.lang.IllegalStateException", events.get(5).value("thrown"));
            assertEquals(5.0, events.get(6).value("value"));
            assertEquals(2.5, events.get(7).value("ret"));
            for (EventHeaderDecoder.Event half : events.subList(6, 8)) {
                String stack = (String) half.value("stack");
                assertTrue(stack.startsWith(APP + ".half:") && stack.contains(";" + APP + ".main:"), stack);
            }
        } finally {
            deleteTree(folder);
        }
    }

    /** The line of {@code user_events_status} for a tracepoint: {@code NAME # Used by perf} while perf has it. */
    private static String status(String tracepoint) {
        try {
            for (String line : Files.readAllLines(GuestTracefs.ROOT.resolve("user_events_status"), StandardCharsets.UTF_8)) {
                if (line.startsWith(tracepoint + " ") || line.equals(tracepoint)) {
                    return line;
                }
            }
            return "(not listed)";
        } catch (IOException e) {
            return "(user_events_status unreadable: " + e + ")";
        }
    }

    /**
     * {@code perf record -a -D -1 --control fifo:CONTROL,ACKS -e user_events:NAME}: perf starts with its events
     * disabled and enables them when told. Without this, events written while perf still synthesizes the
     * system's processes (seconds under emulation, after it opened the event) are lost.
     */
    private static Process startPerf(Path folder, Path data, Path control, Path acks, String tracepoint)
            throws IOException {
        String perf = System.getenv("PERF") == null || System.getenv("PERF").isEmpty() ? "perf" : System.getenv("PERF");
        return new ProcessBuilder(perf, "record", "-a", "-D", "-1", "--control",
            "fifo:" + control + "," + acks, "-e", "user_events:" + tracepoint, "-o", data.toString(), "--",
            "sleep", "600")
            .redirectOutput(folder.resolve("record.out").toFile())
            .redirectError(folder.resolve("record.err").toFile())
            .start();
    }

    /** Sends perf "enable" and waits for its "ack": from then on perf records every event written. */
    private static void enablePerf(Process perf, Path folder, Path control, Path acks) throws Exception {
        java.util.concurrent.ExecutorService handshake = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            String answer = handshake.submit(() -> {
                try (java.io.OutputStream out = Files.newOutputStream(control);
                     java.io.BufferedReader in = Files.newBufferedReader(acks)) {
                    out.write("enable\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return in.readLine();
                }
            }).get(120, TimeUnit.SECONDS);
            assertEquals("ack", answer, "perf's answer to enable");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("perf record did not answer 'enable' within 120 s (alive: " + perf.isAlive()
                + "): " + Files.readString(folder.resolve("record.err")), e);
        } finally {
            handshake.shutdownNow();
        }
    }

    /** SIGINT, as a user's Ctrl-C: perf writes its file and exits. */
    private static void stopPerf(Process perf, Path folder) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(perf.pid())).inheritIO().start().waitFor();
        if (!perf.waitFor(120, TimeUnit.SECONDS)) {
            perf.destroyForcibly();
            throw new AssertionError("perf record did not stop on SIGINT: "
                + Files.readString(folder.resolve("record.err")));
        }
        assertFalse(Files.readString(folder.resolve("record.err")).contains("Error"),
            Files.readString(folder.resolve("record.err")));
    }

    private static void deleteTree(Path folder) throws IOException {
        try (var files = Files.walk(folder)) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
