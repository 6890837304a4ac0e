package dev.userevents.agent.cli;

import dev.userevents.shim.Tracefs;
import dev.userevents.shim.UserEventsAbi;
import dev.userevents.shim.UserEventsUnavailableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code record}: enables events in a trace instance of our own ({@code instances/userevents-record-PID}),
 * prints its {@code trace_pipe} until Ctrl-C, a duration or a count, then removes the instance. An instance
 * has its own buffer and its own enable switches, so whatever the machine's global tracing state was, it is
 * exactly that afterwards, and other tracers see nothing of ours. With {@code --hist} it prints no events but
 * the kernel's latency histograms of exit events ({@link HistRecording}).
 */
final class RecordCommand {
    private static final long POLL_MILLIS = 100;
    /** The instance's own ring-buffer switch. */
    private static final String TRACING_ON = "tracing_on";

    private final List<String> events;
    private final @Nullable String filter;
    private final long durationMillis;
    private final long maxEvents;
    private final boolean raw;
    private final boolean hist;
    private final long intervalMillis;
    /** KiB per CPU for the instance's ring buffer; 0 keeps the kernel's default. */
    private final long bufferKib;
    private final PrintStream out;
    private final PrintStream err;
    private volatile @Nullable Thread reader;

    private RecordCommand(List<String> events, @Nullable String filter, long durationMillis, long maxEvents, boolean raw,
                          boolean hist, long intervalMillis, long bufferKib, PrintStream out, PrintStream err) {
        this.events = events;
        this.filter = filter;
        this.durationMillis = durationMillis;
        this.maxEvents = maxEvents;
        this.raw = raw;
        this.hist = hist;
        this.intervalMillis = intervalMillis;
        this.bufferKib = bufferKib;
        this.out = out;
        this.err = err;
    }

    static RecordCommand parse(String[] args, PrintStream out, PrintStream err) throws Cli.UsageException {
        List<String> events = new ArrayList<>();
        String filter = null;
        long duration = 0;
        long count = 0;
        boolean raw = false;
        boolean hist = false;
        long interval = 0;
        long bufferKib = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--filter" -> filter = value(args, ++i, "--filter");
                case "--duration" -> duration = (long) (positive(value(args, ++i, "--duration"), "--duration") * 1000);
                case "--count" -> count = (long) positive(value(args, ++i, "--count"), "--count");
                case "--raw" -> raw = true;
                case "--hist" -> hist = true;
                case "--interval" -> interval = (long) (positive(value(args, ++i, "--interval"), "--interval") * 1000);
                case "--buffer-kb" -> bufferKib = wholePositive(value(args, ++i, "--buffer-kb"), "--buffer-kb");
                default -> {
                    if (args[i].startsWith("-")) {
                        throw new Cli.UsageException("record: unknown option " + args[i]);
                    }
                    events.add(args[i].startsWith(UserEventsAbi.SYSTEM + ":")
                        ? args[i].substring(UserEventsAbi.SYSTEM.length() + 1) : args[i]);
                }
            }
        }
        if (hist && events.isEmpty()) {
            throw new Cli.UsageException("record: --hist needs the exit events to count, e.g. record --hist payment_charged_exit");
        }
        if (hist && count > 0) {
            throw new Cli.UsageException("record: --count counts printed events; --hist prints none (use --duration)");
        }
        if (!hist && interval > 0) {
            throw new Cli.UsageException("record: --interval prints histograms: it needs --hist");
        }
        if (hist && bufferKib > 0) {
            throw new Cli.UsageException("record: --buffer-kb sizes the buffer events are printed from; --hist prints none");
        }
        return new RecordCommand(events, filter, duration, count, raw, hist, interval, bufferKib, out, err);
    }

    private static long wholePositive(String text, String option) throws Cli.UsageException {
        double value = positive(text, option);
        if (value != Math.rint(value) || value >= Long.MAX_VALUE) {
            throw new Cli.UsageException("record: " + option + " takes a whole number, not '" + text + "'");
        }
        return (long) value;
    }

    private static String value(String[] args, int index, String option) throws Cli.UsageException {
        if (index >= args.length) {
            throw new Cli.UsageException("record: " + option + " needs a value");
        }
        return args[index];
    }

    private static double positive(String text, String option) throws Cli.UsageException {
        try {
            double value = Double.parseDouble(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new Cli.UsageException("record: " + option + " takes a positive number, not '" + text + "'");
    }

    int run() throws Cli.CommandFailedException {
        Tracefs tracefs;
        try {
            tracefs = Tracefs.locate();
        } catch (UserEventsUnavailableException e) {
            throw new Cli.CommandFailedException("record: " + e.getMessage());
        }
        Path instance = tracefs.root().resolve("instances").resolve("userevents-record-" + ProcessHandle.current().pid());
        try {
            Files.createDirectory(instance);
        } catch (IOException e) {
            throw new Cli.CommandFailedException("record: cannot create trace instance " + instance + ": " + e
                + " (run as root, or give this user write access to " + tracefs.root() + "/instances)");
        }
        AtomicBoolean done = new AtomicBoolean();
        HistRecording histograms = hist
            ? new HistRecording(instance, events, filter, durationMillis, intervalMillis, raw, out, err) : null;
        Thread cleanup = new Thread(() -> {
            if (histograms != null) {
                histograms.finish(); // Ctrl-C: the final histograms, then the triggers go
            }
            removeInstance(instance, done, reader);
        }, "userevents-record-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return histograms != null ? histograms.run(done) : record(instance, done);
        } finally {
            removeInstance(instance, done, reader);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running already
            }
        }
    }

    /**
     * Polls until the wanted events exist (an application registers them when its classes load), enables
     * each as it appears, and runs until Ctrl-C, the count, or the duration counted from the first enabled
     * event.
     */
    private int record(Path instance, AtomicBoolean done) throws Cli.CommandFailedException {
        long deadline = Long.MAX_VALUE;
        Set<String> enabled = new LinkedHashSet<>();
        Set<Path> enabledDirs = new HashSet<>();
        boolean all = events.isEmpty();
        err.println("recording " + (all ? "every user_event" : String.join(", ", events))
            + "; waiting for them to be registered; Ctrl-C to stop");
        if (bufferKib > 0) {
            setBufferSize(instance);
        }
        AtomicLong printed = new AtomicLong();
        AtomicLong markedLost = new AtomicLong();
        Thread reader = startReader(instance, printed, markedLost, done);
        this.reader = reader;
        // The instance's buffer stays off until the first poll that finds any event, so every event found then
        // starts at one instant: one enabled before another would otherwise record calls whose partner events
        // came before the partner was enabled (a payment without its order)
        writeTracingOn(instance, "0");
        boolean tracingOn = false;
        while (!done.get() && System.currentTimeMillis() < deadline && (maxEvents == 0 || printed.get() < maxEvents)) {
            if (all && enableAll(instance, enabledDirs)) {
                enabled.add("*");
            }
            for (String event : events) {
                if (enable(instance, event, enabledDirs)) {
                    enabled.add(event);
                }
            }
            if (!tracingOn && !enabled.isEmpty()) {
                writeTracingOn(instance, "1");
                tracingOn = true;
            }
            if (!enabled.isEmpty() && deadline == Long.MAX_VALUE && durationMillis > 0) {
                deadline = System.currentTimeMillis() + durationMillis;
            }
            sleep(POLL_MILLIS);
            if (!reader.isAlive()) {
                break;
            }
        }
        done.set(true);
        for (String event : events) {
            if (!enabled.contains(event)) {
                err.println("record: user_events:" + event + " was never registered while recording");
            }
        }
        boolean countReached = maxEvents > 0 && printed.get() >= maxEvents;
        try {
            writeTracingOn(instance, "0"); // freeze the buffer: what the kernel counts from here on is after the stop
        } catch (Cli.CommandFailedException e) {
            // the totals below may then include a few events lost after the stop
        }
        err.println("recorded " + printed.get() + " event(s)" + lossReport(instance, markedLost.get(), countReached));
        return 0;
    }

    /** Writes {@code --buffer-kb} to the instance's {@code buffer_size_kb} (KiB per CPU), before anything is enabled. */
    private void setBufferSize(Path instance) throws Cli.CommandFailedException {
        try {
            Files.writeString(instance.resolve("buffer_size_kb"), Long.toString(bufferKib));
        } catch (IOException e) {
            throw new Cli.CommandFailedException("record: cannot give the trace instance a buffer of " + bufferKib
                + " KiB per CPU: " + e + " (the kernel could not allocate it: try a smaller --buffer-kb)");
        }
    }

    /**
     * What the stop line adds about lost events: that none were lost, or how many and the fix. Stopped by
     * {@code --count}, the markers' sum: every loss before the last event printed has its marker before the
     * next event (print_trace_line()), and what the kernel lost after that was never to be printed. Stopped by
     * time or Ctrl-C, also the instance's per-CPU totals, which hold losses whose marker had not come yet.
     */
    private String lossReport(Path instance, long markedLost, boolean countReached) {
        long lost = markedLost;
        if (!countReached) {
            try {
                lost = Math.max(markedLost, BufferLosses.lostSinceCreated(instance));
            } catch (IOException e) {
                // the markers' sum, then
            }
        }
        if (lost == 0) {
            return ", none lost";
        }
        long kib = BufferLosses.bufferKibPerCpu(instance);
        return "; the kernel's buffer lost " + lost + " more while this printed them (where: the [LOST n EVENTS] lines)."
            + " Fix: a larger buffer, --buffer-kb " + (kib > 0 ? Math.max(kib * 4, 1024) : 8192)
            + (kib > 0 ? " (now " + kib + " KiB per CPU)" : "") + ", or fewer events (--filter, fewer names)";
    }

    /**
     * Enables every event of the user_events system and of user_events_multi (each system-wide switch, once
     * its folder exists: it appears with the system's first event); false while neither exists. Events
     * registered later are covered by the switch of a system already enabled.
     */
    private boolean enableAll(Path instance, Set<Path> enabledDirs) throws Cli.CommandFailedException {
        boolean any = false;
        for (String name : List.of(UserEventsAbi.SYSTEM, UserEventsAbi.MULTI_SYSTEM)) {
            Path system = instance.resolve("events").resolve(name);
            if (enabledDirs.contains(system)) {
                any = true;
            } else if (Files.isDirectory(system)) {
                any |= enableDir(system, "every event of " + name, enabledDirs);
            }
        }
        return any;
    }

    /**
     * Enables each tracepoint of {@code event} once it exists: {@code user_events/EVENT}, and every format of it
     * in {@code user_events_multi} ({@code EVENT.<hex id>}, the names Documentation/trace/user_events.rst says
     * to scan for), including formats registered while recording. False while none exists yet.
     */
    private boolean enable(Path instance, String event, Set<Path> enabledDirs) throws Cli.CommandFailedException {
        boolean any = false;
        String name = event;
        List<Path> dirs = new ArrayList<>();
        if (event.startsWith(UserEventsAbi.MULTI_SYSTEM + ":")) {
            name = event.substring(UserEventsAbi.MULTI_SYSTEM.length() + 1);
        } else {
            dirs.add(instance.resolve("events").resolve(UserEventsAbi.SYSTEM).resolve(event));
        }
        Path multi = instance.resolve("events").resolve(UserEventsAbi.MULTI_SYSTEM);
        if (Files.isDirectory(multi)) {
            Pattern version = Pattern.compile(Pattern.quote(name) + "(\\.[0-9a-fA-F]+)?");
            try (Stream<Path> listed = Files.list(multi)) {
                listed.filter(dir -> version.matcher(dir.getFileName().toString()).matches()).sorted().forEach(dirs::add);
            } catch (IOException e) {
                // the folder went with its last event: found again on the next poll
            }
        }
        for (Path dir : dirs) {
            if (enabledDirs.contains(dir)) {
                any = true;
            } else if (Files.isDirectory(dir)) {
                any |= enableDir(dir, instance.resolve("events").relativize(dir).toString().replace('/', ':'), enabledDirs);
            }
        }
        return any;
    }

    /** Turns the instance's ring buffer on ("1") or off ("0"): its own {@code tracing_on}, not the machine's. */
    private static void writeTracingOn(Path instance, String value) throws Cli.CommandFailedException {
        try {
            Files.writeString(instance.resolve(TRACING_ON), value);
        } catch (IOException e) {
            throw new Cli.CommandFailedException("record: cannot write " + value + " to " + instance.resolve(TRACING_ON)
                + ": " + e);
        }
    }

    /** Writes the filter, if any, and 1 to {@code dir}'s enable; false if it went away meanwhile. */
    private boolean enableDir(Path dir, String what, Set<Path> enabledDirs) throws Cli.CommandFailedException {
        try {
            if (filter != null) {
                Files.writeString(dir.resolve("filter"), filter);
            }
            Files.writeString(dir.resolve("enable"), "1");
            enabledDirs.add(dir);
            err.println("enabled " + what);
            return true;
        } catch (IOException e) {
            if (!Files.isDirectory(dir)) {
                return false; // unregistered between our check and the write
            }
            throw new Cli.CommandFailedException("record: cannot enable " + dir + ": " + e
                + (filter != null ? " (is the filter '" + filter + "' valid for this event's fields?)" : ""));
        }
    }

    /**
     * Prints trace_pipe's lines as they come: events (counted for {@code --count}) and the kernel's loss markers,
     * printed where the gap is and counted apart.
     */
    private Thread startReader(Path instance, AtomicLong printed, AtomicLong markedLost, AtomicBoolean done) {
        Thread reader = new Thread(() -> {
            try (InputStream pipe = Files.newInputStream(instance.resolve("trace_pipe"));
                 BufferedReader lines = new BufferedReader(new InputStreamReader(pipe, StandardCharsets.UTF_8))) {
                String line;
                while (!done.get() && (line = lines.readLine()) != null) {
                    if (done.get()) {
                        break;
                    }
                    long lost = BufferLosses.lostInLine(line);
                    boolean event = lost == BufferLosses.NOT_A_MARKER;
                    out.println(raw || !event ? line : TraceLine.readable(line));
                    out.flush();
                    if (!event) {
                        markedLost.addAndGet(lost);
                    } else if (printed.incrementAndGet() == maxEvents) {
                        done.set(true);
                    }
                }
            } catch (IOException e) {
                if (!done.get()) {
                    err.println("record: reading " + instance.resolve("trace_pipe") + " failed: " + e);
                }
            }
        }, "userevents-record-reader");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /**
     * Stops the reader, then removes the instance (the kernel disables its events and frees its buffer). A
     * reader blocked in {@code read()} on trace_pipe keeps the instance busy (its {@code trace_ref}: EBUSY from
     * {@code __remove_instance()}), so a marker written to the instance's trace_marker wakes it first.
     */
    private static void removeInstance(Path instance, AtomicBoolean done, @Nullable Thread reader) {
        done.set(true);
        if (!Files.isDirectory(instance)) {
            return;
        }
        if (reader != null && reader.isAlive()) {
            try {
                // the buffer may still be off (stopped before any event was found): a marker needs it on
                Files.writeString(instance.resolve(TRACING_ON), "1");
                Files.writeString(instance.resolve("trace_marker"), "userevents record stops\n");
                reader.join(2000);
            } catch (IOException | RuntimeException e) {
                // the rmdir below reports what is left
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                Files.deleteIfExists(instance);
                return;
            } catch (IOException | RuntimeException e) {
                sleep(POLL_MILLIS);
            }
        }
        System.err.println("record: could not remove " + instance + "; remove it with: rmdir " + instance);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
