package dev.userevents.agent.config;

import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.shim.hotpath.EventLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The agent's settings, from {@code -javaagent:userevents-agent.jar=key=value,key=value} and from system
 * properties {@code -Duserevents.key=value} (the agent argument wins). Unknown keys and bad values are
 * refused with a message naming the key, so a typo never silently changes behaviour.
 *
 * <p>Lists (include, exclude) separate their items with {@code ;} or {@code |}, since {@code ,} separates
 * options.
 *
 * <p>One table, {@link Option}, lists every key with its default and its description: parsing, the defaults,
 * {@link #descriptions()} (the CLI's help) and {@link #toString()} all read it, so they cannot disagree. The
 * values are parsed and checked once, by {@link #parse}, into final fields.
 */
public final class AgentOptions {
    /** How probes are backed. */
    public enum Mode {
        /** Register each probe as a user_event; the kernel sets the enable bits. The default. */
        KERNEL,
        /** Weave every probe against an enable word nothing ever sets: measures the disabled path on any host. */
        DRY,
        /** Weave with enable words set to 1 and write every event to /dev/null: our own cost, any host. */
        DEVNULL
    }

    /** Which system call path writes events. */
    public enum Sink {
        /** The fastest this JDK allows: DOWNCALL on JDK 22+, else PWRITE, else CHANNEL, else JNA. */
        AUTO,
        /** libc write() through a Foreign Function and Memory API downcall (JDK 22+). */
        DOWNCALL,
        /** The JDK's own JNI stub for pwrite(), as FileChannel calls it, without the channel around it. */
        PWRITE,
        /** The JDK's FileChannel on the same file descriptor (needs module access the agent grants itself). */
        CHANNEL,
        /** libc write() through JNA direct mapping. */
        JNA
    }

    /** How events are laid out for collectors. */
    public enum Format {
        /** One tracepoint per event, its fields declared in its tracefs format. The default. */
        TRACEFS,
        /**
         * Microsoft's EventHeader convention: tracepoints {@code <provider>_L<level>K<keyword>} shared by the
         * events of those attributes, each event describing itself (name, field names and types).
         */
        EVENTHEADER
    }

    /** Every option, in the order help lists them: key, default (as it would be written), meaning. */
    enum Option {
        LOG("log", "info", "log level: off, error, warn, info, debug"),
        PREFIX("prefix", "", "text put before every event name: letters, digits and '_' (none by default)"),
        INCLUDE("include", "", "class name patterns to weave, ';'-separated, '*' wildcard (all classes when unset)"),
        EXCLUDE("exclude", "", "class name patterns never to weave, ';'-separated"),
        STRING_BYTES("stringBytes", "1024", "most bytes of one string field, at least 8"),
        EVENT_BYTES("eventBytes", "4000", "most bytes of one event, write index included, 64 to "
            + EventLayout.MAX_RECORDED_EVENT),
        MULTI_FORMAT("multiFormat", "false",
            "register with USER_EVENT_REG_MULTI_FORMAT (events land in user_events_multi)"),
        PERSIST("persist", "false", "register with USER_EVENT_REG_PERSIST: events and their formats outlive the JVM"
            + " (needs CAP_PERFMON or root; removed with echo '!u:NAME FIELDS' >> dynamic_events)"),
        MODE("mode", "kernel", "kernel, dry (weave against words nothing sets), devnull (always write to /dev/null)"),
        SINK("sink", "auto", "the write() path: auto (the fastest available), downcall (JDK 22+), pwrite, channel, jna"),
        PROBES("probes", null, "file listing methods to trace without annotations; pattern and ondemand lines make"
            + " on-demand candidates, woven only while a tracer enables them"),
        MAX_CANDIDATES("maxCandidates", "10000", "most on-demand candidates (methods) registered; more are logged and"
            + " left out"),
        POLL_MILLIS("pollMillis", "100", "ms between two reads of the on-demand candidates' enable words, at least 1"),
        RESTORE_AFTER("restoreAfter", "10", "s a woven on-demand class waits with every candidate disabled before it"
            + " gets its original bytes back, 0 or more"),
        CONTEXT("context", "otel", "context fields ending every probe event, ';'-separated: thread (java_tid, virtual),"
            + " otel (trace_id, span_id, for classes that see the OpenTelemetry API); empty for none"),
        STACK_DEPTH("stackDepth", "32", "most frames of a stack field (@Tracepoint(stack = true)), at least 1"),
        PERF_MAP("perfMap", "false", "keep the JIT symbol map /tmp/perf-<pid>.map current (HotSpot's Compiler.perfmap,"
            + " JDK 17+), so perf record -g names Java frames; run the JVM with -XX:+PreserveFramePointer"),
        TRACEFS("tracefs", null, "tracefs mount point (found automatically when unset)"),
        DATA_FD("dataFd", null, "an inherited descriptor of user_events_data to use instead of opening it"
            + " (containers without tracefs); not with tracefs or dataSocket"),
        DATA_SOCKET("dataSocket", null, "a Unix socket where a collector hands over user_events_data: the agent sends"
            + " its pid, receives the descriptor (SCM_RIGHTS); not with tracefs or dataFd"),
        LOGS("logs", "true", "bridge Logback, Log4j 2 and java.util.logging records to the log_error ... log_trace events"
            + " (format=eventheader: Common Schema log events on <provider>_L<level>K1)"),
        FORMAT("format", "tracefs", "event layout: tracefs (a tracepoint per event) or eventheader (Microsoft's"
            + " EventHeader: shared tracepoints <provider>_L<level>K<keyword>, self-describing events)"),
        PROVIDER("provider", null, "EventHeader provider name, letters, digits and '_' (default: prefix without its"
            + " trailing '_', else java)"),
        SIMULATE_NO_MULTI_FORMAT("simulateNoMultiFormat", "false",
            "with multiFormat, also ask for a flag no kernel knows (1 << 2): the kernel refuses with EINVAL, as one"
                + " without USER_EVENT_REG_MULTI_FORMAT does (tests the fallback)");

        final String key;
        /** The value an absent option takes, written as it would be given; null: unset. */
        final @Nullable String defaultValue;
        final String description;

        Option(String key, @Nullable String defaultValue, String description) {
            this.key = key;
            this.defaultValue = defaultValue;
            this.description = description;
        }

        /** The description with the default, one line of help. */
        String help() {
            return defaultValue == null || defaultValue.isEmpty() ? description
                : description + " (default " + defaultValue + ")";
        }

        /** The parsed value as an agent argument would give it; null when unset. */
        @Nullable String written(AgentOptions options) {
            Object parsed = options.value(this);
            if (parsed instanceof List<?> items) {
                return items.stream().map(String::valueOf).collect(Collectors.joining(";"));
            }
            return parsed instanceof Enum<?> constant ? constant.name().toLowerCase(Locale.ROOT)
                : parsed == null ? null : parsed.toString();
        }

        static @Nullable Option forKey(String key) {
            for (Option option : values()) {
                if (option.key.equals(key)) {
                    return option;
                }
            }
            return null;
        }
    }

    private static final String THREAD_CONTEXT = "thread";
    private static final String OTEL_CONTEXT = "otel";
    private static final Map<String, String> DESCRIPTIONS;

    static {
        Map<String, String> descriptions = new LinkedHashMap<>();
        for (Option option : Option.values()) {
            descriptions.put(option.key, option.help());
        }
        DESCRIPTIONS = Collections.unmodifiableMap(descriptions);
    }

    private final String logLevel;
    private final String prefix;
    private final List<String> context;
    private final boolean otelAsked;
    private final int stackDepth;
    private final List<String> includes;
    private final List<String> excludes;
    private final int stringBytes;
    private final int eventBytes;
    private final Mode mode;
    private final Sink sink;
    private final boolean multiFormat;
    private final boolean persist;
    private final boolean simulateNoMultiFormat;
    private final @Nullable String probesFile;
    private final @Nullable String tracefs;
    private final @Nullable Integer dataFd;
    private final @Nullable String dataSocket;
    private final boolean logs;
    private final boolean perfMap;
    private final int maxCandidates;
    private final int pollMillis;
    private final int restoreAfter;
    private final Format format;
    private final @Nullable String provider;

    /** Parses and checks every value; the order of the checks decides which of several bad values is reported. */
    private AgentOptions(Map<Option, String> given) {
        String level = raw(given, Option.LOG);
        AgentLog.parseLevel(level);
        this.logLevel = level;
        this.stringBytes = wholeNumber(given, Option.STRING_BYTES, 8);
        this.eventBytes = wholeNumber(given, Option.EVENT_BYTES, 64);
        if (eventBytes > EventLayout.MAX_RECORDED_EVENT) {
            throw new IllegalArgumentException("agent option eventBytes='" + eventBytes + "': at most "
                + EventLayout.MAX_RECORDED_EVENT + " (the kernel drops larger events)");
        }
        this.mode = enumValue(given, Option.MODE, Mode.class);
        this.sink = enumValue(given, Option.SINK, Sink.class);
        this.multiFormat = bool(given, Option.MULTI_FORMAT);
        this.persist = bool(given, Option.PERSIST);
        this.simulateNoMultiFormat = bool(given, Option.SIMULATE_NO_MULTI_FORMAT);
        this.prefix = raw(given, Option.PREFIX);
        if (!prefix.matches("[A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("agent option prefix='" + prefix + "': use letters, digits and '_'");
        }
        this.includes = list(given, Option.INCLUDE);
        this.excludes = list(given, Option.EXCLUDE);
        this.probesFile = given.get(Option.PROBES);
        this.tracefs = given.get(Option.TRACEFS);
        this.dataFd = given.containsKey(Option.DATA_FD) ? wholeNumber(given, Option.DATA_FD, 0) : null;
        String socket = given.get(Option.DATA_SOCKET);
        this.dataSocket = socket == null || socket.isEmpty() ? null : socket;
        int sources = (tracefs != null ? 1 : 0) + (dataFd != null ? 1 : 0) + (dataSocket != null ? 1 : 0);
        if (sources > 1) {
            throw new IllegalArgumentException("agent options tracefs, dataFd and dataSocket each say where"
                + " user_events_data comes from: give one of them (given: " + (tracefs != null ? "tracefs=" + tracefs + " " : "")
                + (dataFd != null ? "dataFd=" + dataFd + " " : "") + (dataSocket != null ? "dataSocket=" + dataSocket : "")
                + ")");
        }
        this.logs = bool(given, Option.LOGS);
        this.context = list(given, Option.CONTEXT);
        this.otelAsked = given.containsKey(Option.CONTEXT) && context.contains(OTEL_CONTEXT);
        this.stackDepth = wholeNumber(given, Option.STACK_DEPTH, 1);
        this.perfMap = bool(given, Option.PERF_MAP);
        this.maxCandidates = wholeNumber(given, Option.MAX_CANDIDATES, 0);
        this.pollMillis = wholeNumber(given, Option.POLL_MILLIS, 1);
        this.restoreAfter = wholeNumber(given, Option.RESTORE_AFTER, 0);
        this.format = enumValue(given, Option.FORMAT, Format.class);
        this.provider = given.get(Option.PROVIDER);
        if (provider != null && !provider.matches("[A-Za-z0-9_]{1,200}")) {
            throw new IllegalArgumentException("agent option provider='" + provider + "': use 1 to 200 letters,"
                + " digits and '_' (EventHeader tracepoint names are <provider>_L<level>K<keyword>)");
        }
        if (format == Format.EVENTHEADER && multiFormat) {
            throw new IllegalArgumentException("agent options format=eventheader and multiFormat=true: EventHeader"
                + " tracepoints are found by name, user_events:<provider>_L<level>K<keyword>, and all have one"
                + " format, while multiFormat would rename them user_events_multi:<name>.<id>; leave multiFormat out");
        }
        if (format == Format.EVENTHEADER && provider == null && provider().length() > 200) {
            throw new IllegalArgumentException("agent option prefix='" + prefix + "' is " + prefix.length()
                + " characters: with format=eventheader it names the provider, which takes 1 to 200; give"
                + " provider=NAME (EventHeader tracepoint names are <provider>_L<level>K<keyword>)");
        }
        for (String item : context) {
            if (!item.equals(THREAD_CONTEXT) && !item.equals(OTEL_CONTEXT)) {
                throw new IllegalArgumentException("agent option context='" + String.join(";", context) + "': '" + item
                    + "' is not a context this agent adds; known: " + THREAD_CONTEXT + ", " + OTEL_CONTEXT);
            }
        }
    }

    /**
     * Every option at its default, as {@code parse(null, new Properties())} gives.
     *
     * @return the defaults
     */
    public static AgentOptions defaults() {
        return new AgentOptions(Collections.emptyMap());
    }

    /**
     * Parses the agent argument over the {@code userevents.*} system properties, once.
     *
     * @param agentArgument {@code key=value} pairs separated by {@code ,}; a key alone means {@code key=true};
     *     null or blank for none
     * @param systemProperties where {@code userevents.<key>} properties are looked up (other properties, even
     *     under {@code userevents.}, are ignored)
     * @return the parsed, checked options
     * @throws IllegalArgumentException if the argument has an unknown key, or any value is malformed or out of
     *     range; the message names the key, the value and what would be accepted
     */
    public static AgentOptions parse(@Nullable String agentArgument, Properties systemProperties) {
        Map<Option, String> given = new EnumMap<>(Option.class);
        for (Option option : Option.values()) {
            String property = systemProperties.getProperty("userevents." + option.key);
            if (property != null) {
                given.put(option, property.trim());
            }
        }
        if (agentArgument != null && !agentArgument.trim().isEmpty()) {
            for (String pair : agentArgument.split(",", -1)) {
                if (pair.trim().isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String key = (equals < 0 ? pair : pair.substring(0, equals)).trim();
                String value = equals < 0 ? "true" : pair.substring(equals + 1).trim();
                Option option = Option.forKey(key);
                if (option == null) {
                    throw new IllegalArgumentException("unknown agent option '" + key + "'; known: "
                        + String.join(", ", DESCRIPTIONS.keySet()) + " (a list inside a value is ';'-separated:"
                        + " context=thread;otel)");
                }
                given.put(option, value);
            }
        }
        return new AgentOptions(given);
    }

    /**
     * Describes every option, for help output.
     *
     * @return key to one line of description ending with the default, in the order help lists them; unmodifiable
     */
    public static Map<String, String> descriptions() {
        return DESCRIPTIONS;
    }

    /**
     * The log level ({@code log}), checked by {@link AgentLog#parseLevel}.
     *
     * @return {@code off}, {@code error}, {@code warn}, {@code info} or {@code debug}, as given
     */
    public String logLevel() {
        return logLevel;
    }

    /**
     * Text put before every event name ({@code prefix}).
     *
     * @return letters, digits and '_' only; empty by default
     */
    public String prefix() {
        return prefix;
    }

    /**
     * Class name patterns to weave ({@code include}).
     *
     * @return the patterns, trimmed, without empty items; empty for all classes
     */
    public List<String> includes() {
        return includes;
    }

    /**
     * Class name patterns never to weave ({@code exclude}).
     *
     * @return the patterns, trimmed, without empty items; empty by default
     */
    public List<String> excludes() {
        return excludes;
    }

    /**
     * Most bytes of one string field ({@code stringBytes}): longer strings are cut.
     *
     * @return at least 8 (ProbeRuntime.setMaxStringBytes refuses less); 1024 by default
     */
    public int stringBytes() {
        return stringBytes;
    }

    /**
     * Most bytes of one event, write index included ({@code eventBytes}).
     *
     * @return 64 (ProbeRuntime.setMaxEventBytes refuses less) to {@link EventLayout#MAX_RECORDED_EVENT} (the
     *     kernel drops larger events); 4000 by default
     */
    public int eventBytes() {
        return eventBytes;
    }

    /**
     * Most on-demand candidates registered ({@code maxCandidates}); one log line when the patterns match more.
     *
     * @return 0 or more methods; 10,000 by default
     */
    public int maxCandidates() {
        return maxCandidates;
    }

    /**
     * Time between two reads of the on-demand candidates' enable words ({@code pollMillis}).
     *
     * @return at least 1 ms; 100 by default
     */
    public int pollMillis() {
        return pollMillis;
    }

    /**
     * How long a woven on-demand class waits with every candidate disabled before it is restored
     * ({@code restoreAfter}).
     *
     * @return 0 or more seconds; 10 by default
     */
    public int restoreAfterSeconds() {
        return restoreAfter;
    }

    /**
     * Whether to register with {@code USER_EVENT_REG_MULTI_FORMAT} ({@code multiFormat}, Linux 6.10+).
     *
     * @return {@code false} by default
     */
    public boolean multiFormat() {
        return multiFormat;
    }

    /**
     * Whether to register with {@code USER_EVENT_REG_PERSIST} ({@code persist}): the kernel keeps the event, and
     * its format in tracefs, after the last registration closes, until it is deleted. Follows
     * {@code user_event_capable()} in {@code kernel/trace/trace_events_user.c}: needs CAP_PERFMON or CAP_SYS_ADMIN.
     *
     * @return true when {@code persist=true}
     */
    public boolean persist() {
        return persist;
    }

    /**
     * Whether to make the real kernel refuse the registration flags ({@code simulateNoMultiFormat}): with
     * {@code multiFormat}, the agent also asks for a flag bit no kernel defines, which
     * {@code user_reg_get()} in {@code kernel/trace/trace_events_user.c} refuses with EINVAL, exactly as a kernel
     * older than the flag refuses {@code USER_EVENT_REG_MULTI_FORMAT}; the fallback then runs on that refusal.
     *
     * @return {@code false} by default
     */
    public boolean simulateNoMultiFormat() {
        return simulateNoMultiFormat;
    }

    /**
     * How probes are backed ({@code mode}).
     *
     * @return {@link Mode#KERNEL} by default
     */
    public Mode mode() {
        return mode;
    }

    /**
     * Which system call path writes events ({@code sink}).
     *
     * @return {@link Sink#AUTO} by default
     */
    public Sink sink() {
        return sink;
    }

    /**
     * The file listing methods to trace without annotations ({@code probes}).
     *
     * @return the path as given, or null when unset
     */
    public @Nullable String probesFile() {
        return probesFile;
    }

    /**
     * The tracefs mount point ({@code tracefs}).
     *
     * @return the path as given, or null when unset (then it is found automatically)
     */
    public @Nullable String tracefs() {
        return tracefs;
    }

    /**
     * A descriptor of {@code user_events_data} the JVM inherited ({@code dataFd}), used instead of opening one.
     *
     * @return the descriptor number, at least 0, or null when unset
     */
    public @Nullable Integer dataFd() {
        return dataFd;
    }

    /**
     * The Unix socket a collector hands {@code user_events_data} over on ({@code dataSocket}).
     *
     * @return the path as given, or null when unset
     */
    public @Nullable String dataSocket() {
        return dataSocket;
    }

    /**
     * Whether every probe event ends with the thread context ({@code context=thread}): {@code java_tid} (s64,
     * the Java thread id) and {@code virtual} (u8, 1 on a virtual thread).
     *
     * @return true when {@code context} lists {@code thread}
     */
    public boolean threadContext() {
        return context.contains(THREAD_CONTEXT);
    }

    /**
     * Whether probe events carry the OpenTelemetry ids ({@code trace_id}, {@code span_id}) where the traced
     * class sees the OpenTelemetry API ({@code context} lists {@code otel}, as it does by default).
     *
     * @return true unless {@code context} is given without {@code otel}
     */
    public boolean otelContext() {
        return context.contains(OTEL_CONTEXT);
    }

    /**
     * Whether the user named {@code otel} in {@code context}, rather than leaving the default: then a class
     * loader without a usable OpenTelemetry API is worth a log line.
     *
     * @return true when {@code context} was given and lists {@code otel}
     */
    public boolean otelAsked() {
        return otelAsked;
    }

    /**
     * The most frames a {@code stack} field holds ({@code stackDepth}).
     *
     * @return at least 1; 32 by default
     */
    public int stackDepth() {
        return stackDepth;
    }

    /**
     * Whether the agent keeps the JIT symbol map {@code /tmp/perf-<pid>.map} current ({@code perfMap}), for
     * {@code perf record -g} stacks that name Java methods.
     *
     * @return {@code false} by default
     */
    public boolean perfMap() {
        return perfMap;
    }

    /**
     * How events are laid out ({@code format}).
     *
     * @return {@link Format#TRACEFS} by default
     */
    public Format format() {
        return format;
    }

    /**
     * The EventHeader provider name ({@code provider}): the tracepoints are {@code <provider>_L<level>K<keyword>}.
     *
     * @return the option's value; when unset, {@code prefix} without its trailing '_' when that leaves a name,
     *     else {@code java}
     */
    public String provider() {
        if (provider != null) {
            return provider;
        }
        String derived = prefix.replaceAll("_+$", "");
        return derived.isEmpty() ? "java" : derived;
    }

    /**
     * Whether the log bridges are installed ({@code logs}).
     *
     * @return true unless {@code logs=false}
     */
    public boolean logs() {
        return logs;
    }

    /** The parsed value of an option; a switch without default, so a new option cannot be forgotten here. */
    private @Nullable Object value(Option option) {
        return switch (option) {
            case LOG -> logLevel;
            case PREFIX -> prefix;
            case INCLUDE -> includes;
            case EXCLUDE -> excludes;
            case STRING_BYTES -> stringBytes;
            case EVENT_BYTES -> eventBytes;
            case MULTI_FORMAT -> multiFormat;
            case PERSIST -> persist;
            case MODE -> mode;
            case SINK -> sink;
            case PROBES -> probesFile;
            case MAX_CANDIDATES -> maxCandidates;
            case POLL_MILLIS -> pollMillis;
            case RESTORE_AFTER -> restoreAfter;
            case TRACEFS -> tracefs;
            case DATA_FD -> dataFd;
            case DATA_SOCKET -> dataSocket;
            case LOGS -> logs;
            case CONTEXT -> context;
            case STACK_DEPTH -> stackDepth;
            case PERF_MAP -> perfMap;
            case FORMAT -> format;
            case PROVIDER -> provider;
            case SIMULATE_NO_MULTI_FORMAT -> simulateNoMultiFormat;
        };
    }

    private static String raw(Map<Option, String> given, Option option) {
        String value = given.get(option);
        if (value != null) {
            return value;
        }
        return option.defaultValue == null ? "" : option.defaultValue;
    }

    private static List<String> list(Map<Option, String> given, Option option) {
        List<String> items = new ArrayList<>();
        for (String item : raw(given, option).split("[;|]", -1)) {
            if (!item.trim().isEmpty()) {
                items.add(item.trim());
            }
        }
        return Collections.unmodifiableList(items);
    }

    private static int wholeNumber(Map<Option, String> given, Option option, int minimum) {
        String value = raw(given, option);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= minimum) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("agent option " + option.key + "='" + value
            + "': use a whole number of at least " + minimum);
    }

    private static boolean bool(Map<Option, String> given, Option option) {
        String value = raw(given, option).toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("false")) {
            return value.equals("true");
        }
        throw new IllegalArgumentException("agent option " + option.key + "='" + value + "': use true or false");
    }

    private static <E extends Enum<E>> E enumValue(Map<Option, String> given, Option option, Class<E> type) {
        String value = raw(given, option);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("agent option " + option.key + "='" + value + "': use one of "
            + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }

    /**
     * Every option with its parsed value, written as an agent argument that parses back to equal options
     * (unless a path holds a {@code ,}, which only a system property can give).
     *
     * @return {@code key=value} pairs separated by {@code ,}, in table order; unset options left out
     */
    @Override
    public String toString() {
        List<String> pairs = new ArrayList<>();
        for (Option option : Option.values()) {
            String written = option.written(this);
            if (written != null) {
                pairs.add(option.key + "=" + written);
            }
        }
        return String.join(",", pairs);
    }
}
