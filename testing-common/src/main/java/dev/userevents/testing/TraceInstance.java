package dev.userevents.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A tracing instance of the test's own ({@code /sys/kernel/tracing/instances/NAME}): its own ring buffer, size
 * and enable switches, so a test counts exactly its events and never touches the guest's global tracing state
 * (the agent's {@code record} command works the same way). Enabling an event here sets the registering
 * process's enable bit like any tracer, and (kernel/trace/trace_events_user.c, user_event_reg()) holds a
 * reference that keeps the event defined after the process exits, so lines written just before the exit still
 * decode. Kernel tests only (root in the guest).
 *
 * <p>Read either {@code trace} ({@link #countLines}, {@link #eventLines}, {@link #readTrace}) or, after
 * {@link #readPipe()}, {@code trace_pipe} live ({@link #await}, {@link #pipeEvents}): a pipe reader consumes
 * what it reads, so {@code trace} then shows nothing.
 */
public final class TraceInstance implements AutoCloseable {
    private static final Duration APPEAR_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final List<TracedEvent> pipeEvents = new ArrayList<>();
    /** The {@code trace_pipe} reader, once {@link #readPipe()} started it. */
    private @Nullable Thread reader;
    private volatile boolean closing;

    private TraceInstance(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates {@code instances/NAME}, removing a leftover one, with the kernel's default buffer size.
     *
     * @param name the instance's folder name
     * @return the new, empty instance, nothing enabled
     * @throws IOException if the folder cannot be removed or made (not root, or no tracefs)
     */
    public static TraceInstance create(String name) throws IOException {
        Path dir = GuestTracefs.ROOT.resolve("instances").resolve(name);
        if (Files.isDirectory(dir)) {
            GuestTracefs.write(dir.resolve("events/enable"), "0");
            Files.delete(dir);
        }
        Files.createDirectory(dir);
        return new TraceInstance(dir);
    }

    /**
     * Creates {@code instances/NAME} (removing a leftover one) with {@code bufferKbPerCpu} of ring buffer per CPU.
     *
     * @param name the instance's folder name
     * @param bufferKbPerCpu the ring buffer's size per CPU, in KiB ({@code buffer_size_kb})
     * @return the new, empty instance, nothing enabled
     * @throws IOException if the folder cannot be removed or made (not root, or no tracefs)
     * @throws UncheckedIOException if the kernel refuses the size
     */
    public static TraceInstance create(String name, int bufferKbPerCpu) throws IOException {
        TraceInstance instance = create(name);
        GuestTracefs.write(instance.dir.resolve("buffer_size_kb"), Integer.toString(bufferKbPerCpu));
        return instance;
    }

    /** {@return the instance's folder, {@code /sys/kernel/tracing/instances/NAME}} */
    public Path dir() {
        return dir;
    }

    /**
     * {@code events/SYSTEM/EVENT/enable} of this instance.
     *
     * @param system the event's system, e.g. {@link GuestTracefs#USER_EVENTS}
     * @param event the event's name
     * @return the enable file, whether it exists or not
     */
    public Path enableFile(String system, String event) {
        return dir.resolve("events").resolve(system).resolve(event).resolve("enable");
    }

    /**
     * Waits (10 s) for the event to appear (its process registered it), then switches it on here.
     *
     * @param system the event's system, e.g. {@link GuestTracefs#USER_EVENTS}
     * @param event the event's name
     * @throws UncheckedIOException if the kernel refuses the write
     */
    public void enable(String system, String event) {
        enable(APPEAR_TIMEOUT, system, event);
    }

    /**
     * Waits for each user_events event to be registered (the application's class loaded), then enables it here.
     *
     * @param timeout how long to wait for each event to appear
     * @param userEvents the names of the events, in system {@code user_events}
     * @throws UncheckedIOException if the kernel refuses a write
     */
    public void enableWhenRegistered(Duration timeout, String... userEvents) {
        for (String event : userEvents) {
            enable(timeout, GuestTracefs.USER_EVENTS, event);
        }
    }

    private void enable(Duration timeout, String system, String event) {
        Path file = enableFile(system, event);
        Wait.until(timeout, () -> "event " + system + ":" + event + " to appear in " + dir, () -> Files.exists(file));
        GuestTracefs.write(file, "1");
    }

    /**
     * {@code echo 0 > events/SYSTEM/EVENT/enable} of this instance.
     *
     * @param system the event's system
     * @param event the event's name
     * @throws UncheckedIOException if the write fails (the event is gone, say)
     */
    public void disable(String system, String event) {
        GuestTracefs.write(enableFile(system, event), "0");
    }

    /**
     * {@code echo > trace}: empties this instance's ring buffer.
     *
     * @throws UncheckedIOException if the write fails
     */
    public void clear() {
        GuestTracefs.write(dir.resolve("trace"), "");
    }

    /**
     * The lines of {@code trace} that show {@code event} (" EVENT: "), counted as the kernel prints them.
     *
     * @param event the event's name
     * @return how many lines of this instance's {@code trace} show it
     * @throws UncheckedIOException if {@code trace} cannot be read
     */
    public long countLines(String event) {
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

    /**
     * {@code trace} as the kernel printed it, raw bytes (strings arrive as the bytes the event carried).
     *
     * @return this instance's {@code trace}, header lines included
     * @throws UncheckedIOException if it cannot be read
     */
    public byte[] readTrace() {
        try {
            return Files.readAllBytes(dir.resolve("trace"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The lines of {@code trace} showing {@code event}, decoded as UTF-8, from after "EVENT: ".
     *
     * @param event the event's name
     * @return the field text of each of its lines, oldest first; empty if none
     * @throws UncheckedIOException if {@code trace} cannot be read
     */
    public List<String> eventLines(String event) {
        return GuestTracefs.eventLines(readTrace(), event, StandardCharsets.UTF_8);
    }

    /**
     * Sum over CPUs of {@code per_cpu/cpuN/stats} {@code key}: e.g. "overrun" (events the full buffer lost).
     *
     * @param key the statistic's name, as {@code stats} prints it before ": "
     * @return the sum of its values over all CPUs; 0 if no CPU shows it
     * @throws UncheckedIOException if a {@code stats} file cannot be read
     */
    public long stat(String key) {
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

    /**
     * Starts reading {@code trace_pipe} on a thread of its own; a second call changes nothing.
     *
     * @return this instance
     */
    public synchronized TraceInstance readPipe() {
        if (reader == null) {
            reader = new Thread(this::readPipeLines, "trace-pipe-" + dir.getFileName());
            reader.setDaemon(true);
            reader.start();
        }
        return this;
    }

    /**
     * The first {@code count} pipe lines of the named events, waiting (bounded) for them. Needs {@link #readPipe()}.
     *
     * @param count how many lines to wait for
     * @param timeout how long to wait; AssertionError with the lines read so far after that
     * @param names the events' names; a line of any of them counts
     * @return the first {@code count} such lines, oldest first
     */
    public List<TracedEvent> await(int count, Duration timeout, String... names) {
        Set<String> wanted = Set.of(names);
        return Wait.forValue(timeout, () -> count + " lines of " + wanted + "; read so far: " + pipeEvents(), () -> {
            List<TracedEvent> matching = new ArrayList<>();
            for (TracedEvent event : pipeEvents()) {
                if (wanted.contains(event.name())) {
                    matching.add(event);
                }
            }
            return matching.size() >= count ? Optional.of(matching.subList(0, count)) : Optional.empty();
        });
    }

    /** {@return every event line read from {@code trace_pipe} so far, oldest first: a copy} */
    public synchronized List<TracedEvent> pipeEvents() {
        return new ArrayList<>(pipeEvents);
    }

    private void readPipeLines() {
        try (BufferedReader pipe = new BufferedReader(new InputStreamReader(
                Files.newInputStream(dir.resolve("trace_pipe")), StandardCharsets.UTF_8))) {
            for (String line; !closing && (line = pipe.readLine()) != null; ) {
                TracedEvent.parse(line).ifPresent(event -> {
                    synchronized (this) {
                        pipeEvents.add(event);
                    }
                });
            }
        } catch (IOException e) {
            if (!closing) {
                throw new UncheckedIOException("reading " + dir.resolve("trace_pipe"), e);
            }
        }
    }

    /**
     * Switches off what this instance enabled and removes it. A reader blocked in trace_pipe keeps it busy, so
     * a marker wakes the reader first.
     */
    @Override
    public void close() {
        closing = true;
        Thread pipeReader;
        synchronized (this) {
            pipeReader = reader;
        }
        if (pipeReader != null) {
            GuestTracefs.write(dir.resolve("trace_marker"), "trace instance closing\n");
            try {
                pipeReader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        GuestTracefs.write(dir.resolve("events/enable"), "0");
        Wait.until(Duration.ofSeconds(5), () -> "the kernel to let " + dir + " be removed", () -> {
            try {
                Files.deleteIfExists(dir);
                return true;
            } catch (IOException busy) {
                return false;
            }
        });
    }
}
