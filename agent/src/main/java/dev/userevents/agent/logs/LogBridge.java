package dev.userevents.agent.logs;

import dev.userevents.agent.backend.EventBackend;
import dev.userevents.agent.probe.EventHeaderEvent;
import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.agent.runtime.LogEvents;
import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.shim.EventFormat;
import dev.userevents.shim.RegistrationException;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Bridges the application's logging frameworks (Logback 1.3+, Log4j 2.17+, {@code java.util.logging}) to
 * the events {@code log_error}, {@code log_warn}, {@code log_info}, {@code log_debug} and {@code log_trace},
 * with no appender or configuration change: their logger classes are woven when they load (or retransformed
 * when already loaded, as on attach), see {@link LogBridgeTransformer}. The five events are registered when
 * the first framework is woven, on one enable word with a bit each.
 */
public final class LogBridge {
    private final EventBackend backend;
    private final String prefix;
    private final boolean threadContext;
    /** Whether a class loader sees a usable OpenTelemetry API ({@code context=otel}); null: no OpenTelemetry ids. */
    private final @Nullable Predicate<ClassLoader> otelUsable;
    /** The EventHeader provider ({@code format=eventheader}): records are Common Schema log events; null: tracefs. */
    private final @Nullable String provider;
    /** The shared enable word; 0 until the events are registered. */
    private long word;

    LogBridge(EventBackend backend, String prefix) {
        this(backend, prefix, false);
    }

    /**
     * A bridge whose events may end with the thread context.
     *
     * @param backend       where the log events are registered and written
     * @param prefix        put before each event name (agent option {@code prefix})
     * @param threadContext whether each log event ends with {@code java_tid} and {@code virtual} (agent option
     *                      {@code context=thread})
     */
    LogBridge(EventBackend backend, String prefix, boolean threadContext) {
        this(backend, prefix, threadContext, null);
    }

    /**
     * A bridge whose events may end with the thread context and the OpenTelemetry ids.
     *
     * @param backend       where the log events are registered and written
     * @param prefix        put before each event name (agent option {@code prefix})
     * @param threadContext whether each log event ends with {@code java_tid} and {@code virtual}
     * @param otelUsable    whether a class loader sees a usable OpenTelemetry API, asked once, of the loader of the
     *                      first framework class bridged (the system class loader for java.util.logging); when it
     *                      does, every log event ends with {@code trace_id} and {@code span_id}; null for none
     */
    LogBridge(EventBackend backend, String prefix, boolean threadContext, @Nullable Predicate<ClassLoader> otelUsable) {
        this(backend, prefix, threadContext, otelUsable, null);
    }

    /**
     * A bridge whose events may be EventHeader ones.
     *
     * @param backend       where the log events are registered and written
     * @param prefix        put before each event name (agent option {@code prefix}); tracefs events only
     * @param threadContext whether each log event carries the thread context
     * @param otelUsable    whether a class loader sees a usable OpenTelemetry API; null for no ids
     * @param provider      the EventHeader provider ({@code format=eventheader}): each record is a Common Schema
     *                      log event ({@link CommonSchemaLog}) on {@code <provider>_L<level>K1}; null for the
     *                      tracefs events {@code log_error} ... {@code log_trace}
     */
    LogBridge(EventBackend backend, String prefix, boolean threadContext, @Nullable Predicate<ClassLoader> otelUsable,
              @Nullable String provider) {
        this.backend = backend;
        this.prefix = prefix;
        this.threadContext = threadContext;
        this.otelUsable = otelUsable;
        this.provider = provider;
    }

    /**
     * Installs the bridges: a class-load hook for the frameworks' logger classes, and a retransformation of
     * those already loaded. Never throws; a failure is one log line and leaves the frameworks as they were.
     *
     * @param instrumentation the agent's
     * @param backend         where the log events are registered and written
     * @param prefix          put before each event name (agent option {@code prefix})
     * @param threadContext   whether each log event ends with {@code java_tid} and {@code virtual}
     *                        ({@code context=thread})
     * @param otelUsable      whether a class loader sees a usable OpenTelemetry API ({@code context=otel}), for the
     *                        loader of the first framework bridged; null when the ids are not asked for
     * @param provider        the EventHeader provider ({@code format=eventheader}), or null for tracefs events
     */
    public static void install(Instrumentation instrumentation, EventBackend backend, String prefix,
                               boolean threadContext, @Nullable Predicate<ClassLoader> otelUsable,
                               @Nullable String provider) {
        try {
            LogBridge bridge = new LogBridge(backend, prefix, threadContext, otelUsable, provider);
            LogBridgeTransformer transformer = new LogBridgeTransformer(bridge);
            letJavaLoggingReachTheRuntime(instrumentation);
            instrumentation.addTransformer(transformer, true);
            List<Class<?>> loaded = new ArrayList<>();
            for (Class<?> type : instrumentation.getAllLoadedClasses()) {
                if (LogBridgeTransformer.isBridged(type.getName()) && instrumentation.isModifiableClass(type)) {
                    loaded.add(type);
                }
            }
            for (Class<?> type : loaded) {
                try {
                    instrumentation.retransformClasses(type);
                } catch (Throwable e) {
                    AgentLog.error("log bridge: could not weave the loaded class " + type.getName() + ": " + e
                        + "; its records are not bridged, the application is unaffected");
                }
            }
        } catch (Throwable e) {
            AgentLog.error("log bridge not installed: " + e + "; log records are not bridged (the application is"
                + " unaffected); logs=false turns the bridge off without this line");
        }
    }

    /**
     * JUL's logger lives in the named module {@code java.logging}, which reads no unnamed module; the woven
     * code calls the agent's runtime, defined in the bootstrap loader's unnamed module. (A JDK without the
     * module has no JUL to bridge.)
     */
    private static void letJavaLoggingReachTheRuntime(Instrumentation instrumentation) {
        // Found by name: naming java.util.logging.Logger here would load it in every JVM, and so weave it and
        // register the five log events even in an application that never logs through JUL.
        Module runtime = LogEvents.class.getModule();
        ModuleLayer.boot().findModule("java.logging").ifPresent(julModule -> {
            if (!julModule.canRead(runtime)) {
                instrumentation.redefineModule(julModule, Set.of(runtime), Map.of(), Map.of(), Set.of(), Map.of());
            }
        });
    }

    /**
     * The log events' shared enable word, registering the five events on first use.
     *
     * @return the word's address, or 0 when not one of the events could be registered (logged)
     */
    synchronized long enableWord() {
        return enableWord(null);
    }

    /**
     * The log events' shared enable word, registering the five events on first use.
     *
     * @param loader the loader of the framework class being bridged (null: the bootstrap loader, as for
     *               java.util.logging); on first use, whether it sees OpenTelemetry decides the ids' fields
     * @return the word's address, or 0 when not one of the events could be registered (logged)
     */
    synchronized long enableWord(@Nullable ClassLoader loader) {
        if (word != 0) {
            return word;
        }
        // JUL's Logger is the bootstrap loader's, which sees no application library: ask the application's.
        ClassLoader seeing = loader != null ? loader : ClassLoader.getSystemClassLoader();
        boolean otel = otelUsable != null && seeing != null && otelUsable.test(seeing);
        long allocated = backend.allocateEnableWord();
        // by tracepoint, the events refused on it (EventHeader's debug and trace share one) and the kernel's reason
        Map<String, List<String>> refused = new LinkedHashMap<>();
        Map<String, String> reasons = new HashMap<>();
        int registered = 0;
        for (int level = LogEvents.ERROR; level <= LogEvents.TRACE; level++) {
            String name = prefix + LogEvents.eventName(level);
            EventFormat format;
            Probe probe;
            if (provider == null) {
                format = format(name, threadContext, otel);
                probe = new Probe(ProbeRuntime.nextProbeId(), name, "log bridge", -1, allocated, level,
                    format.fixedSize(), otel ? 6 : 4, backend.sink());
            } else {
                EventHeaderEvent event = CommonSchemaLog.event(provider, level, threadContext, otel);
                format = EventHeaderEvent.tracepointFormat(event.tracepointName());
                probe = new Probe(ProbeRuntime.nextProbeId(), name, "log bridge", -1, allocated, level,
                    event.fixedSize(), event.stringFields(), backend.sink());
                probe.encodeAsEventHeader(event.prefix(), event.tracepointName());
            }
            if (threadContext) {
                probe.carryThreadContext();
            }
            if (otel && seeing != null) {
                probe.carryOtelContext(seeing);
            }
            try {
                probe.registeredAt(backend.registerOnBit(format, allocated, level).writeIndex);
                LogEvents.install(level, probe);
                registered++;
            } catch (RegistrationException | RuntimeException e) {
                refused.computeIfAbsent(format.name(), tracepoint -> new ArrayList<>()).add(name);
                reasons.putIfAbsent(format.name(), String.valueOf(e.getMessage()));
            }
        }
        if (!refused.isEmpty()) {
            List<String> said = new ArrayList<>();
            refused.forEach((tracepoint, events) -> said.add(tracepoint
                + (events.equals(List.of(tracepoint)) ? "" : " (" + String.join(", ", events) + ")")
                + ": " + reasons.get(tracepoint)));
            AgentLog.error("log bridge: the kernel refused " + String.join("; ", said)
                + "; records of those levels are not bridged");
        }
        if (registered == 0) {
            return 0;
        }
        word = allocated;
        AgentLog.debug("log bridge: " + registered + " log events registered");
        return word;
    }

    /**
     * The format of one log event: {@code logger}, {@code message}, {@code thread}, {@code thrown}, each a
     * {@code __rel_loc char[]}, then with the thread context {@code java_tid} (s64) and {@code virtual} (u8)
     * ({@link LogEvents#write} writes them in this order).
     *
     * @param name          the event's name, prefix included
     * @param threadContext whether the thread context's fields end it
     * @return the format
     */
    static EventFormat format(String name, boolean threadContext) {
        return format(name, threadContext, false);
    }

    /**
     * A log event's format: the four strings, then the thread context's fields, then the OpenTelemetry ids'.
     *
     * @param name          the event name, prefix included
     * @param threadContext whether the thread context's fields follow
     * @param otel          whether {@code trace_id} and {@code span_id} end it
     * @return the format
     */
    static EventFormat format(String name, boolean threadContext, boolean otel) {
        EventFormat format = EventFormat.named(name).string("logger").string("message").string("thread").string("thrown");
        if (threadContext) {
            format = format.s64(ProbeDefinition.JAVA_TID_FIELD).u8(ProbeDefinition.VIRTUAL_FIELD);
        }
        return otel ? format.string(ProbeDefinition.TRACE_ID_FIELD).string(ProbeDefinition.SPAN_ID_FIELD) : format;
    }
}
