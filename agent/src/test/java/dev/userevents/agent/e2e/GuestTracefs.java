package dev.userevents.agent.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The guest's tracefs driven as an administrator would: {@code echo 1 > events/user_events/NAME/enable},
 * {@code echo 'orderId < 10' > .../filter}, {@code cat trace}, {@code echo > trace}. Kernel tests only
 * (the guest runs them as root).
 *
 * <p>Read {@code trace} while the application still runs: its events are deleted when it exits (unless
 * enabled), and {@code trace} then prints their records as "Unknown type N".
 */
final class GuestTracefs {
    static final Path ROOT = Path.of("/sys/kernel/tracing");

    private GuestTracefs() {
    }

    static Path eventDir(OrderEvent event) {
        return ROOT.resolve("events").resolve("user_events").resolve(event.eventName());
    }

    /** Whether the event is registered: its folder exists while a process holds it (or a tracer enables it). */
    static boolean exists(OrderEvent event) {
        return Files.isDirectory(eventDir(event));
    }

    /** {@code echo 1 > events/user_events/NAME/enable}. */
    static void enable(OrderEvent... events) {
        for (OrderEvent event : events) {
            write(eventDir(event).resolve("enable"), "1");
        }
    }

    /** {@code echo 0 > events/user_events/NAME/enable}. */
    static void disable(OrderEvent... events) {
        for (OrderEvent event : events) {
            write(eventDir(event).resolve("enable"), "0");
        }
    }

    /** Disables whichever of the events still exist: cleanup after a test, whatever state it left. */
    static void disableAllThatExist() {
        for (OrderEvent event : OrderEvent.values()) {
            if (exists(event)) {
                disable(event);
                write(eventDir(event).resolve("filter"), "0");
            }
        }
    }

    /** {@code echo EXPRESSION > events/user_events/NAME/filter}. */
    static void setFilter(OrderEvent event, String expression) {
        write(eventDir(event).resolve("filter"), expression);
    }

    /** {@code echo 0 > .../filter}: removes the filter. */
    static void clearFilter(OrderEvent event) {
        write(eventDir(event).resolve("filter"), "0");
    }

    /**
     * {@code cat .../filter}: the expression, or "none". One read() call: the kernel answers only a read at
     * offset 0 (kernel/trace/trace_events.c, event_filter_read()), and Files.readAllBytes reads a file that
     * reports size 0 one byte first.
     */
    static String filter(OrderEvent event) {
        Path file = eventDir(event).resolve("filter");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[4096];
            int length = in.read(buffer);
            return new String(buffer, 0, Math.max(length, 0), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code echo > trace}: empties the ring buffers of all CPUs (opening with O_TRUNC does it). */
    static void clearTrace() {
        write(ROOT.resolve("trace"), "");
    }

    /** The example's events in {@code trace}, oldest first, strings decoded as the UTF-8 they were written as. */
    static List<EventLine> events() {
        return EventLine.fromTrace(read(ROOT.resolve("trace")));
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write '" + text + "' to " + file, e);
        }
    }
}
