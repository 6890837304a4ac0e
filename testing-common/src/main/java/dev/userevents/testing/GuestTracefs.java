package dev.userevents.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The guest's tracefs, its global instance, driven as an administrator would: {@code echo 1 >
 * events/user_events/NAME/enable}, {@code echo 'orderId < 10' > .../filter}, {@code cat trace}, {@code echo >
 * trace}. Kernel tests only (the guest runs them as root). A test that must not touch the global switches
 * uses a {@link TraceInstance} of its own.
 *
 * <p>Read {@code trace} while the registering process still runs: its events are deleted when it exits (unless
 * enabled or persistent), and {@code trace} then prints their records as "Unknown type N".
 */
public final class GuestTracefs {
    /** Where the guest mounts tracefs. */
    public static final Path ROOT = Path.of("/sys/kernel/tracing");
    /** The system of events registered through user_events_data (UserEventsAbi.SYSTEM in native-shim). */
    public static final String USER_EVENTS = "user_events";

    private GuestTracefs() {
    }

    /**
     * {@code events/SYSTEM/NAME}.
     *
     * @param system the event's system, e.g. {@link #USER_EVENTS}
     * @param eventName the event's name
     * @return the event's folder of the global instance, whether it exists or not
     */
    public static Path eventDir(String system, String eventName) {
        return ROOT.resolve("events").resolve(system).resolve(eventName);
    }

    /**
     * {@code events/user_events/NAME}.
     *
     * @param eventName the user_event's name
     * @return the event's folder of the global instance, whether it exists or not
     */
    public static Path eventDir(String eventName) {
        return eventDir(USER_EVENTS, eventName);
    }

    /**
     * {@code events/user_events/NAME/enable} of the global instance.
     *
     * @param eventName the user_event's name
     * @return the event's enable file, whether it exists or not
     */
    public static Path enableFile(String eventName) {
        return eventDir(eventName).resolve("enable");
    }

    /**
     * Whether the event is registered: its folder exists while a process holds it (or a tracer enables it).
     *
     * @param system the event's system, e.g. {@link #USER_EVENTS}
     * @param eventName the event's name
     * @return whether {@code events/SYSTEM/NAME} exists
     */
    public static boolean eventExists(String system, String eventName) {
        return Files.isDirectory(eventDir(system, eventName));
    }

    /**
     * Whether the user_event is registered, as {@link #eventExists(String, String)} tells.
     *
     * @param eventName the user_event's name
     * @return whether {@code events/user_events/NAME} exists
     */
    public static boolean eventExists(String eventName) {
        return eventExists(USER_EVENTS, eventName);
    }

    /**
     * {@code echo 1 > events/user_events/NAME/enable}.
     *
     * @param eventName the user_event's name
     * @throws UncheckedIOException if the write fails (the event is not registered, say)
     */
    public static void enable(String eventName) {
        enable(USER_EVENTS, eventName);
    }

    /**
     * {@code echo 1 > events/SYSTEM/NAME/enable}.
     *
     * @param system the event's system
     * @param eventName the event's name
     * @throws UncheckedIOException if the write fails (the event is not registered, say)
     */
    public static void enable(String system, String eventName) {
        write(eventDir(system, eventName).resolve("enable"), "1");
    }

    /**
     * {@code echo 0 > events/user_events/NAME/enable}.
     *
     * @param eventName the user_event's name
     * @throws UncheckedIOException if the write fails (the event is not registered, say)
     */
    public static void disable(String eventName) {
        disable(USER_EVENTS, eventName);
    }

    /**
     * {@code echo 0 > events/SYSTEM/NAME/enable}.
     *
     * @param system the event's system
     * @param eventName the event's name
     * @throws UncheckedIOException if the write fails (the event is not registered, say)
     */
    public static void disable(String system, String eventName) {
        write(eventDir(system, eventName).resolve("enable"), "0");
    }

    /**
     * {@code echo EXPRESSION > events/user_events/NAME/filter}.
     *
     * @param eventName the user_event's name
     * @param expression an ftrace filter over the event's fields, e.g. {@code orderId < 10}
     * @throws UncheckedIOException if the write fails: the kernel refuses an expression it cannot parse
     */
    public static void setFilter(String eventName, String expression) {
        write(eventDir(eventName).resolve("filter"), expression);
    }

    /**
     * {@code echo 0 > .../filter}: removes the filter.
     *
     * @param eventName the user_event's name
     * @throws UncheckedIOException if the write fails (the event is not registered, say)
     */
    public static void clearFilter(String eventName) {
        write(eventDir(eventName).resolve("filter"), "0");
    }

    /**
     * {@code cat .../filter}: the expression, or "none". One read() call: the kernel answers only a read at
     * offset 0 (kernel/trace/trace_events.c, event_filter_read()), and Files.readAllBytes reads a file that
     * reports size 0 one byte first.
     *
     * @param eventName the user_event's name
     * @return the filter as the kernel prints it, trimmed; "none" without one
     * @throws UncheckedIOException if the file cannot be read
     */
    public static String filter(String eventName) {
        return readInOneRead(eventDir(eventName).resolve("filter"), 4096);
    }

    /**
     * {@code echo > trace}: empties the ring buffers of all CPUs (opening with O_TRUNC does it).
     *
     * @throws UncheckedIOException if the write fails
     */
    public static void clearTrace() {
        write(ROOT.resolve("trace"), "");
    }

    /**
     * {@code cat trace}, raw bytes: strings arrive as UTF-8, 1-byte fields may print a raw byte.
     *
     * @return the global instance's {@code trace}, header lines included
     * @throws UncheckedIOException if it cannot be read
     */
    public static byte[] readTrace() {
        try {
            return Files.readAllBytes(ROOT.resolve("trace"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What each trace line of {@code eventName} printed after {@code "NAME: "}, oldest first, decoded as UTF-8.
     *
     * @param eventName the event's name
     * @return the field text of each of its lines in the global {@code trace}; empty if none
     * @throws UncheckedIOException if {@code trace} cannot be read
     */
    public static List<String> eventLines(String eventName) {
        return eventLines(eventName, StandardCharsets.UTF_8);
    }

    /**
     * Same, decoded with {@code charset}: ISO-8859-1 maps each raw byte the kernel prints for a 1-byte field
     * to one char, where UTF-8 would turn it into U+FFFD.
     *
     * @param eventName the event's name
     * @param charset how to decode {@code trace}
     * @return the field text of each of its lines in the global {@code trace}, oldest first; empty if none
     * @throws UncheckedIOException if {@code trace} cannot be read
     */
    public static List<String> eventLines(String eventName, Charset charset) {
        return eventLines(readTrace(), eventName, charset);
    }

    /** The lines of a {@code trace} file's content that show {@code eventName}, from after "NAME: ". */
    static List<String> eventLines(byte[] trace, String eventName, Charset charset) {
        String marker = " " + eventName + ": ";
        List<String> lines = new ArrayList<>();
        for (String line : new String(trace, charset).split("\n", -1)) {
            int at = line.indexOf(marker);
            if (!line.startsWith("#") && at >= 0) {
                lines.add(line.substring(at + marker.length()));
            }
        }
        return lines;
    }

    /**
     * Names of the tracepoint folders under {@code events/SYSTEM/} that match {@code regex}.
     *
     * @param system the events' system, e.g. {@link #USER_EVENTS}
     * @param regex a {@link Pattern} the whole name must match
     * @return the matching event names, sorted; empty if the system has no folder (no event registered yet)
     * @throws UncheckedIOException if the folder cannot be listed
     */
    public static List<String> eventDirs(String system, String regex) {
        Path dir = ROOT.resolve("events").resolve(system);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        Pattern pattern = Pattern.compile(regex);
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory)
                .map(p -> p.getFileName().toString())
                .filter(name -> pattern.matcher(name).matches())
                .sorted()
                .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code text} to a tracefs file; the failure names the file and the text. */
    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write '" + text.strip() + "' to " + file, e);
        }
    }

    /**
     * A sysctl's value ({@code /proc/sys/...}), read in one {@code read()} from offset 0. Not
     * {@code Files.readString}: for a file whose size reads 0 it first reads one byte, and a sysctl read at a
     * non-zero offset is the end of the file ({@code __do_proc_douintvec()}), so {@code 32768} came back as
     * {@code 3} (and a test that restored what it read set kernel.user_events_max to 3).
     *
     * @param file the sysctl's file, e.g. {@code /proc/sys/kernel/user_events_max}
     * @return its value, trimmed
     * @throws UncheckedIOException if it cannot be read
     */
    public static String readSysctl(Path file) {
        return readInOneRead(file, 256);
    }

    /** A kernel-generated file's text, trimmed, from one {@code read()} at offset 0 of up to {@code maxBytes}. */
    private static String readInOneRead(Path file, int maxBytes) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] text = new byte[maxBytes];
            int read = in.read(text);
            return new String(text, 0, Math.max(read, 0), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
