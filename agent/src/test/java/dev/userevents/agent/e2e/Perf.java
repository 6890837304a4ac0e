package dev.userevents.agent.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code perf record} and {@code perf script} in the guest. The binary is {@code $PERF} (guest-init.sh sets
 * it to a real perf for the guest's kernel), else {@code perf} on the PATH.
 */
public final class Perf {
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);

    private Perf() {
    }

    /**
     * {@code perf record -a -e user_events:NAME... -- sleep SECONDS}, then
     * {@code perf script -F pid,event,trace}: the example's events perf decoded, oldest first. System-wide,
     * because the events already exist (the application registered them) and a process-bound session is
     * not what an administrator would type.
     */
    static List<EventLine> record(Duration duration, OrderEvent... events) throws IOException, InterruptedException {
        Path folder = Files.createTempDirectory("perf-");
        Path data = folder.resolve("perf.data");
        List<String> record = new ArrayList<>(List.of(binary(), "record", "-a", "-o", data.toString()));
        for (OrderEvent event : events) {
            record.add("-e");
            record.add("user_events:" + event.eventName());
        }
        record.addAll(List.of("--", "sleep", Long.toString(duration.toSeconds())));
        run(record, folder.resolve("record.out"));
        String script = run(List.of(binary(), "script", "-i", data.toString(), "-F", "pid,event,trace"),
            folder.resolve("script.out"));
        return EventLine.fromPerfScript(script);
    }

    /**
     * {@code perf record -g -e user_events:EVENT -p PID -- sleep SECONDS}, then {@code perf script}: the samples
     * perf printed, each its header line and its call chain (innermost frame first), oldest first. Java frames
     * are named only if the process keeps {@code /tmp/perf-PID.map} (agent option {@code perfMap}) and runs with
     * {@code -XX:+PreserveFramePointer}.
     *
     * @param pid the process to record
     * @param event the user_events event name
     * @param duration how long to record
     * @return one text block a sample
     * @throws IOException if the folder for perf's files cannot be made
     * @throws InterruptedException if the test thread is interrupted
     */
    public static List<String> recordCallChains(long pid, String event, Duration duration)
            throws IOException, InterruptedException {
        Path folder = Files.createTempDirectory("perf-");
        Path data = folder.resolve("perf.data");
        // -v: perf 6.1 once exited 255 here without a word; the verbose lines say where, should it happen again
        run(List.of(binary(), "record", "-v", "-g", "-e", "user_events:" + event, "-p", Long.toString(pid), "-o",
            data.toString(), "--", "sleep", Long.toString(duration.toSeconds())), folder.resolve("record.out"));
        String script = run(List.of(binary(), "script", "-i", data.toString()), folder.resolve("script.out"));
        List<String> samples = new ArrayList<>();
        for (String block : script.split("\n\s*\n")) {
            if (!block.isBlank()) {
                samples.add(block.strip());
            }
        }
        return samples;
    }

    private static String binary() {
        String perf = System.getenv("PERF");
        return perf == null || perf.isEmpty() ? "perf" : perf;
    }

    /** Runs a perf command; its standard output, or AssertionError with all it printed if it failed. */
    private static String run(List<String> command, Path output) throws IOException, InterruptedException {
        Path errors = output.resolveSibling(output.getFileName() + ".err");
        Process process = new ProcessBuilder(command)
            .redirectOutput(output.toFile())
            .redirectError(errors.toFile())
            .start();
        boolean finished = process.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        String out = new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
        if (!finished || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + (finished ? " exited with " + process.exitValue()
                : " did not finish within " + TOOL_TIMEOUT.toSeconds() + " s")
                + "\n  stderr: " + tail(new String(Files.readAllBytes(errors), StandardCharsets.UTF_8)) + "\n  stdout: " + tail(out));
        }
        return out;
    }

    private static String tail(String text) {
        String trimmed = text.strip();
        return trimmed.length() <= 4000 ? trimmed : "..." + trimmed.substring(trimmed.length() - 4000);
    }
}
