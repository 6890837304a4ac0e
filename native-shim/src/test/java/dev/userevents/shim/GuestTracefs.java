package dev.userevents.shim;

import java.io.IOException;
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
 * The guest's tracefs driven as an administrator would: {@code echo 1 > events/.../enable},
 * {@code cat trace}, {@code echo > trace}. For kernel tests only (the guest runs them as root).
 */
final class GuestTracefs {
    static final Path ROOT = Path.of("/sys/kernel/tracing");
    static final Tracefs TRACEFS = Tracefs.at(ROOT);

    private GuestTracefs() {
    }

    /** {@code echo 1 > events/user_events/NAME/enable}. */
    static void enable(String eventName) {
        enable(UserEventsAbi.SYSTEM, eventName);
    }

    static void enable(String system, String eventName) {
        write(TRACEFS.eventDir(system, eventName).resolve("enable"), "1");
    }

    /** {@code echo 0 > events/user_events/NAME/enable}. */
    static void disable(String eventName) {
        disable(UserEventsAbi.SYSTEM, eventName);
    }

    static void disable(String system, String eventName) {
        write(TRACEFS.eventDir(system, eventName).resolve("enable"), "0");
    }

    /** {@code echo > trace}: empties the ring buffers of all CPUs (opening with O_TRUNC does it). */
    static void clearTrace() {
        write(ROOT.resolve("trace"), "");
    }

    /** {@code cat trace}, raw bytes: strings arrive as UTF-8, 1-byte fields may print a raw byte. */
    static byte[] readTrace() {
        try {
            return Files.readAllBytes(ROOT.resolve("trace"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What each trace line of {@code eventName} printed after {@code "NAME: "}, oldest first, decoded as UTF-8. */
    static List<String> eventLines(String eventName) {
        return eventLines(eventName, StandardCharsets.UTF_8);
    }

    /**
     * Same, decoded with {@code charset}: ISO-8859-1 maps each raw byte the kernel prints for a 1-byte field
     * to one char, where UTF-8 would turn it into U+FFFD.
     */
    static List<String> eventLines(String eventName, Charset charset) {
        String marker = " " + eventName + ": ";
        List<String> lines = new ArrayList<>();
        for (String line : new String(readTrace(), charset).split("\n")) {
            int at = line.indexOf(marker);
            if (!line.startsWith("#") && at >= 0) {
                lines.add(line.substring(at + marker.length()));
            }
        }
        return lines;
    }

    static boolean eventExists(String system, String eventName) {
        return Files.isDirectory(TRACEFS.eventDir(system, eventName));
    }

    /** Names of the tracepoint folders under {@code events/SYSTEM/} that match {@code regex}. */
    static List<String> eventDirs(String system, String regex) {
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

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write '" + text + "' to " + file, e);
        }
    }
}
