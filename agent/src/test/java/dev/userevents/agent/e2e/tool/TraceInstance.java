package dev.userevents.agent.e2e.tool;

import dev.userevents.testing.Wait;
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
import java.util.Set;

/**
 * A trace instance of the test's own ({@code instances/e2e-tool-NAME-PID}), read live through its
 * {@code trace_pipe}: its own buffer and enable switches, so the guest's global tracing state is never
 * touched. Enabling an event here sets the application's enable bit like any tracer, and (kernel/trace/
 * trace_events_user.c, user_event_reg()) holds a reference that keeps the event defined after the
 * application exits, so lines written just before the exit still decode. Kernel tests only (root in the guest).
 */
final class TraceInstance implements AutoCloseable {
    static final Path TRACEFS = Path.of("/sys/kernel/tracing");

    private final Path dir;
    private final List<TracedEvent> events = new ArrayList<>();
    private final Thread reader;
    private volatile boolean closing;

    private TraceInstance(Path dir) {
        this.dir = dir;
        this.reader = new Thread(this::readPipe, "trace-pipe-" + dir.getFileName());
        reader.setDaemon(true);
        reader.start();
    }

    static TraceInstance create(String name) throws IOException {
        Path dir = TRACEFS.resolve("instances").resolve("e2e-tool-" + name + "-" + ProcessHandle.current().pid());
        Files.createDirectory(dir);
        return new TraceInstance(dir);
    }

    /** {@code events/user_events/NAME/enable} of the global instance (the machine's state, which we must not touch). */
    static Path globalEnableFile(String event) {
        return TRACEFS.resolve("events").resolve("user_events").resolve(event).resolve("enable");
    }

    /** Waits for each event to be registered (the application's class loaded), then enables it here. */
    void enableWhenRegistered(Duration timeout, String... names) throws InterruptedException {
        for (String name : names) {
            Path enable = dir.resolve("events").resolve("user_events").resolve(name).resolve("enable");
            Wait.until(timeout, () -> "user_events:" + name + " to be registered", () -> Files.exists(enable));
            write(enable, "1");
        }
    }

    void disable(String name) {
        write(dir.resolve("events").resolve("user_events").resolve(name).resolve("enable"), "0");
    }

    /** The first {@code count} lines of the named events read so far, waiting (bounded) for them. */
    List<TracedEvent> await(int count, Duration timeout, String... names) throws InterruptedException {
        Set<String> wanted = Set.of(names);
        return Wait.forValue(timeout, () -> count + " lines of " + wanted + "; read so far: " + lines(), () -> {
            List<TracedEvent> matching = new ArrayList<>();
            for (TracedEvent event : lines()) {
                if (wanted.contains(event.name())) {
                    matching.add(event);
                }
            }
            return matching.size() >= count ? java.util.Optional.of(matching.subList(0, count))
                : java.util.Optional.empty();
        });
    }

    /** Every event line read so far, oldest first. */
    synchronized List<TracedEvent> lines() {
        return new ArrayList<>(events);
    }

    private void readPipe() {
        try (BufferedReader pipe = new BufferedReader(new InputStreamReader(
                Files.newInputStream(dir.resolve("trace_pipe")), StandardCharsets.UTF_8))) {
            for (String line; !closing && (line = pipe.readLine()) != null; ) {
                TracedEvent.parse(line).ifPresent(event -> {
                    synchronized (this) {
                        events.add(event);
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
     * Removes the instance (the kernel disables its events). A reader blocked in trace_pipe keeps it busy, so
     * a marker wakes the reader first.
     */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        write(dir.resolve("trace_marker"), "e2e-tool instance closing\n");
        reader.join(5000);
        Wait.until(Duration.ofSeconds(5), () -> "the kernel to let " + dir + " be removed", () -> {
            try {
                Files.delete(dir);
                return true;
            } catch (IOException busy) {
                return false;
            }
        });
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write '" + text.strip() + "' to " + file, e);
        }
    }
}
