package dev.userevents.agent.cli;

import dev.userevents.shim.UserEventsAbi;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * {@code record --hist}: a hist trigger on each named exit event in record's private trace instance, keyed by
 * {@code thrown} and {@code duration_ns.log2}. The kernel counts every call into its own table; the trigger only
 * soft-enables the event (kernel/trace/trace_events.c, {@code __ftrace_event_enable_disable()} with
 * {@code soft_disable}), so nothing reaches the ring buffer and nothing is collected in this JVM. The event's
 * {@code hist} file is read every {@code --interval} and at the stop, printed by {@link LatencyHistogram}, and
 * the trigger removed ({@code !hist:...}, which must repeat the keys, values, sort and filter).
 */
final class HistRecording {
    private static final long POLL_MILLIS = 100;
    private static final String DURATION_FIELD = "duration_ns";
    private static final String THROWN_FIELD = "thrown";

    private final Path instance;
    private final List<String> events;
    private final @Nullable String filter;
    private final long durationMillis;
    private final long intervalMillis;
    private final boolean raw;
    private final PrintStream out;
    private final PrintStream err;
    /** event name -> the trigger written to it, in arming order. */
    private final Map<String, String> armed = new LinkedHashMap<>();
    private long armedAtMillis;
    private boolean finished;

    HistRecording(Path instance, List<String> events, @Nullable String filter, long durationMillis,
                  long intervalMillis, boolean raw, PrintStream out, PrintStream err) {
        this.instance = instance;
        this.events = events;
        this.filter = filter;
        this.durationMillis = durationMillis;
        this.intervalMillis = intervalMillis;
        this.raw = raw;
        this.out = out;
        this.err = err;
    }

    /**
     * Arms each event once it is registered, prints every interval, and at Ctrl-C, the duration (counted from
     * the first armed event) or {@code done} prints the final histograms and removes the triggers.
     */
    int run(AtomicBoolean done) throws Cli.CommandFailedException {
        requireHistTriggers();
        err.println("recording latency histograms of " + String.join(", ", events)
            + " in the kernel; waiting for them to be registered; Ctrl-C to stop");
        long deadline = Long.MAX_VALUE; // until the first event is armed
        long nextPrint = Long.MAX_VALUE;
        boolean started = false;
        try {
            while (!done.get() && System.currentTimeMillis() < deadline) {
                for (String event : events) {
                    if (!isArmed(event)) {
                        arm(event);
                    }
                }
                long now = System.currentTimeMillis();
                if (armedAtMillis != 0 && !started) {
                    started = true;
                    deadline = durationMillis > 0 ? armedAtMillis + durationMillis : Long.MAX_VALUE;
                    nextPrint = intervalMillis > 0 ? armedAtMillis + intervalMillis : Long.MAX_VALUE;
                }
                if (now >= nextPrint) {
                    printAll("after");
                    nextPrint += intervalMillis;
                }
                sleep(POLL_MILLIS);
            }
        } finally {
            finish();
        }
        List<String> missing = new ArrayList<>();
        for (String event : events) {
            if (!isArmed(event)) {
                missing.add(UserEventsAbi.SYSTEM + ":" + event);
            }
        }
        if (!missing.isEmpty()) {
            throw new Cli.CommandFailedException("record --hist: " + String.join(", ", missing)
                + " was never registered while recording: start the application with the agent (its class must load),"
                + " and check the name with 'status' (an exit event is named <name>_exit)");
        }
        return 0;
    }

    /** Prints the final histograms and removes the triggers, once: from the main thread or the Ctrl-C hook. */
    synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (!armed.isEmpty()) {
            printAll("at stop, after");
        }
        for (Map.Entry<String, String> trigger : armed.entrySet()) {
            Path file = eventDir(trigger.getKey()).resolve("trigger");
            try {
                Files.writeString(file, "!" + trigger.getValue(), StandardOpenOption.WRITE);
            } catch (IOException e) {
                // removing the instance removes its triggers too (event_trace_del_tracer)
                err.println("record --hist: could not remove the trigger from " + file + ": " + e
                    + "; removing the trace instance removes it");
            }
        }
    }

    private synchronized boolean isArmed(String event) {
        return armed.containsKey(event);
    }

    /**
     * Writes the hist trigger once the event exists, after checking it is an exit event. Without
     * CONFIG_HIST_TRIGGERS the kernel makes no {@code hist} file in an event's folder.
     */
    private synchronized void arm(String event) throws Cli.CommandFailedException {
        Path dir = eventDir(event);
        String format;
        try {
            format = Files.readString(dir.resolve("format"));
        } catch (NoSuchFileException notYet) {
            return;
        } catch (IOException e) {
            throw new Cli.CommandFailedException("record --hist: cannot read " + dir.resolve("format") + ": " + e);
        }
        if (!hasField(format, DURATION_FIELD)) {
            throw new Cli.CommandFailedException("record --hist: " + UserEventsAbi.SYSTEM + ":" + event
                + " has no " + DURATION_FIELD + " field, it is not an exit event: name the exit event (" + event
                + "_exit, from @Tracepoint(exit = true) or the probes-file word exit)");
        }
        if (!Files.exists(dir.resolve("hist"))) {
            throw noHistTriggers(dir);
        }
        String trigger = trigger(hasField(format, THROWN_FIELD));
        try {
            // WRITE without TRUNCATE_EXISTING: an O_TRUNC open of a trigger file removes every trigger on the
            // event (event_trigger_regex_open() in kernel/trace/trace_events_trigger.c)
            Files.writeString(dir.resolve("trigger"), trigger, StandardOpenOption.WRITE);
        } catch (IOException e) {
            if (!Files.isDirectory(dir)) {
                return; // unregistered between our check and the write
            }
            throw new Cli.CommandFailedException("record --hist: the kernel refused the trigger '" + trigger + "' on "
                + UserEventsAbi.SYSTEM + ":" + event + ": " + e + lastError()
                + (filter != null ? " (is the filter '" + filter + "' valid for this event's fields?)" : ""));
        }
        armed.put(event, trigger);
        if (armedAtMillis == 0) {
            armedAtMillis = System.currentTimeMillis();
        }
        err.println("hist trigger on " + UserEventsAbi.SYSTEM + ":" + event + ": " + trigger);
    }

    /**
     * {@code hist:keys=thrown,duration_ns.log2:vals=hitcount:sort=thrown,duration_ns[ if FILTER]}. A sort key
     * names the field without its modifier ({@code create_sort_keys()} reads the text after a dot as
     * ascending/descending).
     */
    String trigger(boolean byThrown) {
        String keys = byThrown ? THROWN_FIELD + "," + DURATION_FIELD : DURATION_FIELD;
        String logKeys = byThrown ? THROWN_FIELD + "," + DURATION_FIELD + ".log2" : DURATION_FIELD + ".log2";
        return "hist:keys=" + logKeys + ":vals=hitcount:sort=" + keys + (filter != null ? " if " + filter : "");
    }

    private synchronized void printAll(String when) {
        double seconds = (System.currentTimeMillis() - armedAtMillis) / 1000.0;
        out.printf(Locale.ROOT, "# %s %.1f s%n", when, seconds);
        for (String event : armed.keySet()) {
            Path hist = eventDir(event).resolve("hist");
            String text;
            try {
                text = Files.readString(hist);
            } catch (IOException e) {
                err.println("record --hist: cannot read " + hist + ": " + e);
                continue;
            }
            if (raw) {
                out.print(text);
                continue;
            }
            LatencyHistogram.HistFile file = LatencyHistogram.parse(event, text);
            if (file.histograms().isEmpty()) {
                out.println(UserEventsAbi.SYSTEM + ":" + event + ": no calls yet");
            }
            for (LatencyHistogram histogram : file.histograms()) {
                histogram.render().forEach(out::println);
            }
            if (file.dropped() > 0) {
                out.println("    (the kernel dropped " + file.dropped() + " calls: its table was full)");
            }
        }
        out.println("# percentiles and max are upper bounds of log2 buckets (2^(n-1), 2^n] ns, counted by the kernel");
        out.flush();
    }

    /**
     * Fails early when the kernel has no hist triggers: every event folder has a {@code trigger} file, and with
     * CONFIG_HIST_TRIGGERS a {@code hist} file beside it. Looks at the first event folder found.
     */
    private void requireHistTriggers() throws Cli.CommandFailedException {
        try (DirectoryStream<Path> systems = Files.newDirectoryStream(instance.resolve("events"), Files::isDirectory)) {
            for (Path system : systems) {
                try (DirectoryStream<Path> eventDirs = Files.newDirectoryStream(system, Files::isDirectory)) {
                    for (Path eventDir : eventDirs) {
                        if (Files.exists(eventDir.resolve("trigger"))) {
                            if (!Files.exists(eventDir.resolve("hist"))) {
                                throw noHistTriggers(eventDir);
                            }
                            return;
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the check is repeated on each event's own folder before its trigger is written
        }
    }

    private static Cli.CommandFailedException noHistTriggers(Path eventDir) {
        return new Cli.CommandFailedException("record --hist: this kernel has no hist triggers (no " + eventDir.resolve("hist")
            + "; CONFIG_HIST_TRIGGERS is not set): use a kernel built with CONFIG_HIST_TRIGGERS=y, or record the"
            + " events without --hist and aggregate duration_ns yourself");
    }

    /** The last lines of the instance's {@code error_log}, where the kernel says what in a trigger it refused. */
    private String lastError() {
        try {
            List<String> lines = Files.readAllLines(instance.resolve("error_log"));
            if (lines.isEmpty()) {
                return "";
            }
            return "; the kernel's error_log: " + String.join(" | ",
                lines.subList(Math.max(0, lines.size() - 3), lines.size())).replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Whether the event's {@code format} file declares the field: {@code field:s64 duration_ns;}, or for an array
     * type the name with its brackets, {@code field:__rel_loc char thrown[];} ({@code f_show()} in
     * kernel/trace/trace_events.c moves the {@code []} of the type {@code __rel_loc char[]} behind the name).
     */
    static boolean hasField(String format, String field) {
        for (String line : format.split("\n", -1)) {
            String trimmed = line.strip();
            int end = trimmed.indexOf(';');
            if (!trimmed.startsWith("field:") || end < 0) {
                continue;
            }
            String declaration = trimmed.substring("field:".length(), end);
            String name = declaration.substring(declaration.lastIndexOf(' ') + 1);
            int bracket = name.indexOf('[');
            if ((bracket < 0 ? name : name.substring(0, bracket)).equals(field)) {
                return true;
            }
        }
        return false;
    }

    private Path eventDir(String event) {
        return instance.resolve("events").resolve(UserEventsAbi.SYSTEM).resolve(event);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
