package dev.userevents.agent.runtime;

import dev.userevents.shim.hotpath.NativeWords;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The five log events ({@code log_error} ... {@code log_trace}) the log bridges write, and the calls their
 * woven code makes. The five events share one enable word, each with its own bit ({@link #ERROR} is bit 0
 * ... {@link #TRACE} bit 4), so a bridged log call tests one word for "any log event traced at all" (one
 * load, a test, a branch) before it looks at its level.
 *
 * <p>Woven into a framework's logger, while the word reads non-zero:
 * <pre>{@code
 *   int level = LogEvents.fromLogback(levelInt);       // or fromLog4j, fromJul
 *   int[] inside = LogEvents.enter(word, level);        // non-null: this level traced, not nested on this thread
 *   if (inside != null) {
 *       try {
 *           LogEvents.write(level, loggerName, formattedMessage, throwable);
 *       } finally {
 *           LogEvents.exit(inside);                      // advice writes it as inside[0] = 0
 *       }
 *   }
 * }</pre>
 * JUL's woven code makes one call, {@link #bridgeJul}, which does the above. Every event has the fields {@code logger}, {@code message}, {@code thread} and {@code thrown}, all
 * {@code __rel_loc char[]}, in that order. Nothing here throws.
 */
public final class LogEvents {
    /** Level of {@code log_error}, and its bit in the shared enable word. */
    public static final int ERROR = 0;
    /** Level of {@code log_warn}, and its bit in the shared enable word. */
    public static final int WARN = 1;
    /** Level of {@code log_info}, and its bit in the shared enable word. */
    public static final int INFO = 2;
    /** Level of {@code log_debug}, and its bit in the shared enable word. */
    public static final int DEBUG = 3;
    /** Level of {@code log_trace}, and its bit in the shared enable word. */
    public static final int TRACE = 4;
    /** A record at a level no event takes (OFF). */
    public static final int NONE = -1;
    /** The event names without prefix, by level. */
    private static final String[] NAMES = {"log_error", "log_warn", "log_info", "log_debug", "log_trace"};

    /** Common Schema version 4.0, the first field of a log event in EventHeader form. */
    private static final int CS_VERSION = 0x400;
    /** PartB {@code _typeName} of a log record. */
    private static final String TYPE_NAME = "Log";
    /** OpenTelemetry severity numbers by level (logs data model: ERROR 17, WARN 13, INFO 9, DEBUG 5, TRACE 1). */
    private static final short[] SEVERITY_NUMBERS = {17, 13, 9, 5, 1};
    /** OpenTelemetry severity texts by level. */
    private static final String[] SEVERITY_TEXTS = {"ERROR", "WARN", "INFO", "DEBUG", "TRACE"};

    /** Probe ids by level, -1 until registered. */
    private static final int[] PROBE_IDS = {-1, -1, -1, -1, -1};
    /**
     * Per thread: 1 while a bridged record is formatted and written. A log call made from inside that (an
     * argument's {@code toString()} that logs) is not bridged: the framework, whose level may be off, would
     * never have formatted it, so bridging it could recurse where the application never does.
     */
    private static final ThreadLocal<int[]> INSIDE = new ThreadLocal<int[]>() {
        @Override
        protected int[] initialValue() { // a class, not a lambda: nothing to spin on an application thread
            return new int[1];
        }
    };

    private LogEvents() {
    }

    /**
     * The event name of a level, without prefix.
     *
     * @param level {@link #ERROR} to {@link #TRACE}
     * @return {@code log_error} ... {@code log_trace}
     * @throws ArrayIndexOutOfBoundsException for any other value
     */
    public static String eventName(int level) {
        return NAMES[level];
    }

    /** Loads and initialises what a bridged record uses, so none of it is first loaded on an application thread. */
    static void prepare() {
        INSIDE.get();
        INSIDE.remove();
        thrownText(new IllegalStateException("prepare"));
        julMessage("{0}", new Object[] {"prepare"});
    }

    /**
     * Publishes the probe of one level's event; called once per level when the first framework is bridged.
     *
     * @param level {@link #ERROR} ... {@link #TRACE}
     * @param probe the registered probe of that level's event, on bit {@code level} of the shared word
     */
    public static synchronized void install(int level, Probe probe) {
        ProbeRuntime.install(probe);
        PROBE_IDS[level] = probe.id();
    }

    /**
     * A Logback level ({@code Level.levelInt}: ERROR 40000, WARN 30000, INFO 20000, DEBUG 10000, TRACE 5000;
     * {@code ch.qos.logback.classic.Level}) as one of ours; a custom value goes to the nearest level below.
     *
     * @param levelInt the record's level
     * @return {@link #ERROR} ... {@link #TRACE}, or {@link #NONE} for OFF
     */
    public static int fromLogback(int levelInt) {
        return levelInt == Integer.MAX_VALUE ? NONE : levelInt >= 40000 ? ERROR : levelInt >= 30000 ? WARN
            : levelInt >= 20000 ? INFO : levelInt >= 10000 ? DEBUG : TRACE;
    }

    /**
     * An SLF4J 2 {@code org.slf4j.event.Level.toInt()} (ERROR 40, WARN 30, INFO 20, DEBUG 10, TRACE 0).
     *
     * @param slf4jLevel the record's level
     * @return {@link #ERROR} ... {@link #TRACE}
     */
    public static int fromSlf4j(int slf4jLevel) {
        return fromLogback(slf4jLevel * 1000);
    }

    /**
     * A Log4j 2 level ({@code Level.intLevel()}: FATAL 100, ERROR 200, WARN 300, INFO 400, DEBUG 500, TRACE
     * 600; smaller is more severe; {@code org.apache.logging.log4j.spi.StandardLevel}); FATAL goes to
     * {@link #ERROR}, a custom value to the nearest level above it in verbosity.
     *
     * @param intLevel the record's level
     * @return {@link #ERROR} ... {@link #TRACE}, or {@link #NONE} for OFF (0)
     */
    public static int fromLog4j(int intLevel) {
        return intLevel <= 0 ? NONE : intLevel <= 200 ? ERROR : intLevel <= 300 ? WARN : intLevel <= 400 ? INFO
            : intLevel <= 500 ? DEBUG : TRACE;
    }

    /**
     * A {@code java.util.logging.Level.intValue()}: SEVERE (1000) to {@link #ERROR}, WARNING (900) to
     * {@link #WARN}, INFO (800) to {@link #INFO}, CONFIG (700) and FINE (500) to {@link #DEBUG}, FINER (400)
     * and FINEST (300) to {@link #TRACE}; a custom value goes to the nearest standard level below it.
     *
     * @param value the record's level
     * @return {@link #ERROR} ... {@link #TRACE}, or {@link #NONE} for OFF ({@code Integer.MAX_VALUE})
     */
    public static int fromJul(int value) {
        return value == Integer.MAX_VALUE ? NONE : value >= 1000 ? ERROR : value >= 900 ? WARN : value >= 800 ? INFO
            : value >= 500 ? DEBUG : TRACE;
    }

    /**
     * Whether a record of {@code level} is to be bridged now: its event is traced (its bit in the word is
     * set) and this thread is not already inside a bridged record. When it is, the caller must pass what this
     * returns to {@link #exit} in a finally block (one thread-local lookup for both).
     *
     * @param word  the address of the log events' shared enable word
     * @param level {@link #ERROR} ... {@link #TRACE}, or {@link #NONE}
     * @return this thread's recursion mark, now set, when the record is to be formatted and written; null when
     *     it is not
     */
    public static int @Nullable [] enter(long word, int level) {
        try {
            if (level < 0 || (NativeWords.loInt(word) & (1 << level)) == 0) {
                return null;
            }
            int[] inside = INSIDE.get();
            if (inside[0] != 0) {
                return null;
            }
            inside[0] = 1;
            return inside;
        } catch (Throwable e) {
            return null; // a stack overflow or out of memory on the way: this record is not bridged
        }
    }

    /**
     * Ends what {@link #enter} began on this thread: {@code inside[0] = 0}, which woven advice writes as that
     * store itself (a call could overflow the stack and leave the mark set).
     *
     * @param inside what {@link #enter} returned
     */
    public static void exit(int[] inside) {
        inside[0] = 0;
    }

    /**
     * Writes one record to its level's event: one {@code write()}, as for any probe (counted, and sorted by
     * fault kind on failure, by {@link ProbeRuntime}).
     *
     * @param level   {@link #ERROR} ... {@link #TRACE}
     * @param logger  the logger's name (null is written as "(null)")
     * @param message the formatted message (null is written as "(null)")
     * @param thrown  the record's throwable, or null
     */
    public static void write(int level, @Nullable String logger, @Nullable String message, @Nullable Throwable thrown) {
        int id = PROBE_IDS[level];
        if (id < 0) {
            return;
        }
        try {
            Object spanContext = ProbeRuntime.spanContext(id); // null unless the events carry the ids
            EventRecord record = ProbeRuntime.begin(id);
            if (record.failure == null && record.eventHeader) {
                writeCommonSchema(record, level, logger, message, thrown, spanContext);
            } else if (record.failure == null) {
                try { // one handler for the four fields, where woven code has one per put: less code to inline
                    record.putString(logger);
                    record.putString(message);
                    record.putString(Thread.currentThread().getName());
                    record.putString(thrownText(thrown));
                } catch (Throwable e) {
                    record.failure = e;
                }
                Probe probe = record.probe;
                if (probe != null && probe.threadContext()) {
                    ProbeRuntime.putThreadContext(record);
                }
                if (probe != null && probe.otel()) {
                    ProbeRuntime.putSpanIds(record, spanContext);
                }
            }
            ProbeRuntime.commit(record);
        } catch (Throwable e) {
            ProbeRuntime.dropped(e, id); // a stack overflow entering one of the calls: counted, buffer reclaimed
        }
    }

    /**
     * A record as a Common Schema 4.0 log event in EventHeader form (agent option {@code format=eventheader};
     * the fields and their order: the agent's {@code logs.CommonSchemaLog}).
     */
    private static void writeCommonSchema(EventRecord record, int level, @Nullable String logger,
                                          @Nullable String message, @Nullable Throwable thrown,
                                          @Nullable Object spanContext) {
        try {
            record.putInt(CS_VERSION);
            Instant now = Instant.now();
            record.putUtcTime(now.getEpochSecond(), now.getNano());
        } catch (Throwable e) {
            record.failure = e;
        }
        Probe probe = record.probe;
        if (probe != null && probe.otel()) {
            ProbeRuntime.putSpanIds(record, spanContext);
        }
        try {
            if (record.failure != null) {
                return;
            }
            record.putString(TYPE_NAME);
            record.putString(message);
            record.putShort(SEVERITY_NUMBERS[level]);
            record.putString(SEVERITY_TEXTS[level]);
            record.putString(logger);
            record.putString(Thread.currentThread().getName());
            record.putString(thrown == null ? "" : thrown.getClass().getName());
            String thrownMessage = thrown == null ? null : thrownMessage(thrown);
            record.putString(thrownMessage == null ? "" : thrownMessage);
        } catch (Throwable e) {
            record.failure = e;
        }
        if (probe != null && probe.threadContext()) {
            ProbeRuntime.putThreadContext(record);
        }
    }

    /**
     * The call woven at the entry of every {@code java.util.logging.Logger.log(Level, ...)} and {@code
     * logp(Level, ...)} overload, made only once the log events' enable word reads non-zero (the woven code
     * tests that itself: one load, a test, a branch). It maps the level, and when that level's event is
     * traced and this thread is not already inside a bridged record, writes the record ({@link #writeJul})
     * between {@link #enter} and {@link #exit}. The woven code catches whatever this throws.
     *
     * @param word      the address of the log events' shared enable word
     * @param julLevel  the call's {@code Level.intValue()}
     * @param logger    the logger called; its name is read only when the record is written
     * @param signature the method's name and descriptor, {@code log(Ljava/util/logging/Level;Ljava/lang/String;)V}
     * @param arguments the call's arguments, the level first
     */
    public static void bridgeJul(long word, int julLevel, Logger logger, String signature,
                                 Object[] arguments) {
        int level = fromJul(julLevel);
        int[] inside = enter(word, level);
        if (inside != null) {
            try {
                writeJul(level, logger.getName(), signature, arguments);
            } finally {
                exit(inside);
            }
        }
    }

    /**
     * Writes a {@code java.util.logging.Logger} call's record: {@code log(Level, ...)} or {@code logp(Level,
     * sourceClass, sourceMethod, ...)} with, after those, one of {@code String}, {@code Supplier<String>},
     * {@code String, Object}, {@code String, Object[]}, {@code String, Throwable} or {@code Throwable,
     * Supplier<String>}. The message is formatted as {@code java.util.logging.Formatter.formatMessage} does
     * ({@code MessageFormat} when there are parameters and the text holds {@code {0}}-style placeholders);
     * resource bundles are not consulted.
     *
     * @param level     {@link #ERROR} ... {@link #TRACE}
     * @param logger    the logger's name; null for an anonymous logger
     * @param signature the method's name and descriptor, {@code log(Ljava/util/logging/Level;Ljava/lang/String;)V}
     * @param arguments the call's arguments, the level first
     */
    public static void writeJul(int level, @Nullable String logger, String signature, Object[] arguments) {
        int first = signature.startsWith("logp(") ? 3 : 1; // logp: level, sourceClass, sourceMethod
        Object message = arguments.length > first ? arguments[first] : null;
        Object[] params = null;
        Throwable thrown = null;
        if (arguments.length > first + 1) {
            Object second = arguments[first + 1];
            if (signature.endsWith("[Ljava/lang/Object;)V")) {
                params = (Object[]) second;
            } else if (signature.endsWith("Ljava/lang/Throwable;)V")) {
                thrown = (Throwable) second;
            } else if (signature.endsWith("Ljava/util/function/Supplier;)V")) {
                thrown = (Throwable) message; // (Throwable, Supplier<String>)
                message = second;
            } else {
                params = new Object[] {second};
            }
        }
        if (message instanceof Supplier<?>) {
            message = ((Supplier<?>) message).get();
        }
        write(level, logger, julMessage((String) message, params), thrown);
    }

    /**
     * A JUL message with its parameters, as {@code java.util.logging.Formatter.formatMessage} formats it:
     * through {@code java.text.MessageFormat} when there are parameters and the text holds a {@code {0}} to
     * {@code {9}} placeholder ({@link JulMessages}, which keeps each thread's parsed patterns), else the text itself.
     *
     * @param format the message text, or null
     * @param params its parameters, or null
     * @return the formatted message; null for a null text
     */
    public static @Nullable String julMessage(@Nullable String format, Object @Nullable [] params) {
        if (format == null || params == null || params.length == 0) {
            return format;
        }
        for (int index = format.indexOf('{'); index >= 0 && index < format.length() - 1;
             index = format.indexOf('{', index + 1)) {
            char digit = format.charAt(index + 1);
            if (digit >= '0' && digit <= '9') {
                try {
                    return JulMessages.format(format, params);
                } catch (RuntimeException e) {
                    return format; // as JUL: a pattern MessageFormat refuses prints as given
                }
            }
        }
        return format;
    }

    /**
     * The {@code thrown} field: {@code Class: message}, the class alone when it has no message, empty
     * without a throwable. A {@code getMessage()} that throws leaves the class alone.
     *
     * @param thrown the record's throwable, or null
     * @return the field's text, never null
     */
    public static String thrownText(@Nullable Throwable thrown) {
        if (thrown == null) {
            return "";
        }
        String type = thrown.getClass().getName();
        String message = thrownMessage(thrown);
        return message == null ? type : type + ": " + message;
    }

    /** A throwable's message; null when it has none or {@code getMessage()} throws. */
    private static @Nullable String thrownMessage(Throwable thrown) {
        try {
            return thrown.getMessage();
        } catch (Throwable e) {
            return null;
        }
    }
}
