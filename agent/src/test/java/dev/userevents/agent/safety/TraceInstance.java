package dev.userevents.agent.safety;

import dev.userevents.testing.Wait;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A tracing instance of its own ({@code /sys/kernel/tracing/instances/NAME}): its own ring buffer, size and
 * enable switches, so a test counts exactly its events and never touches the guest's global tracing state
 * (the agent's {@code record} command works the same way). Enabling an event here sets the registering
 * process's enable bit like any tracer. Kernel tests only (root in the guest).
 */
final class TraceInstance implements AutoCloseable {
    static final Path TRACEFS = Paths.get("/sys/kernel/tracing");

    private final Path dir;

    private TraceInstance(Path dir) {
        this.dir = dir;
    }

    /** Creates {@code instances/NAME} (removing a leftover one) with {@code bufferKbPerCpu} of ring buffer per CPU. */
    static TraceInstance create(String name, int bufferKbPerCpu) throws IOException {
        Path dir = TRACEFS.resolve("instances").resolve(name);
        if (Files.isDirectory(dir)) {
            write(dir.resolve("events/enable"), "0");
            Files.delete(dir);
        }
        Files.createDirectory(dir);
        TraceInstance instance = new TraceInstance(dir);
        write(dir.resolve("buffer_size_kb"), Integer.toString(bufferKbPerCpu));
        return instance;
    }

    Path dir() {
        return dir;
    }

    /** {@code events/SYSTEM/EVENT/enable} of this instance. */
    Path enableFile(String system, String event) {
        return dir.resolve("events").resolve(system).resolve(event).resolve("enable");
    }

    /** Waits (bounded) for the event to appear (its process registered it), then switches it on. */
    void enable(String system, String event) throws InterruptedException {
        Path file = enableFile(system, event);
        Wait.until(Duration.ofSeconds(10), () -> "event " + system + ":" + event + " to appear in " + dir,
            () -> Files.exists(file));
        write(file, "1");
    }

    void disable(String system, String event) {
        write(enableFile(system, event), "0");
    }

    /** {@code echo > trace}: empties this instance's ring buffer. */
    void clear() {
        write(dir.resolve("trace"), "");
    }

    /** The lines of {@code trace} that show {@code event} (" EVENT: "), counted as the kernel prints them. */
    long countLines(String event) {
        String marker = " " + event + ": ";
        long count = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(dir.resolve("trace")),
                StandardCharsets.ISO_8859_1), 1 << 16)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.startsWith("#") && line.contains(marker)) {
                    count++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }

    /** {@code trace} as the kernel printed it, raw bytes (strings arrive as the bytes the event carried). */
    byte[] readTrace() {
        try {
            return Files.readAllBytes(dir.resolve("trace"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of {@code trace} showing {@code event}, decoded as UTF-8, from after "EVENT: ". */
    List<String> eventLines(String event) {
        String marker = " " + event + ": ";
        List<String> lines = new ArrayList<>();
        for (String line : new String(readTrace(), StandardCharsets.UTF_8).split("\n")) {
            int at = line.indexOf(marker);
            if (!line.startsWith("#") && at >= 0) {
                lines.add(line.substring(at + marker.length()));
            }
        }
        return lines;
    }

    /** Sum over CPUs of {@code per_cpu/cpuN/stats} {@code key}: e.g. "overrun" (events the full buffer lost). */
    long stat(String key) {
        long sum = 0;
        try (Stream<Path> cpus = Files.list(dir.resolve("per_cpu"))) {
            for (Path cpu : (Iterable<Path>) cpus::iterator) {
                for (String line : Files.readAllLines(cpu.resolve("stats"))) {
                    if (line.startsWith(key + ": ")) {
                        sum += Long.parseLong(line.substring(key.length() + 2).trim());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sum;
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write '" + text + "' to " + file, e);
        }
    }

    /** Switches off what this instance enabled and removes it. */
    @Override
    public void close() {
        try {
            write(dir.resolve("events/enable"), "0");
            Files.deleteIfExists(dir);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not remove trace instance " + dir + ": " + e);
        }
    }
}
