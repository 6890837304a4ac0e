package dev.userevents.agent.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The probes' counters as text: the agent's line at exit and {@code java -jar userevents-agent.jar status
 * PID}. That command attaches with the argument {@code countsTo=FILE}; the agent's front door hands it here
 * before it starts anything ({@link #write}), so a JVM is never changed by being asked.
 */
public final class ProbeCounts {
    /** The attach argument's key: {@code countsTo=/path/the/command/reads}. */
    public static final String ARGUMENT = "countsTo";

    /** What the agent writes to, as its start line says it ({@link #setBackend}); empty until it started. */
    private static volatile String backend = "";

    /** The on-demand candidates' line ({@link #setOnDemandSummary}), or null without candidates. */
    private static volatile @Nullable Supplier<String> onDemandSummary;

    private ProbeCounts() {
    }

    /**
     * Gives {@code status PID} a line on the on-demand candidates, asked each time the counters are written.
     *
     * @param summary e.g. {@code "on-demand: 12 candidate(s) in 3 class(es), 1 class(es) woven now"}
     */
    public static void setOnDemandSummary(Supplier<String> summary) {
        onDemandSummary = summary;
    }

    /**
     * Records where events go, for {@code status PID}: e.g. {@code "user_events at descriptor 5 from
     * dataSocket=/run/ue.sock, writes through pwrite"}.
     *
     * @param description the backend's own description, one line
     */
    public static void setBackend(String description) {
        backend = description;
    }

    /**
     * Writes the counters of every probe in this JVM to {@code file}, one line each after a totals line,
     * or one line saying no agent runs here. Never throws.
     *
     * @param file where {@code status PID} reads them
     */
    public static void write(String file) {
        List<String> lines = new ArrayList<>();
        if (!ProbeRuntime.isInstalled()) {
            lines.add("no userevents agent runs in this JVM");
        } else {
            List<Probe> probes = ProbeRuntime.installedProbes();
            lines.add("totals: " + totals(probes));
            if (!backend.isEmpty()) {
                lines.add("events to: " + backend);
            }
            Supplier<String> candidates = onDemandSummary;
            if (candidates != null) {
                try {
                    lines.add(candidates.get());
                } catch (RuntimeException e) {
                    lines.add("on-demand: (unavailable: " + e + ")");
                }
            }
            for (Probe probe : probes) {
                lines.add(of(probe));
            }
        }
        try {
            Files.write(Paths.get(file), lines, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            // the command reports a missing answer
        }
    }

    /**
     * The totals over {@code probes}: {@code "60 event(s) written, 2 found no tracer, 3 dropped (stack
     * overflow 3); 0 of 4 probe(s) switched off"}.
     *
     * @param probes the probes to add up, e.g. {@link ProbeRuntime#installedProbes()}
     * @return one line, without a line break
     */
    @SuppressWarnings("EnumOrdinal") // an array by ordinal, like Probe's counters; bytecode kept (package-info)
    public static String totals(List<Probe> probes) {
        long written = 0;
        long raced = 0;
        long[] dropped = new long[DropReason.values().length];
        long droppedTotal = 0;
        int off = 0;
        for (Probe probe : probes) {
            written += probe.written();
            raced += probe.raced();
            for (DropReason reason : DropReason.values()) {
                dropped[reason.ordinal()] += probe.dropped(reason);
            }
            droppedTotal += probe.dropped();
            off += probe.isOff() ? 1 : 0;
        }
        return written + " event(s) written, " + raced + " found no tracer, " + droppedTotal + " dropped"
            + reasons(dropped) + "; " + off + " of " + probes.size() + " probe(s) switched off";
    }

    /**
     * One probe's counters: {@code "probe NAME: 5 written, 0 found no tracer, 1 dropped (stack overflow 1)"},
     * then {@code ", switched off"} for a probe a failure switched off; {@code "probe NAME [FIELDS]: ..."} for a
     * probe whose name carries several formats ({@link Probe#describeFields}); {@code "probe NAME on TRACEPOINT:
     * ..."} for an EventHeader event, on the tracepoint it shares ({@link Probe#tracepoint()}).
     *
     * @param probe the probe to describe
     * @return one line, without a line break
     */
    @SuppressWarnings("EnumOrdinal") // an array by ordinal, like Probe's counters; bytecode kept (package-info)
    public static String of(Probe probe) {
        long[] dropped = new long[DropReason.values().length];
        for (DropReason reason : DropReason.values()) {
            dropped[reason.ordinal()] = probe.dropped(reason);
        }
        String fields = probe.fields();
        String tracepoint = probe.tracepoint();
        return "probe " + probe.eventName() + (tracepoint == null ? "" : " on " + tracepoint)
            + (fields == null ? "" : " [" + fields + "]") + ": " + probe.written()
            + " written, " + probe.raced()
            + " found no tracer, " + probe.dropped() + " dropped" + reasons(dropped)
            + (probe.isOff() ? ", switched off" : "");
    }

    @SuppressWarnings("EnumOrdinal") // an array by ordinal, like Probe's counters; bytecode kept (package-info)
    private static String reasons(long[] dropped) {
        StringBuilder text = new StringBuilder();
        for (DropReason reason : DropReason.values()) {
            if (dropped[reason.ordinal()] > 0) {
                text.append(text.length() == 0 ? " (" : ", ")
                    .append(reason.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                    .append(' ').append(dropped[reason.ordinal()]);
            }
        }
        return text.length() == 0 ? "" : text.append(')').toString();
    }
}
