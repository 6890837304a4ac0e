package dev.userevents.agent.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Events a trace instance's ring buffer lost because its reader fell behind, as the kernel counts and reports
 * them (kernel/trace/trace.c): {@code trace_pipe} prints {@code CPU:N [LOST n EVENTS]} (or {@code CPU:N [LOST
 * EVENTS]} when it cannot tell how many) before the next event it has for that CPU, and each
 * {@code per_cpu/cpuN/stats} file totals {@code overrun} (events overwritten, the default overwrite mode),
 * {@code commit overrun} and {@code dropped events} (events refused while full, with {@code overwrite} off).
 */
final class BufferLosses {
    private static final Pattern LOST_LINE = Pattern.compile("CPU:\\d+ \\[LOST(?: (\\d+))? EVENTS\\]");
    private static final Pattern LOST_STAT = Pattern.compile("^(?:overrun|commit overrun|dropped events): (\\d+)$",
        Pattern.MULTILINE);
    private static final Pattern SIZE_KB = Pattern.compile("^(\\d+)(?: \\(expanded: (\\d+)\\))?");

    /** What {@link #lostInLine} answers for a line that is not a loss marker. */
    static final long NOT_A_MARKER = -1;

    private BufferLosses() {
    }

    /**
     * The count a {@code trace_pipe} loss marker line carries.
     *
     * @param line one line of trace_pipe
     * @return the events it says were lost; 0 for a marker without a count; {@link #NOT_A_MARKER} for any other
     *     line (an event)
     */
    static long lostInLine(String line) {
        Matcher marker = LOST_LINE.matcher(line);
        if (!marker.matches()) {
            return NOT_A_MARKER;
        }
        return marker.group(1) == null ? 0 : Long.parseLong(marker.group(1));
    }

    /**
     * Events the instance's buffer lost since it was created: the sum over its CPUs of {@code overrun},
     * {@code commit overrun} and {@code dropped events}.
     *
     * @param instance the trace instance's folder ({@code .../tracing/instances/NAME})
     * @return the total, 0 when nothing was lost
     * @throws IOException if its {@code per_cpu} folder or a {@code stats} file cannot be read
     */
    static long lostSinceCreated(Path instance) throws IOException {
        long lost = 0;
        try (Stream<Path> cpus = Files.list(instance.resolve("per_cpu"))) {
            for (Path cpu : cpus.filter(dir -> dir.getFileName().toString().startsWith("cpu")).toList()) {
                Matcher counts = LOST_STAT.matcher(Files.readString(cpu.resolve("stats")));
                while (counts.find()) {
                    lost += Long.parseLong(counts.group(1));
                }
            }
        }
        return lost;
    }

    /**
     * The instance's buffer size per CPU, as its {@code buffer_size_kb} says: {@code 7 (expanded: 1408)} before
     * first use (the kernel allocates a minimal buffer until tracing starts), a number after.
     *
     * @param instance the trace instance's folder
     * @return KiB per CPU (the expanded size when not yet expanded); -1 when the file is unreadable or unexpected
     */
    static long bufferKibPerCpu(Path instance) {
        try {
            Matcher size = SIZE_KB.matcher(Files.readString(instance.resolve("buffer_size_kb")).strip());
            if (!size.find()) {
                return -1;
            }
            return Long.parseLong(size.group(2) != null ? size.group(2) : size.group(1));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
