package dev.userevents.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's settings, from {@code -javaagent:userevents-agent.jar=key=value,key=value} and from system
 * properties {@code -Duserevents.key=value} (the agent argument wins). Unknown keys and bad values are
 * refused with a message naming the key, so a typo never silently changes behaviour.
 *
 * <p>Lists (include, exclude) separate their items with {@code ;} or {@code |}, since {@code ,} separates
 * options.
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

    static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("log", "log level: off, error, warn, info (default), debug");
        KEYS.put("prefix", "text put before every event name (default none)");
        KEYS.put("include", "class name patterns to weave, ';'-separated, '*' wildcard (default all)");
        KEYS.put("exclude", "class name patterns never to weave, ';'-separated");
        KEYS.put("stringBytes", "most bytes of one string field (default 1024)");
        KEYS.put("eventBytes", "most bytes of one event, write index included (default 4000, at most 4068)");
        KEYS.put("multiFormat", "register with USER_EVENT_REG_MULTI_FORMAT (events land in user_events_multi); default false");
        KEYS.put("mode", "kernel (default), dry (weave against words nothing sets), devnull (always write to /dev/null)");
        KEYS.put("sink", "the write() path: auto (default: the fastest available), downcall (JDK 22+), pwrite, channel, jna");
        KEYS.put("probes", "file listing methods to trace without annotations");
        KEYS.put("tracefs", "tracefs mount point (default: found automatically)");
        KEYS.put("simulateNoMultiFormat", "act as if the kernel refused USER_EVENT_REG_MULTI_FORMAT (tests the fallback)");
    }

    private final Map<String, String> values;

    private AgentOptions(Map<String, String> values) {
        this.values = values;
    }

    public static AgentOptions defaults() {
        return new AgentOptions(Collections.emptyMap());
    }

    /** Parses the agent argument (may be null) over the {@code userevents.*} system properties. */
    public static AgentOptions parse(String agentArgument, Properties systemProperties) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : KEYS.keySet()) {
            String property = systemProperties.getProperty("userevents." + key);
            if (property != null) {
                values.put(key, property.trim());
            }
        }
        if (agentArgument != null && !agentArgument.trim().isEmpty()) {
            for (String pair : agentArgument.split(",")) {
                if (pair.trim().isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String key = (equals < 0 ? pair : pair.substring(0, equals)).trim();
                String value = equals < 0 ? "true" : pair.substring(equals + 1).trim();
                if (!KEYS.containsKey(key)) {
                    throw new IllegalArgumentException("unknown agent option '" + key + "'; known: " + String.join(", ", KEYS.keySet()));
                }
                values.put(key, value);
            }
        }
        AgentOptions options = new AgentOptions(values);
        options.validate();
        return options;
    }

    private void validate() {
        logLevel();
        stringBytes();
        eventBytes();
        mode();
        sink();
        multiFormat();
        simulateNoMultiFormat();
        String prefix = prefix();
        if (!prefix.matches("[A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("agent option prefix='" + prefix + "': use letters, digits and '_'");
        }
    }

    /** Describes every option, for help output. */
    public static Map<String, String> descriptions() {
        return Collections.unmodifiableMap(KEYS);
    }

    public String logLevel() {
        String level = values.getOrDefault("log", "info");
        dev.userevents.agent.runtime.AgentLog.parseLevel(level);
        return level;
    }

    public String prefix() {
        return values.getOrDefault("prefix", "");
    }

    public List<String> includes() {
        return list("include");
    }

    public List<String> excludes() {
        return list("exclude");
    }

    /** At least 8: ProbeRuntime.setMaxStringBytes refuses less. */
    public int stringBytes() {
        return wholeNumber("stringBytes", 1024, 8);
    }

    /** At least 64 (ProbeRuntime.setMaxEventBytes refuses less); more than a page is cut to a page. */
    public int eventBytes() {
        int bytes = wholeNumber("eventBytes", 4000, 64);
        if (bytes > dev.userevents.agent.runtime.EventRecord.MAX_RECORDED_EVENT) {
            throw new IllegalArgumentException("agent option eventBytes='" + bytes + "': at most "
                + dev.userevents.agent.runtime.EventRecord.MAX_RECORDED_EVENT + " (the kernel drops larger events)");
        }
        return bytes;
    }

    public boolean multiFormat() {
        return bool("multiFormat");
    }

    public boolean simulateNoMultiFormat() {
        return bool("simulateNoMultiFormat");
    }

    public Mode mode() {
        return enumValue("mode", Mode.class, Mode.KERNEL);
    }

    public Sink sink() {
        return enumValue("sink", Sink.class, Sink.AUTO);
    }

    public String probesFile() {
        return values.get("probes");
    }

    public String tracefs() {
        return values.get("tracefs");
    }

    private List<String> list(String key) {
        String value = values.get(key);
        List<String> items = new ArrayList<>();
        if (value != null) {
            for (String item : value.split("[;|]")) {
                if (!item.trim().isEmpty()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    private int wholeNumber(String key, int fallback, int minimum) {
        String value = values.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= minimum) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("agent option " + key + "='" + value + "': use a whole number of at least "
            + minimum);
    }

    private boolean bool(String key) {
        String value = values.getOrDefault(key, "false").toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("false")) {
            return value.equals("true");
        }
        throw new IllegalArgumentException("agent option " + key + "='" + value + "': use true or false");
    }

    private <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
        String value = values.get(key);
        if (value == null) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("agent option " + key + "='" + value + "': use one of "
            + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
