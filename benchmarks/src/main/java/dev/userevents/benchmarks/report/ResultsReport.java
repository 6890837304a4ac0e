package dev.userevents.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns one run's raw results (a directory written by {@code benchmarks/run.sh}) into a Markdown section of
 * {@code RESULTS.md}: ns/op, differences and ratios against each baseline, and whether each target was met.
 *
 * <pre>java -cp benchmarks.jar dev.userevents.benchmarks.report.ResultsReport RESULTS_DIR &gt; section.md</pre>
 *
 * The directory holds {@code env.txt} (key=value), JMH CSV files ({@code host-disabled.csv},
 * {@code host-enabled.csv}, {@code host-logs-disabled.csv}, {@code host-logs-enabled.csv}, {@code host-scaling.csv},
 * {@code guest-enabled.csv}), the C floor's output lines
 * ({@code floor-*.txt}) and start-up timings ({@code startup-*.txt}). Missing files leave their table out.
 */
public final class ResultsReport {
    /** Most the enabled probe may cost relative to the C floor. */
    static final double ENABLED_RATIO_TARGET = 1.15;
    /** Least throughput of two threads relative to one. */
    static final double SCALING_TARGET = 1.8;
    /** Most the agent with 1,000 probes may add to a bare JVM's start-up, in ms. */
    static final double STARTUP_TARGET_MS = 300;
    /** The on-demand issue's start-up bar: 5,000 candidates add at most this to a bare JVM, host. */
    static final double CANDIDATES_STARTUP_TARGET_MS = 1_000;
    /** The on-demand issue's bar for the poll thread with 5,000 candidates: this share of one core, percent. */
    static final double POLL_TARGET_PERCENT = 0.1;

    /** Differences within this fraction of the baseline count as equal when JMH's error bars are narrower. */
    static final double NOISE = 0.02;
    static final double DISABLED_FLOOR_TARGET_NS = 0.05;
    static final double LOGGER_RATIO_TARGET = 10;
    /** Most a woven, disabled log bridge may add to a debug call below the framework's level, in ns. */
    static final double LOG_BRIDGE_DISABLED_TARGET_NS = 0.5;
    /** Fewer bytes per call than this is no allocation on the path (a real one is 16 bytes or more). */
    static final double NO_ALLOCATION = 1.0;

    private static final String OTHERS = "*others*: cores that other processes kept busy during that benchmark"
        + " (from /proc; 0 is a quiet machine). Each benchmark starts only once the machine is quiet.";

    private static final String DISABLED = "dev.userevents.benchmarks.DisabledProbeBenchmark.";
    private static final String ENABLED = "dev.userevents.benchmarks.EnabledProbeBenchmark.";
    /** The context issue's bar: context fields add at most this to an enabled probe, ns/op. */
    private static final double THREAD_CONTEXT_TARGET_NS = 50;
    private static final String SCALING = "dev.userevents.benchmarks.ScalingBenchmark.";
    private static final String SINK = "dev.userevents.benchmarks.SinkBenchmark.";
    private static final String LOGS_OFF = "dev.userevents.benchmarks.LogBridgeDisabledBenchmark.";
    private static final String LOGS_ON = "dev.userevents.benchmarks.LogBridgeEnabledBenchmark.";
    /** The log bridge benchmarks' framework prefixes and names. */
    private static final String[][] LOG_FRAMEWORKS = {
        {"logback", "Logback 1.5 (SLF4J 2)"}, {"log4j", "Log4j 2"}, {"jul", "java.util.logging"},
    };
    /** The probe benchmarks' sink suffixes: devnull&lt;X&gt;, kernel&lt;X&gt;. */
    private static final String[] PROBE_SINKS = {"Default", "Channel", "Jna"};

    private final Path dir;
    private final Map<String, String> env;
    private final StringBuilder out = new StringBuilder();
    private final List<String> verdicts = new ArrayList<>();

    private ResultsReport(Path dir) throws IOException {
        this.dir = dir;
        this.env = keyValues(dir.resolve("env.txt"));
    }

    /**
     * Prints the section for one run's results to standard output; exits with status 2 on a wrong argument count.
     *
     * @param args the results directory, alone
     * @throws IOException if a results file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ResultsReport RESULTS_DIR");
            System.exit(2);
        }
        System.out.print(new ResultsReport(Paths.get(args[0])).render());
    }

    String render() throws IOException {
        line("## " + env.getOrDefault("title", "Results"));
        line("");
        environment();
        StringBuilder tables = new StringBuilder();
        String saved = out.toString();
        out.setLength(0);
        disabled();
        enabledHost();
        sinks();
        logBridges();
        enabledGuest();
        scaling();
        startup();
        tables.append(out);
        out.setLength(0);
        out.append(saved);
        line("### Targets");
        line("");
        if (verdicts.isEmpty()) {
            line("No results to judge.");
        }
        for (String verdict : verdicts) {
            line("- " + verdict);
        }
        line("");
        out.append(tables);
        return out.toString();
    }

    private void environment() {
        line("| | |");
        line("|---|---|");
        row("command", code(env.get("command")));
        row("date", env.get("date"));
        row("source", env.get("git"));
        row("agent", env.get("agent"));
        row("JDK", env.get("jdk"));
        row("host kernel", env.get("host_kernel"));
        row("guest kernel", env.get("guest_kernel"));
        row("CPU", env.get("cpu"));
        row("JMH, host", code(env.get("jmh_host")));
        if (env.containsKey("jmh_disabled")) {
            row("JMH, host, disabled / two threads", code(env.get("jmh_disabled")) + " / " + code(env.get("jmh_scaling")));
        }
        row("JMH, host, log bridges enabled", code(env.get("jmh_logs_enabled")));
        row("JMH, guest", code(env.get("jmh_guest")));
        row("load before the run", env.get("load_before"));
        for (Map.Entry<String, String> entry : env.entrySet()) {
            if (entry.getKey().startsWith("other_cpu.")) {
                row("other processes' CPU, " + entry.getKey().substring("other_cpu.".length()), entry.getValue());
            }
        }
        line("");
        line("\"Other processes' CPU\" is the machine's busy time minus this run's own (from /proc), in cores:"
            + " what else ran beside the benchmark. 0 is a quiet machine; the host has "
            + env.getOrDefault("cores", "?") + " cores.");
        line("");
    }

    private void row(String name, @Nullable String value) {
        if (value != null && !value.isEmpty()) {
            line("| " + name + " | " + value + " |");
        }
    }

    // ---------------------------------------------------------------- disabled path

    private void disabled() throws IOException {
        Map<String, Score> s = jmh("host-disabled.csv");
        if (s.isEmpty()) {
            return;
        }
        Score base = s.get(DISABLED + "noAgent");
        Score baseOutOfLine = s.get(DISABLED + "noAgentNotInlined");
        line("### Disabled probes (host)");
        line("");
        line("The same method, `Orders.place(int, long, String)`, called as an application calls it (inlined by"
            + " the JIT), with tracing off in each way. Δ is the difference from (a); ± is JMH's 99.9% error.");
        line("");
        line("| | what | ns/op | Δ vs (a), ns | B/op | others |");
        line("|---|---|---:|---:|---:|---:|");
        disabledRow("(a)", "no agent (baseline)", s.get(DISABLED + "noAgent"), base);
        disabledRow("(b)", "`@Tracepoint`, agent mode=dry (enable word reads 0)", s.get(DISABLED + "agentDry"), base);
        disabledRow("(b-eh)", "`@Tracepoint`, agent mode=dry, format=eventheader (the shared tracepoint's word)",
            s.get(DISABLED + "agentDryEventHeader"), base);
        disabledRow("(b'')", "`@Tracepoint(exit = true)`, agent mode=dry (entry and exit off)",
            s.get(DISABLED + "agentDryWithExit"), base);
        disabledRow("(g)", "`@Tracepoint`, agent mode=dry, context=thread", s.get(DISABLED + "agentDryThreadContext"), base);
        disabledRow("(h)", "`@Tracepoint(stack = true)`, agent mode=dry", s.get(DISABLED + "agentDryStack"), base);
        disabledRow("(k)", "on-demand candidate, agent mode=dry (no tracer: never woven)",
            s.get(DISABLED + "agentDryCandidate"), base);
        disabledRow("(e)", "floor: hand-written `NativeWords.loInt(word) != 0` guard", s.get(DISABLED + "nativeWordFloor"), base);
        disabledRow("(f)", "agent mode=kernel, host without user_events (nothing woven)",
            s.get(DISABLED + "agentKernelWithoutUserEvents"), base);
        disabledRow("(c)", "JFR event, `shouldCommit()` guard, no recording", s.get(DISABLED + "jfrNoRecording"), base);
        disabledRow("(c')", "JFR event off, recording with JFR's default settings running",
            s.get(DISABLED + "jfrRecordingEventOff"), base);
        disabledRow("(d)", "java.util.logging `log(FINE, msg, {id, cents, customer})`, FINE off",
            s.get(DISABLED + "julFineNotLogged"), base);
        disabledRow("(a')", "no agent, method not inlined (`DONT_INLINE`)", baseOutOfLine, baseOutOfLine);
        disabledRow("(b')", "agent mode=dry, method not inlined", s.get(DISABLED + "agentDryNotInlined"), baseOutOfLine);
        line("");
        line(OTHERS);
        line("");

        Score dry = s.get(DISABLED + "agentDry");
        Score floor = s.get(DISABLED + "nativeWordFloor");
        Score kernel = s.get(DISABLED + "agentKernelWithoutUserEvents");
        if (base != null && dry != null && floor != null) {
            // The bar: within 0.05 ns/op of the floor. Woven code is the floor's instructions, so any
            // difference is measurement noise; say which it is rather than hide it in generous error bars.
            double over = dry.score - floor.score;
            double error = errorOf(dry) + errorOf(floor);
            String verdict = over <= DISABLED_FLOOR_TARGET_NS ? "met"
                : over <= DISABLED_FLOOR_TARGET_NS + error ? "met within the error bars" : "missed";
            verdicts.add(String.format(Locale.ROOT, "Disabled probe within %.2f ns/op of its hand-written floor: (b) %s"
                    + " vs (e) %s ns/op, difference %s ± %s ns -> **%s**", DISABLED_FLOOR_TARGET_NS, f(dry.score),
                f(floor.score), signed(over), f(error), verdict));
        }
        eventHeaderDisabledVerdict(s.get(DISABLED + "agentDryEventHeader"), dry, floor);
        Score logger = s.get(DISABLED + "julFineNotLogged");
        if (base != null && dry != null && logger != null) {
            // Added cost over (a); a probe measured at or below (a) is counted at the smallest step reported.
            double probeAdds = Math.max(dry.score - base.score, 0.01);
            double loggerAdds = logger.score - base.score;
            double ratio = loggerAdds / probeAdds;
            verdicts.add(String.format(Locale.ROOT, "Disabled probe adds at least %.0fx less than a disabled logger call:"
                    + " (d) adds %s ns, (b) adds %s ns: %.1fx -> **%s**", LOGGER_RATIO_TARGET, signed(loggerAdds),
                signed(dry.score - base.score), ratio, ratio >= LOGGER_RATIO_TARGET ? "met" : "missed"));
        }
        if (base != null && kernel != null) {
            double margin = Math.max(errorOf(kernel) + errorOf(base), NOISE * base.score);
            boolean met = Math.abs(kernel.score - base.score) <= margin;
            verdicts.add(String.format(Locale.ROOT, "Agent without user_events costs exactly nothing: (f) %s ns/op vs"
                    + " (a) %s ns/op (Δ %s, error bars ±%s) -> **%s**", f(kernel.score), f(base.score),
                signed(kernel.score - base.score), f(margin), met ? "met" : "missed"));
        }
    }

    /**
     * The EventHeader issue's bar: the woven check loads the shared tracepoint's word instead of the event's own,
     * so the disabled path must cost what it costs in tracefs. Unchanged when (b-eh) is within {@link #NOISE} of
     * both (b), the tracefs probe, and (e), the hand-written load and test; unchanged within the error bars when
     * within JMH's error bars of both; changed otherwise.
     */
    private void eventHeaderDisabledVerdict(@Nullable Score eventHeader, @Nullable Score tracefs, @Nullable Score floor) {
        if (eventHeader == null || (tracefs == null && floor == null)) {
            return;
        }
        String[] names = {"(b) tracefs", "(e) floor"};
        Score[] baselines = {tracefs, floor};
        List<String> against = new ArrayList<>();
        boolean unchanged = true;
        boolean withinNoise = true;
        for (int i = 0; i < baselines.length; i++) {
            Score other = baselines[i];
            if (other == null) {
                continue;
            }
            double delta = eventHeader.score - other.score;
            double margin = Math.max(errorOf(eventHeader) + errorOf(other), NOISE * other.score);
            unchanged &= Math.abs(delta) <= margin;
            withinNoise &= Math.abs(delta) <= NOISE * other.score;
            against.add(String.format(Locale.ROOT, "vs %s %s ns/op (Δ %s, error bars ±%s)", names[i], f(other.score),
                signed(delta), f(margin)));
        }
        verdicts.add(String.format(Locale.ROOT, "Disabled probe unchanged under format=eventheader: (b-eh) %s ns/op %s"
            + " -> **%s**", f(eventHeader.score), String.join("; ", against),
            !unchanged ? "changed" : withinNoise ? "unchanged" : "unchanged within the error bars"));
    }

    private void disabledRow(String label, String what, @Nullable Score score, @Nullable Score base) {
        if (score == null) {
            return;
        }
        String delta = base == null || score == base ? "" : signed(score.score - base.score);
        line("| " + label + " | " + what + " | " + score.withError() + " | " + delta + " | " + bytes(score) + " | "
            + score.others + " |");
    }

    // ---------------------------------------------------------------- enabled path

    /** What sink=auto chose on this run's JDK (run.sh records it): downcall on JDK 22+, pwrite before. */
    private String defaultSink() {
        return env.getOrDefault("default_sink", "auto");
    }

    /** "default (pwrite)" for the default sink, else the sink's option value. */
    private String sinkLabel(String sink) {
        String name = sink.toLowerCase(Locale.ROOT);
        return name.equals("default") ? "default (" + defaultSink() + ")" : name;
    }

    private void enabledHost() throws IOException {
        Map<String, Score> s = jmh("host-enabled.csv");
        Floor floor = floor("floor-host-devnull-1.txt");
        if (s.isEmpty() && floor == null) {
            return;
        }
        line("### Enabled probes, /dev/null (host)");
        line("");
        line("Agent mode=devnull: every call encodes `(int, long, 16-char String)` into a 37-byte payload and writes it"
            + " to /dev/null with one write(). The floor is `write_floor devnull` (C): the same check, encoding and"
            + " write() in a loop, median of " + (floor == null ? "?" : floor.runs) + " runs of "
            + (floor == null ? "?" : floor.iterations) + " writes.");
        line("");
        enabledTable(s, floor, new String[][] {
            {"devnullDefault", "`@Tracepoint`, default sink (" + defaultSink() + ")"},
            {"devnullEventHeader", "`@Tracepoint`, default sink, format=eventheader (header and metadata copied, string"
                + " counted)"},
            {"devnullCandidate", "on-demand candidate, enabled from the start (woven by the poll in warm-up)"},
            {"devnullThreadContext", "`@Tracepoint`, default sink, context=thread (+ java_tid, virtual)"},
            {"devnullOtel", "`@Tracepoint`, default sink, context=otel, inside a span (+ trace_id, span_id)"},
            {"devnullThreadAndOtel", "`@Tracepoint`, default sink, context=thread;otel, inside a span"},
            {"devnullStack1", "`@Tracepoint(stack = true)`, stackDepth=1"},
            {"devnullStack8", "`@Tracepoint(stack = true)`, stackDepth=8"},
            {"devnullStack32", "`@Tracepoint(stack = true)`, stackDepth=32"},
            {"devnullJna", "`@Tracepoint`, sink=jna (libc write through JNA)"},
            {"devnullChannel", "`@Tracepoint`, sink=channel (FileChannel)"},
            {"jfrEnabled", "JFR event on, in-memory recording (reference)"},
            {"noAgent", "the method, untraced"},
        }, "C floor: write() to /dev/null", "host /dev/null");
        Score plain = s.get(ENABLED + "devnullDefault");
        Score eventHeader = s.get(ENABLED + "devnullEventHeader");
        if (plain != null && eventHeader != null) {
            // No bar in the issue: the row says what EventHeader's encoding costs beside tracefs.
            verdicts.add(String.format(Locale.ROOT, "EventHeader encoding (format=eventheader), host /dev/null, for"
                    + " information: %s vs %s ns/op in tracefs, %s ± %s ns, %s vs %s B/op", f(eventHeader.score),
                f(plain.score), signed(eventHeader.score - plain.score), f(errorOf(eventHeader) + errorOf(plain)),
                bytes(eventHeader), bytes(plain)));
        }
        Score context = s.get(ENABLED + "devnullThreadAndOtel");
        if (plain != null && context != null) {
            double added = context.score - plain.score;
            double error = errorOf(plain) + errorOf(context);
            String verdict = added <= THREAD_CONTEXT_TARGET_NS ? "met"
                : added <= THREAD_CONTEXT_TARGET_NS + error ? "met within the error bars" : "missed";
            verdicts.add(String.format(Locale.ROOT, "Thread and OpenTelemetry context (context=thread;otel, in a span) adds at most %.0f ns to an enabled"
                    + " probe, host /dev/null: %s vs %s ns/op, %s ± %s ns -> **%s**", THREAD_CONTEXT_TARGET_NS,
                f(context.score), f(plain.score), signed(added), f(error), verdict));
        }
    }

    /** The write path alone: where the enabled probe's cost over the C floor goes. */
    private void sinks() throws IOException {
        Map<String, Score> s = jmh("host-sinks.csv");
        Map<String, Score> probes = jmh("host-enabled.csv");
        Floor floor = floor("floor-host-devnull-1.txt");
        if (s.isEmpty()) {
            return;
        }
        line("Where it goes: the sinks alone (`SinkBenchmark`, no agent) write an already encoded 37-byte event to"
            + " /dev/null; the probe's cost beyond its sink is encoding and the probe runtime (buffer pool, checks,"
            + " counters).");
        line("");
        line("| write path | write alone, ns/op | × C floor | probe with it, ns/op | probe − write alone, ns | B/op | others |");
        line("|---|---:|---:|---:|---:|---:|---:|");
        String[][] rows = {
            {"downcall", defaultSink().equals("downcall") ? "devnullDefault" : null,
                "FFM downcall to libc pwrite() (sink=downcall, JDK 22+)"},
            {"downcallCritical", null, "the same downcall, `Linker.Option.critical` (not used: it holds up safepoints)"},
            {"pwrite", defaultSink().equals("pwrite") ? "devnullDefault" : null,
                "the JDK's JNI stub for pwrite(), no FileChannel (sink=pwrite)"},
            {"jna", "devnullJna", "libc write() through JNA direct mapping (sink=jna)"},
            {"channel", "devnullChannel", "FileChannel.write(buffer, 0), i.e. pwrite() (sink=channel)"},
            {"fileOutputStream", null, "FileOutputStream.write(byte[]) (not an agent sink)"},
        };
        for (String[] r : rows) {
            Score sink = s.get(SINK + r[0]);
            if (sink == null) {
                continue;
            }
            Score probe = r[1] == null ? null : probes.get(ENABLED + r[1]);
            line("| " + r[2] + " | " + sink.withError() + " | "
                + (floor == null ? "" : String.format(Locale.ROOT, "%.2f", sink.score / floor.nsPerOp)) + " | "
                + (probe == null ? "" : f(probe.score)) + " | " + (probe == null ? "" : signed(probe.score - sink.score))
                + " | " + bytes(sink) + " | " + sink.others + " |");
        }
        line("");
    }

    // ---------------------------------------------------------------- log bridges

    /**
     * The log bridges (agent/logs): a debug call below the framework's level, disabled (no agent, mode=dry,
     * logs=false) and enabled (mode=devnull, against the framework's own formatting of the message).
     */
    private void logBridges() throws IOException {
        Map<String, Score> off = jmh("host-logs-disabled.csv");
        Map<String, Score> on = jmh("host-logs-enabled.csv");
        if (off.isEmpty() && on.isEmpty()) {
            return;
        }
        line("### Log bridges (host)");
        line("");
        line("The same debug call in each framework, below its level (INFO; the frameworks' appenders discard, and"
            + " nothing reaches them): `logger.debug(\"order {} for {}\", id, customer)` in Logback (through SLF4J)"
            + " and Log4j 2, `logger.log(Level.FINE, \"order {0} for {1}\", new Object[] {id, customer})` in"
            + " java.util.logging (`LogBridgeDisabledBenchmark`, `LogBridgeEnabledBenchmark`). The id is outside"
            + " `Integer`'s cache, so B/op includes its box wherever the JIT does not remove it.");
        line("");
        if (!off.isEmpty()) {
            line("Disabled: (a) no agent; (b) agent mode=dry: the framework's logger woven, the log events' enable"
                + " word reads 0 (one load, a test, a branch); (c) agent mode=dry, `logs=false`: nothing woven."
                + " ± is JMH's 99.9% error.");
            line("");
            line(String.format(Locale.ROOT, "| framework | (a) no agent, ns/op | (b) woven, dry, ns/op | (b) − (a), ns"
                + " | (c) logs=false, ns/op | (c) − (a), ns | B/op (a) / (b) / (c) | (b) − (a) ≤ %.2f ns, no B/op added"
                + " | others (a / b / c) |", LOG_BRIDGE_DISABLED_TARGET_NS));
            line("|---|---:|---:|---:|---:|---:|---:|---|---:|");
            for (String[] framework : LOG_FRAMEWORKS) {
                Score base = off.get(LOGS_OFF + framework[0] + "NoAgent");
                Score dry = off.get(LOGS_OFF + framework[0] + "Dry");
                Score unwoven = off.get(LOGS_OFF + framework[0] + "LogsOff");
                if (base == null || dry == null) {
                    continue;
                }
                double over = dry.score - base.score;
                double error = errorOf(dry) + errorOf(base);
                double added = bytesOrZero(dry) - bytesOrZero(base);
                boolean allocates = added >= NO_ALLOCATION;
                String verdict = allocates ? "missed" : over <= LOG_BRIDGE_DISABLED_TARGET_NS ? "met"
                    : over <= LOG_BRIDGE_DISABLED_TARGET_NS + error ? "met within the error bars" : "missed";
                line("| " + framework[1] + " | " + base.withError() + " | " + dry.withError() + " | " + signed(over)
                    + " | " + (unwoven == null ? "" : unwoven.withError()) + " | "
                    + (unwoven == null ? "" : signed(unwoven.score - base.score)) + " | " + bytes(base) + " / "
                    + bytes(dry) + " / " + (unwoven == null ? "" : bytes(unwoven)) + " | **" + verdict + "** | "
                    + base.others + " / " + dry.others + " / " + (unwoven == null ? "" : unwoven.others) + " |");
                verdicts.add(String.format(Locale.ROOT, "Disabled log bridge adds ≤ %.2f ns and no allocation to a"
                        + " debug call below the level, %s: (b) %s vs (a) %s ns/op, %s ± %s ns, %s B/op added -> **%s**",
                    LOG_BRIDGE_DISABLED_TARGET_NS, framework[1], f(dry.score), f(base.score), signed(over), f(error),
                    added < NO_ALLOCATION ? "0" : f(added), verdict));
            }
            line("");
            line(OTHERS);
            line("");
        }
        if (on.isEmpty()) {
            return;
        }
        Floor floor = floor("floor-host-devnull-1.txt");
        Score probe = jmh("host-enabled.csv").get(ENABLED + "devnullDefault");
        double probeOwn = probe == null || floor == null ? Double.NaN : probe.score - floor.nsPerOp;
        line("Enabled: agent mode=devnull, every log event traced: the bridge formats the message as the framework"
            + " would and writes a `log_debug` event (logger, message, thread name, thrown: strings) to /dev/null"
            + " with one write(); the framework itself still logs nothing. Against the framework's own formatting of"
            + " the same message without the agent (what any logged record costs): Logback `MessageFormatter"
            + ".arrayFormat(...).getMessage()`, Log4j the logger's message factory and `getFormattedMessage()`, JUL"
            + " `MessageFormat.format` (as `Formatter.formatMessage`). Bridge − formatting − the C floor's write() is"
            + " the bridge's own cost, to compare with what an enabled `@Tracepoint` adds to the same floor"
            + (probe == null || floor == null ? "." : String.format(Locale.ROOT, " (%s − %s = %s ns in this run).",
                f(probe.score), f(floor.nsPerOp), signed(probeOwn))));
        line("");
        line("| framework | formatting alone, no agent, ns/op | bridge, mode=devnull, ns/op | bridge − formatting, ns"
            + " | bridge − formatting − C floor, ns | `@Tracepoint` − C floor, ns | B/op formatting / bridge | others |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (String[] framework : LOG_FRAMEWORKS) {
            Score format = on.get(LOGS_ON + framework[0] + "FormatOnly");
            Score bridge = on.get(LOGS_ON + framework[0] + "Devnull");
            if (format == null || bridge == null) {
                continue;
            }
            double overFormat = bridge.score - format.score;
            double own = floor == null ? Double.NaN : overFormat - floor.nsPerOp;
            line("| " + framework[1] + " | " + format.withError() + " | " + bridge.withError() + " | "
                + signed(overFormat) + " | " + (floor == null ? "" : signed(own)) + " | "
                + (Double.isNaN(probeOwn) ? "" : signed(probeOwn)) + " | " + bytes(format) + " / " + bytes(bridge)
                + " | " + format.others + " / " + bridge.others + " |");
            if (floor != null) {
                // The enabled path must have run: a write() per call costs at least most of the C floor.
                boolean ran = overFormat >= 0.5 * floor.nsPerOp;
                // The target: the framework's formatting plus at most what an enabled probe adds to the floor.
                double error = errorOf(bridge) + errorOf(format) + (probe == null ? 0 : errorOf(probe));
                String verdict = !ran ? "**suspect**: less than half a write() over formatting, the enabled path may"
                    + " not have run" : Double.isNaN(probeOwn) ? "no probe row to compare with"
                    : own <= probeOwn ? "**met**" : own <= probeOwn + error ? "**met within the error bars**"
                    : String.format(Locale.ROOT, "**missed** by %.2f ns", own - probeOwn);
                verdicts.add(String.format(Locale.ROOT, "Enabled log bridge costs formatting + at most an enabled"
                        + " `@Tracepoint`'s overhead over the C floor, %s: %s ns/op, %s over the framework's own formatting,"
                        + " of which %s beyond the write() (an enabled `@Tracepoint`: %s) -> %s", framework[1],
                    f(bridge.score), signed(overFormat), signed(own), Double.isNaN(probeOwn) ? "?" : signed(probeOwn),
                    verdict));
            }
        }
        Score tracefsLog = on.get(LOGS_ON + "logbackDevnull");
        Score commonSchema = on.get(LOGS_ON + "logbackDevnullEventHeader");
        if (tracefsLog != null && commonSchema != null) {
            // No bar in the issue: the row says what the Common Schema layout costs beside the tracefs log event.
            verdicts.add(String.format(Locale.ROOT, "Common Schema log event (format=eventheader), Logback, host /dev/null,"
                    + " for information: %s vs %s ns/op as a tracefs log_debug, %s ± %s ns, %s vs %s B/op",
                f(commonSchema.score), f(tracefsLog.score), signed(commonSchema.score - tracefsLog.score),
                f(errorOf(commonSchema) + errorOf(tracefsLog)), bytes(commonSchema), bytes(tracefsLog)));
        }
        line("");
        line(OTHERS);
        line("");
    }

    private void enabledGuest() throws IOException {
        Map<String, Score> s = jmh("guest-enabled.csv");
        Floor floor = floor("floor-guest-user_events-1.txt");
        if (s.isEmpty() && floor == null) {
            return;
        }
        line("### Enabled probes, real user_events (guest kernel, emulated)");
        line("");
        line("Agent mode=kernel in the QEMU guest (TCG, single-threaded emulation): `bench_order` enabled through"
            + " tracefs, so ftrace records every event. The floor is `write_floor user_events` (C): the same format"
            + " registered, enabled the same way, the same payload written to user_events_data.");
        line("");
        enabledTable(s, floor, new String[][] {
            {"kernelDefault", "`@Tracepoint`, default sink (" + defaultSink() + ")"},
            {"kernelJna", "`@Tracepoint`, sink=jna"},
            {"kernelChannel", "`@Tracepoint`, sink=channel"},
            {"jfrEnabled", "JFR event on, in-memory recording"},
            {"noAgent", "the method, untraced"},
        }, "C floor: write() to user_events_data", "guest user_events");
        emulationCheck(s);
    }

    /**
     * Emulation does not slow user code and kernel code alike, so guest ratios are not the host's. The same
     * /dev/null comparison on both shows by how much; the host's own overhead (probe minus floor, in ns) over
     * a user_events floor scaled from the guest then estimates the ratio on real hardware.
     */
    private void emulationCheck(Map<String, Score> guest) throws IOException {
        Map<String, Score> host = jmh("host-enabled.csv");
        Floor hostNull = floor("floor-host-devnull-1.txt");
        Floor guestNull = floor("floor-guest-devnull-1.txt");
        Floor guestEvents = floor("floor-guest-user_events-1.txt");
        if (hostNull == null || guestNull == null) {
            return;
        }
        line("How emulation distorts these ratios: the same /dev/null comparison on the host and in the guest.");
        line("");
        line("| what | host ns/op | host × floor | guest ns/op | guest × floor | guest / host time |");
        line("|---|---:|---:|---:|---:|---:|");
        line(String.format(Locale.ROOT, "| C floor: write() to /dev/null | %s | 1.00 | %s | 1.00 | %.1f |",
            f(hostNull.nsPerOp), f(guestNull.nsPerOp), guestNull.nsPerOp / hostNull.nsPerOp));
        String[][] rows = {
            {"devnullDefault", "`@Tracepoint`, devnull, default sink (" + defaultSink() + ")"},
            {"devnullJna", "`@Tracepoint`, devnull, sink=jna"},
            {"devnullChannel", "`@Tracepoint`, devnull, sink=channel"},
            {"noAgent", "the method, untraced"},
        };
        for (String[] r : rows) {
            Score h = host.get(ENABLED + r[0]);
            Score g = guest.get(ENABLED + r[0]);
            if (h == null || g == null) {
                continue;
            }
            line(String.format(Locale.ROOT, "| %s | %s | %.2f | %s | %.2f | %.0f |", r[1], f(h.score),
                h.score / hostNull.nsPerOp, f(g.score), g.score / guestNull.nsPerOp, g.score / h.score));
        }
        line("");
        if (guestEvents == null) {
            return;
        }
        double estimatedFloor = hostNull.nsPerOp * guestEvents.nsPerOp / guestNull.nsPerOp;
        line(String.format(Locale.ROOT, "Estimate for real hardware: the C floor on user_events_data ≈ host /dev/null floor ×"
            + " (guest user_events floor / guest /dev/null floor) = %s × %s / %s ≈ %s ns, assuming emulation slows"
            + " both kernel paths alike; our own cost is what the probe adds over the floor on the host.",
            f(hostNull.nsPerOp), f(guestEvents.nsPerOp), f(guestNull.nsPerOp), f(estimatedFloor)));
        line("");
        line("| sink | host: probe − floor, ns | estimated user_events floor, ns | estimated × C floor |");
        line("|---|---:|---:|---:|");
        for (String sink : PROBE_SINKS) {
            Score h = host.get(ENABLED + "devnull" + sink);
            if (h == null) {
                continue;
            }
            double own = h.score - hostNull.nsPerOp;
            double ratio = (estimatedFloor + own) / estimatedFloor;
            line(String.format(Locale.ROOT, "| %s | %s | %s | %.2f |", sinkLabel(sink), signed(own),
                f(estimatedFloor), ratio));
            verdicts.add(String.format(Locale.ROOT, "Enabled probe / C floor ≤ %.2fx, user_events on real hardware"
                    + " (estimate from host and guest, see the guest table), sink=%s: %.2fx -> **%s**",
                ENABLED_RATIO_TARGET, sinkLabel(sink), ratio,
                ratio <= ENABLED_RATIO_TARGET ? "met (estimated)" : "missed (estimated)"));
        }
        line("");
    }

    private void enabledTable(Map<String, Score> s, @Nullable Floor floor, String[][] rows, String floorName, String where) {
        line("| what | ns/op | × C floor | B/op | others |");
        line("|---|---:|---:|---:|---:|");
        if (floor != null) {
            line("| " + floorName + " | " + f(floor.nsPerOp) + " | 1.00 | 0 | " + floor.others + " |");
        }
        for (String[] r : rows) {
            Score score = s.get(ENABLED + r[0]);
            if (score == null) {
                continue;
            }
            String ratio = floor == null ? "" : String.format(Locale.ROOT, "%.2f", score.score / floor.nsPerOp);
            line("| " + r[1] + " | " + score.withError() + " | " + ratio + " | " + bytes(score) + " | " + score.others + " |");
        }
        line("");
        if (where.startsWith("host")) {
            line(OTHERS);
            line("");
        }
        for (String sink : PROBE_SINKS) {
            String name = where.startsWith("host") ? "devnull" + sink : "kernel" + sink;
            Score score = s.get(ENABLED + name);
            if (score == null || floor == null) {
                continue;
            }
            double ratio = score.score / floor.nsPerOp;
            boolean met = ratio <= ENABLED_RATIO_TARGET;
            verdicts.add(String.format(Locale.ROOT, "Enabled probe / C floor ≤ %.2fx, %s, sink=%s: %s / %s ns = %.2fx -> **%s**%s",
                ENABLED_RATIO_TARGET, where, sinkLabel(sink), f(score.score), f(floor.nsPerOp), ratio,
                met ? "met" : "missed", met ? "" : String.format(Locale.ROOT, " by %.2fx (%s ns over the target)",
                    ratio - ENABLED_RATIO_TARGET, f(score.score - ENABLED_RATIO_TARGET * floor.nsPerOp))));
            Double allocated = score.bytesPerOp;
            if (allocated != null) {
                boolean zero = allocated < NO_ALLOCATION;
                verdicts.add(String.format(Locale.ROOT, "Enabled probe allocates nothing, %s, sink=%s: %s B/op -> **%s**",
                    where, sinkLabel(sink), bytes(score), zero ? "met" : "missed"));
            }
        }
    }

    // ---------------------------------------------------------------- scaling

    private void scaling() throws IOException {
        Map<String, Score> s = jmh("host-scaling.csv");
        Floor one = floor("floor-host-devnull-1.txt");
        Floor two = floor("floor-host-devnull-2.txt");
        if (s.isEmpty() && two == null) {
            return;
        }
        line("### Two threads emitting at once (host, mode=devnull)");
        line("");
        line("Throughput of all threads together. The C floor's two threads show what the machine itself allows"
            + " (two cores, shared with whatever else ran).");
        line("");
        line("| what | 1 thread, ops/µs | 2 threads, ops/µs | 2 threads / 1 thread | others (1 / 2 threads) |");
        line("|---|---:|---:|---:|---:|");
        if (one != null && two != null) {
            line(String.format(Locale.ROOT, "| C floor: write() to /dev/null | %.3f | %.3f | %.2f | %s / %s |",
                one.opsPerMicro, two.opsPerMicro, two.opsPerMicro / one.opsPerMicro, one.others, two.others));
        }
        String[][] sinkRows = {
            {"pwriteSink", "write alone (no agent): the JDK's pwrite stub"},
            {"channelSink", "write alone (no agent): FileChannel"},
        };
        StringBuilder sinkLines = new StringBuilder();
        for (String[] r : sinkRows) {
            Score single = s.get(SCALING + r[0] + "OneThread");
            Score dual = s.get(SCALING + r[0] + "TwoThreads");
            if (single != null && dual != null) {
                sinkLines.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %s / %s |%n", r[1],
                    single.withError(3), dual.withError(3), dual.score / single.score, single.others, dual.others));
            }
        }
        for (String sink : new String[] {"default", "jna", "channel"}) {
            Score single = s.get(SCALING + sink + "OneThread");
            Score dual = s.get(SCALING + sink + "TwoThreads");
            if (single == null || dual == null) {
                continue;
            }
            double ratio = dual.score / single.score;
            line(String.format(Locale.ROOT, "| `@Tracepoint`, sink=%s | %s | %s | %.2f | %s / %s |", sinkLabel(sink),
                single.withError(3), dual.withError(3), ratio, single.others, dual.others));
            boolean met = ratio >= SCALING_TARGET;
            String machine = one != null && two != null ? String.format(Locale.ROOT, "; the C floor scaled %.2fx",
                two.opsPerMicro / one.opsPerMicro) : "";
            verdicts.add(String.format(Locale.ROOT, "Two threads ≥ %.1fx one thread, sink=%s: %.2fx -> **%s**%s%s",
                SCALING_TARGET, sinkLabel(sink), ratio, met ? "met" : "missed",
                met ? "" : String.format(Locale.ROOT, " by %.2fx", SCALING_TARGET - ratio), machine));
        }
        out.append(sinkLines);
        line("");
    }

    // ---------------------------------------------------------------- start-up

    private void startup() throws IOException {
        startupTable("startup-host.txt", "host, agent mode=dry", "host");
        startupTable("startup-guest.txt", "guest kernel, agent mode=kernel: real registrations (emulated)", "guest");
        Path pollFile = dir.resolve("poll-host.txt");
        Map<String, String> poll = new LinkedHashMap<>();
        if (Files.exists(pollFile)) {
            for (String text : Files.readAllLines(pollFile, StandardCharsets.UTF_8)) {
                poll.putAll(fields(text));
            }
        }
        String share = poll.get("share_of_one_core_percent");
        if (share != null) {
            double percent = Double.parseDouble(share);
            verdicts.add(String.format(Locale.ROOT, "On-demand poll thread, 5,000 candidates, host: %.3f %% of one core"
                + " over %s ms (target < %.1f %%) -> **%s**", percent, poll.getOrDefault("wall_ms", "?"),
                POLL_TARGET_PERCENT, percent < POLL_TARGET_PERCENT ? "met" : "missed"));
        }
    }

    private void startupTable(String file, String title, String where) throws IOException {
        Path path = dir.resolve(file);
        if (!Files.exists(path)) {
            return;
        }
        Map<String, Map<String, String>> variants = new LinkedHashMap<>();
        Map<String, String> facts = new LinkedHashMap<>();
        for (String text : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            Map<String, String> fields = fields(text);
            if (fields.containsKey("variant")) {
                variants.put(fields.get("variant"), fields);
            } else {
                facts.putAll(fields);
            }
        }
        Map<String, String> bare = variants.get("bare");
        double bareMs = bare == null ? Double.NaN : Double.parseDouble(bare.get("median_ms"));
        line("### Start-up, " + title);
        line("");
        line("Wall time of whole `java` processes running a trivial main, median of " + facts.getOrDefault("runs", "?")
            + " runs (variants interleaved). The probe class has 1,000 generated `@Tracepoint` methods (the exit"
            + " variant's, `@Tracepoint(exit = true)`: 2,000 events); "
            + facts.getOrDefault("probes_woven", "?") + " were woven in the checking run, whose agent log said: \""
            + facts.getOrDefault("agent_says", "").replace('+', ' ') + "\"; weaving the 1,000-method class took "
            + facts.getOrDefault("weave_1000", "?").replace('+', ' ') + " by the agent's own clock.");
        line("");
        line("| variant | median, ms | Δ vs bare JVM, ms | all runs, ms |");
        line("|---|---:|---:|---|");
        for (Map<String, String> v : variants.values()) {
            double median = Double.parseDouble(v.get("median_ms"));
            line("| " + v.getOrDefault("label", v.get("variant")) + " | " + f1(median) + " | "
                + (v == bare ? "" : signed1(median - bareMs)) + " | " + v.getOrDefault("runs_ms", "").replace(",", ", ") + " |");
        }
        line("");
        startupVerdict(variants.get("agent_1000_probes"), "1,000 probes", bare, bareMs, where, STARTUP_TARGET_MS);
        startupVerdict(variants.get("agent_1000_exit_probes"), "1,000 entry and exit probes", bare, bareMs, where,
            STARTUP_TARGET_MS);
        startupVerdict(variants.get("agent_5000_candidates"), "5,000 on-demand candidates", bare, bareMs, where,
            CANDIDATES_STARTUP_TARGET_MS);
    }

    private void startupVerdict(@Nullable Map<String, String> probes, String what, @Nullable Map<String, String> bare,
                                double bareMs, String where, double targetMs) {
        if (probes != null && bare != null) {
            double added = Double.parseDouble(probes.get("median_ms")) - bareMs;
            boolean met = added <= targetMs;
            String verdict = String.format(Locale.ROOT, "Agent with %s adds ≤ %.0f ms to a bare JVM, %s: +%s ms -> **%s**%s",
                what, targetMs, where, f1(added), met ? "met" : "missed",
                met ? "" : String.format(Locale.ROOT, " by %s ms", f1(added - targetMs)));
            if (where.equals("guest")) {
                verdict += " (emulated time: a bare JVM takes " + f1(bareMs) + " ms here vs "
                    + env.getOrDefault("host_bare_ms", "?") + " ms on the host; informational)";
            }
            verdicts.add(verdict);
        }
    }

    // ---------------------------------------------------------------- inputs

    /** A JMH primary result and the secondary results that matter here. */
    static final class Score {
        double score;
        double error;
        @Nullable String unit;
        @Nullable Double bytesPerOp;
        /** Cores other processes kept busy during this benchmark's run, if recorded. */
        String others = "";

        String withError() {
            return withError(2);
        }

        String withError(int decimals) {
            String format = "%." + decimals + "f";
            String text = String.format(Locale.ROOT, format, score);
            return Double.isNaN(error) ? text : text + " ± " + String.format(Locale.ROOT, format, error);
        }
    }

    /** {@code write_floor}'s output line. */
    static final class Floor {
        double nsPerOp;
        double opsPerMicro;
        @Nullable String runs;
        @Nullable String iterations;
        String others = "";
    }

    private Map<String, Score> jmh(String file) throws IOException {
        Map<String, Score> scores = new LinkedHashMap<>();
        Path path = dir.resolve(file);
        if (!Files.exists(path)) {
            return scores;
        }
        Map<String, String> others = new LinkedHashMap<>();
        Path othersFile = dir.resolve(file.replace(".csv", ".others"));
        if (Files.exists(othersFile)) {
            for (String text : Files.readAllLines(othersFile, StandardCharsets.UTF_8)) {
                String[] words = text.trim().split("\\s+", -1);
                if (words.length == 2) {
                    others.put(words[0], words[1]);
                }
            }
        }
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        for (String text : lines.subList(Math.min(1, lines.size()), lines.size())) {
            List<String> cells = csv(text);
            if (cells.size() < 7) {
                continue;
            }
            String name = cells.get(0);
            int colon = name.indexOf(':');
            double value = number(cells.get(4));
            if (colon < 0) {
                Score score = scores.computeIfAbsent(name, key -> new Score());
                score.score = value;
                score.error = number(cells.get(5));
                score.unit = cells.get(6);
                score.others = others.getOrDefault(name, "");
            } else if (name.endsWith("gc.alloc.rate.norm")) {
                scores.computeIfAbsent(name.substring(0, colon), key -> new Score()).bytesPerOp = value;
            }
        }
        return scores;
    }

    private @Nullable Floor floor(String file) throws IOException {
        Path path = dir.resolve(file);
        if (!Files.exists(path)) {
            return null;
        }
        Floor floor = null;
        String others = "";
        for (String text : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            Map<String, String> fields = fields(text);
            if (text.startsWith("floor ")) {
                floor = new Floor();
                floor.nsPerOp = Double.parseDouble(fields.get("ns_per_op"));
                floor.opsPerMicro = Double.parseDouble(fields.get("ops_per_us"));
                floor.runs = fields.get("runs");
                floor.iterations = fields.get("iterations");
            } else if (fields.containsKey("others")) {
                others = fields.get("others");
            }
        }
        if (floor != null) {
            floor.others = others;
        }
        return floor;
    }

    /** {@code key=value} words of one line; a value runs to the next space. */
    private static Map<String, String> fields(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String word : text.trim().split("\\s+", -1)) {
            int equals = word.indexOf('=');
            if (equals > 0) {
                fields.put(word.substring(0, equals), word.substring(equals + 1));
            }
        }
        if (fields.containsKey("label")) {
            fields.put("label", fields.get("label").replace('+', ' '));
        }
        return fields;
    }

    private static Map<String, String> keyValues(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int equals = text.indexOf('=');
                if (equals > 0) {
                    values.put(text.substring(0, equals), text.substring(equals + 1));
                }
            }
        }
        return values;
    }

    private static List<String> csv(String text) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    // ---------------------------------------------------------------- formatting

    /** JMH's 99.9% error, 0 when it could not compute one (a single measurement). */
    private static double errorOf(Score score) {
        return Double.isNaN(score.error) ? 0 : score.error;
    }

    private static double bytesOrZero(Score score) {
        return score.bytesPerOp == null ? 0 : score.bytesPerOp;
    }

    private static String bytes(Score score) {
        if (score.bytesPerOp == null) {
            return "";
        }
        double b = score.bytesPerOp;
        return b < 0.01 ? "0" : String.format(Locale.ROOT, b < 10 ? "%.2f" : "%.0f", b);
    }

    private static String f(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String f1(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String signed(double value) {
        return String.format(Locale.ROOT, "%+.2f", value);
    }

    private static String signed1(double value) {
        return String.format(Locale.ROOT, "%+.1f", value);
    }

    private static @Nullable String code(@Nullable String text) {
        return text == null ? null : "`" + text + "`";
    }

    private void line(String text) {
        out.append(text).append('\n');
    }
}
