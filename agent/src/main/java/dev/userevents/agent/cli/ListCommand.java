package dev.userevents.agent.cli;

import dev.userevents.shim.Tracefs;
import dev.userevents.shim.UserEventsAbi;
import dev.userevents.shim.UserEventsUnavailableException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code list [PID]}: every user_event the kernel has (or those of the agent in JVM PID), one block each: its
 * tracepoint ({@code user_events:NAME}, or {@code user_events_multi:NAME.<id>} for one format of a multi-format
 * name), whether a tracer has it enabled, its fields, the command that removes it if it is persistent, and,
 * with a PID, that JVM's counters for its probes of that name.
 *
 * <p>Sources, all in tracefs: {@code user_events_status} (a tracepoint a line, {@code " # Used by ftrace perf"}
 * when enabled: {@code user_seq_show()} in {@code kernel/trace/trace_events_user.c}), {@code dynamic_events}
 * (the fields as registered), each tracepoint's {@code format} (which of a multi-format name's formats it is),
 * and the agent's counters as {@code status PID} reads them.
 */
final class ListCommand {
    /** {@code NAME.<hex id>}: a tracepoint of a multi-format event ({@code user_event_set_tp_name()}). */
    private static final Pattern MULTI_NAME = Pattern.compile("(.+)\\.[0-9a-fA-F]+");
    /** A field line of a format file: {@code "\tfield:s32 count;\toffset:8;..."}. */
    private static final Pattern FIELD = Pattern.compile("^\\s*field:([^;]+);");
    /**
     * An array field as a format file writes it, {@code "__rel_loc char who[]"}: the kernel puts the name before
     * the brackets there, but keeps the type as registered, {@code "__rel_loc char[] who"}, in
     * {@code dynamic_events}, whose commands must name it that way.
     */
    private static final Pattern ARRAY_FIELD = Pattern.compile("(.*) (\\w+)(\\[\\d*\\])");
    /**
     * A counters line of {@code status PID}: {@code probe NAME: ...}, {@code probe NAME [FIELDS]: ...} under
     * multiFormat, or {@code probe NAME on TRACEPOINT: ...} for an EventHeader event.
     */
    private static final Pattern PROBE_LINE = Pattern.compile("probe (\\S+)(?: on (\\S+))?(?: \\[(.*?)\\])?: (.*)");
    private static final String USED_BY = " # Used by ";
    /** How {@code dynamic_events} starts a user_event's line ({@code USER_EVENTS_PREFIX} of user_events.h). */
    private static final String USER_EVENTS_PREFIX = "u:";

    private final @Nullable String pid;
    private final PrintStream out;

    private ListCommand(@Nullable String pid, PrintStream out) {
        this.pid = pid;
        this.out = out;
    }

    static ListCommand parse(String[] args, PrintStream out) throws Cli.UsageException {
        if (args.length > 1 || (args.length == 1 && !args[0].matches("[0-9]+"))) {
            throw new Cli.UsageException("usage: list [PID]");
        }
        return new ListCommand(args.length == 1 ? args[0] : null, out);
    }

    int run() throws Cli.CommandFailedException {
        Tracefs tracefs;
        try {
            tracefs = Tracefs.locate();
        } catch (UserEventsUnavailableException e) {
            throw new Cli.CommandFailedException("list: " + e.getMessage());
        }
        @Nullable Map<String, List<ProbeCounters>> counters = pid == null ? null : countersByName(pid);
        List<String> status;
        try {
            status = Files.readAllLines(tracefs.statusFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Cli.CommandFailedException("list: cannot read " + tracefs.statusFile() + ": " + e.getMessage()
                + " (run as root, or as a user with read access to tracefs)");
        }
        Map<String, List<String>> registered = dynamicEvents(tracefs.root().resolve("dynamic_events"));
        int shown = 0;
        for (String line : status) {
            if (line.isEmpty() || line.startsWith("Active:") || line.startsWith("Busy:")
                || line.startsWith("userevents_status_")) {
                continue;
            }
            int mark = line.indexOf(USED_BY);
            String tracepoint = mark < 0 ? line.trim() : line.substring(0, mark).trim();
            Matcher multi = MULTI_NAME.matcher(tracepoint);
            boolean isMulti = multi.matches()
                && Files.isDirectory(tracefs.eventDir(UserEventsAbi.MULTI_SYSTEM, tracepoint));
            String system = isMulti ? UserEventsAbi.MULTI_SYSTEM : UserEventsAbi.SYSTEM;
            String name = isMulti ? multi.group(1) : tracepoint;
            if (counters != null && !counters.containsKey(name)) {
                continue;
            }
            String fields = registeredFields(registered, name,
                fields(tracefs.eventDir(system, tracepoint).resolve("format")));
            out.println(system + ":" + tracepoint + "  "
                + (mark < 0 ? "disabled" : "enabled (" + line.substring(mark + USED_BY.length()).trim() + ")"));
            out.println("  fields:  " + (fields == null ? "(format unreadable)" : fields.isEmpty() ? "(none)" : fields));
            if (fields != null) {
                out.println("  remove if persistent:  echo '!u:" + name + (fields.isEmpty() ? "" : " " + fields)
                    + "' >> " + tracefs.root().resolve("dynamic_events"));
            }
            if (counters != null) {
                for (String counts : countersOf(counters.getOrDefault(name, List.of()), fields)) {
                    out.println("  JVM " + pid + ": " + counts);
                }
            }
            shown++;
        }
        if (shown == 0) {
            out.println(pid == null ? "no user_events registered" : "JVM " + pid + " has no registered user_events");
        }
        return 0;
    }

    /**
     * The agent's per-probe counter lines, by event name (several probes may share a multi-format name).
     */
    private Map<String, List<ProbeCounters>> countersByName(String jvm) throws Cli.CommandFailedException {
        List<String> lines = ProbeCountsCommand.fetch(jvm, out);
        if (lines.get(0).startsWith(ProbeCountsCommand.NO_AGENT)) {
            throw new Cli.CommandFailedException("list: JVM " + jvm + " runs no userevents agent");
        }
        return countersByName(lines);
    }

    /**
     * One probe's line of {@code status PID}.
     *
     * @param fields   its fields as registered, named under multiFormat; null otherwise
     * @param counters its counters, {@code "5 written, 0 found no tracer, 0 dropped"} (led by the event name for
     *                 an EventHeader event)
     */
    record ProbeCounters(@Nullable String fields, String counters) {
    }

    /**
     * The counters lines of {@code status PID} by event name.
     *
     * @param lines what {@code status PID} printed, {@code probe NAME: ...}, {@code probe NAME [FIELDS]: ...} or
     *              {@code probe NAME on TRACEPOINT: ...} a probe (fields may hold brackets: {@code [__rel_loc char[] text]})
     * @return each name's probes, in the lines' order; an EventHeader event's under
     *     its tracepoint's name, its counters led by {@code NAME: }
     */
    static Map<String, List<ProbeCounters>> countersByName(List<String> lines) {
        Map<String, List<ProbeCounters>> byName = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher probe = PROBE_LINE.matcher(line);
            if (probe.matches()) {
                // an EventHeader tracepoint carries several events: each counters line is named by its event
                String tracepoint = probe.group(2);
                String counters = tracepoint == null ? probe.group(4) : probe.group(1) + ": " + probe.group(4);
                byName.computeIfAbsent(tracepoint == null ? probe.group(1) : tracepoint, key -> new ArrayList<>())
                    .add(new ProbeCounters(probe.group(3), counters));
            }
        }
        return byName;
    }

    /**
     * The counters to show under one tracepoint of a name: a probe that names its fields ({@code multiFormat})
     * only under the tracepoint of its own format, any other under every tracepoint of its name.
     *
     * @param probes the name's probes, from {@code status PID}
     * @param fields the tracepoint's fields as registered, or null when unreadable
     * @return the counters, in the probes' order
     */
    static List<String> countersOf(List<ProbeCounters> probes, @Nullable String fields) {
        List<String> shown = new ArrayList<>();
        for (ProbeCounters probe : probes) {
            String own = probe.fields();
            if (own == null || fields == null || loose(own).equals(loose(fields))) {
                shown.add(probe.counters());
            }
        }
        return shown;
    }

    /**
     * The fields of each user_event as {@code dynamic_events} shows them, {@code "u:NAME FIELDS"} a line
     * ({@code user_event_show()}): several lines for a multi-format name. Empty if the file cannot be read.
     */
    static Map<String, List<String>> dynamicEvents(Path file) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith(USER_EVENTS_PREFIX)) {
                    int space = line.indexOf(' ');
                    String name = line.substring(USER_EVENTS_PREFIX.length(), space < 0 ? line.length() : space);
                    byName.computeIfAbsent(name, key -> new ArrayList<>()).add(space < 0 ? "" : line.substring(space + 1));
                }
            }
        } catch (IOException e) {
            // the format file's fields are used instead
        }
        return byName;
    }

    /**
     * The fields of {@code name} as registered (from {@code dynamic_events}, the text a removal must repeat),
     * picking among a multi-format name's formats the one {@code fromFormat} (the tracepoint's format file)
     * describes. The format file alone is not enough: it writes {@code __rel_loc char who[]} for a field
     * registered as {@code __rel_loc char[] who}, and on 6.12 may print a stray array length there (the field's
     * {@code len}, which {@code user_event_add_field()} leaves unset).
     */
    static @Nullable String registeredFields(Map<String, List<String>> registered, String name,
                                             @Nullable String fromFormat) {
        List<String> candidates = registered.getOrDefault(name, List.of());
        if (candidates.size() == 1 || (fromFormat == null && !candidates.isEmpty())) {
            return candidates.get(0);
        }
        for (String fields : candidates) {
            if (fromFormat != null && loose(fields).equals(loose(fromFormat))) {
                return fields;
            }
        }
        return fromFormat;
    }

    /** Fields without array lengths or brackets: {@code "__rel_loc char who"} for both spellings. */
    private static String loose(String fields) {
        return fields.replaceAll("\\[[^\\]]*\\]", "").replaceAll("\\s+", " ").replace(" ;", ";").trim();
    }

    /** The fields of a format file as {@code dynamic_events} prints them: {@code "s32 a; __rel_loc char[] b"}. */
    static @Nullable String fields(Path format) {
        try {
            List<String> fields = new ArrayList<>();
            for (String line : Files.readAllLines(format, StandardCharsets.UTF_8)) {
                Matcher field = FIELD.matcher(line);
                if (field.find() && !field.group(1).matches(".*\\bcommon_\\w+$")) {
                    fields.add(ARRAY_FIELD.matcher(field.group(1).trim()).replaceFirst("$1$3 $2"));
                }
            }
            return String.join("; ", fields);
        } catch (IOException e) {
            return null;
        }
    }
}
