package dev.userevents.agent.registry;

import dev.userevents.agent.backend.EventBackend;
import dev.userevents.agent.probe.EventHeaderEvent;
import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.shim.EventFormat;
import dev.userevents.shim.RegistrationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Turns probe definitions into live probes: one id, one enable word, one kernel event each.
 *
 * <p>A method seen again (a class retransformed, or loaded by a second class loader) keeps its event name.
 * A different method asking for a name already taken gets {@code _2}, {@code _3}, ... in the order the
 * classes load, with a log line. When the backend lets one name carry several formats ({@code multiFormat}),
 * only a name taken with the same fields counts as taken: two versions of a class (two class loaders, other
 * parameter types) keep the one name, each format in its own {@code user_events_multi} tracepoint. A probe the kernel refuses is logged with the fix and left unwoven.
 *
 * <p>Class-load time registers in two steps ({@link #deferRegistration()}): while a class is woven, each
 * probe gets its id and enable word only; once the woven class exists, {@link #registerDeferred()} registers
 * the events of those probes with the kernel. A method that could not be woven never gets an event (the
 * kernel would keep it listed for as long as the data file is open), and a probe the kernel refuses is
 * remembered, so weaving the class again leaves its method alone.
 *
 * <p>With an EventHeader provider ({@code format=eventheader}) the probes share tracepoints: every probe of
 * one {@code <provider>_L<level>K<keyword>} gets that tracepoint's one enable word and write index, and the
 * tracepoint is registered once, with the first of its probes; each probe's events carry their own name and
 * fields ({@link EventHeaderEvent}).
 */
public final class ProbeRegistrar {
    private final EventBackend backend;
    /** Per class loader (weakly held: an unloaded web application's loader can go), method key to probe. */
    private final Map<ClassLoader, Map<String, Probe>> probesByLoader = new WeakHashMap<>();
    private final Map<String, Probe> bootstrapProbes = new HashMap<>();
    /** The method that took each name ({@link #nameKey}: the name, or with multiFormat the name and fields). */
    private final Map<String, String> methodByEventName = new HashMap<>();
    /** Method keys (per loader) that must stay unwoven: the kernel refused their event, or weaving failed. */
    private final Map<ClassLoader, Set<String>> leftOffByLoader = new WeakHashMap<>();
    private final Set<String> bootstrapLeftOff = new HashSet<>();
    /** Probes given an id and a word on this thread, waiting for {@link #registerDeferred()}; null: not deferring. */
    @SuppressWarnings("ThreadLocalUsage") // per registrar: a test makes several, and each defers on its own
    private final ThreadLocal<@Nullable List<Pending>> deferred = new ThreadLocal<>();
    private int probeCount;
    /** The EventHeader provider, or null for tracefs events. */
    private final @Nullable String provider;
    /** EventHeader tracepoints by name, each with the word its probes share. */
    private final Map<String, SharedTracepoint> tracepoints = new HashMap<>();

    /**
     * A registrar with no probes yet, registering an event per probe (tracefs format).
     *
     * @param backend gives each probe its enable word and registers its event
     */
    public ProbeRegistrar(EventBackend backend) {
        this(backend, null);
    }

    /**
     * A registrar with no probes yet.
     *
     * @param backend  gives each probe its enable word and registers its event
     * @param provider the EventHeader provider name ({@code format=eventheader}): probes then share the
     *                 tracepoints {@code <provider>_L<level>K<keyword>}; null for a tracefs event per probe
     */
    public ProbeRegistrar(EventBackend backend, @Nullable String provider) {
        this.backend = backend;
        this.provider = provider;
    }

    /** One EventHeader tracepoint: its word from the start, its write index once registered. */
    private static final class SharedTracepoint {
        final String name;
        final long enableWordAddress;
        int writeIndex = -1;
        /** Why the kernel refused the tracepoint; its probes stay off. */
        @Nullable String refusal;

        SharedTracepoint(String name, long enableWordAddress) {
            this.name = name;
            this.enableWordAddress = enableWordAddress;
        }
    }

    /**
     * The backend the probes are registered with.
     *
     * @return the backend given at construction
     */
    public EventBackend backend() {
        return backend;
    }

    /** A probe with its id and word, not registered with the kernel yet. */
    private static final class Pending {
        final Probe probe;
        final ProbeDefinition definition;
        final @Nullable ClassLoader loader;
        /** The EventHeader tracepoint the probe shares, or null for a tracefs event. */
        final @Nullable SharedTracepoint tracepoint;

        Pending(Probe probe, ProbeDefinition definition, @Nullable ClassLoader loader,
                @Nullable SharedTracepoint tracepoint) {
            this.probe = probe;
            this.definition = definition;
            this.loader = loader;
            this.tracepoint = tracepoint;
        }
    }

    /**
     * The probe for this method in this class loader, or null when it must stay unwoven. Registers its event
     * at once, or, on a thread that called {@link #deferRegistration()}, when {@link #registerDeferred()} runs.
     *
     * @param definition the traced method and its event's format
     * @param loader     the defining class loader of the method's class, or null for the bootstrap loader
     * @return the method's probe (the same one for every call with this method and loader), or null when the
     *         kernel refused its event or its weaving failed before
     */
    public synchronized @Nullable Probe register(ProbeDefinition definition, @Nullable ClassLoader loader) {
        Map<String, Probe> probes = probesOf(loader);
        Probe existing = probes.get(definition.methodKey());
        if (existing != null) {
            return existing;
        }
        if (leftOffOf(loader).contains(definition.methodKey())) {
            return null;
        }
        ProbeDefinition named = withUniqueName(definition);
        EventHeaderEvent eventHeader = null;
        SharedTracepoint tracepoint = null;
        if (provider != null) {
            try {
                eventHeader = EventHeaderEvent.of(named, provider);
                EventHeaderEvent.tracepointFormat(eventHeader.tracepointName());
            } catch (IllegalArgumentException e) {
                AgentLog.error("probe " + named.format().name() + " on " + named.className() + "." + named.methodName()
                    + " left off: " + e.getMessage());
                methodByEventName.remove(named.format().name(), definition.methodKey());
                leftOffOf(loader).add(definition.methodKey());
                return null;
            }
            tracepoint = tracepoints.computeIfAbsent(eventHeader.tracepointName(),
                name -> new SharedTracepoint(name, backend.allocateEnableWord()));
        }
        Probe probe = eventHeader == null || tracepoint == null
            ? new Probe(ProbeRuntime.nextProbeId(), named.format().name(),
                definition.className() + "." + definition.methodName(), -1, backend.allocateEnableWord(),
                named.format().fixedSize(), named.stringFields(), backend.sink())
            : new Probe(ProbeRuntime.nextProbeId(), named.format().name(),
                definition.className() + "." + definition.methodName(), -1, tracepoint.enableWordAddress,
                eventHeader.fixedSize(), eventHeader.stringFields(), backend.sink());
        if (eventHeader != null) {
            probe.encodeAsEventHeader(eventHeader.prefix(), eventHeader.tracepointName());
        }
        if (named.threadContext()) {
            probe.carryThreadContext();
        }
        if (named.stack()) {
            probe.carryStack();
        }
        if (named.otel() && loader != null) { // the bootstrap loader never sees OpenTelemetry (OpenTelemetryApi)
            probe.carryOtelContext(loader);
        }
        probes.put(definition.methodKey(), probe);
        List<Pending> pending = deferred.get();
        if (pending != null) {
            pending.add(new Pending(probe, named, loader, tracepoint));
            return probe;
        }
        return registerWithKernel(new Pending(probe, named, loader, tracepoint)) ? probe : null;
    }

    /** From now until {@link #registerDeferred()} or {@link #discardDeferred()}, this thread's probes wait. */
    public void deferRegistration() {
        deferred.set(new ArrayList<>());
    }

    /**
     * Registers the events of this thread's waiting probes, and stops deferring.
     *
     * @return the method keys whose event the kernel refused (logged; they stay unwoven from now on)
     */
    public synchronized Set<String> registerDeferred() {
        List<Pending> pending = deferred.get();
        deferred.remove();
        Set<String> refused = new HashSet<>();
        if (pending != null) {
            for (Pending probe : pending) {
                if (!registerWithKernel(probe)) {
                    refused.add(probe.definition.methodKey());
                }
            }
        }
        return refused;
    }

    /** Forgets this thread's waiting probes (their class was not woven), and stops deferring. */
    public synchronized void discardDeferred() {
        List<Pending> pending = deferred.get();
        deferred.remove();
        if (pending != null) {
            for (Pending probe : pending) {
                forget(probe);
            }
        }
    }

    /**
     * Keeps a method unwoven from now on (it could not be woven): its waiting probe, if any, is forgotten.
     *
     * @param methodKey {@link ProbeDefinition#methodKey()} of the method's entry or exit probe
     * @param loader    the class loader of its class, null for the bootstrap loader
     */
    public synchronized void leaveOff(String methodKey, @Nullable ClassLoader loader) {
        leftOffOf(loader).add(methodKey);
        Probe probe = probesOf(loader).get(methodKey);
        if (probe != null && probe.writeIndex() < 0) {
            probesOf(loader).remove(methodKey);
        }
    }

    /**
     * Whether a method is kept unwoven: weaving it failed, or the kernel refused its event.
     *
     * @param methodKey {@link ProbeDefinition#methodKey()} of the method's entry or exit probe
     * @param loader    the class loader of its class, null for the bootstrap loader
     * @return true when {@link #leaveOff} or a refused registration left it off
     */
    public synchronized boolean isLeftOff(String methodKey, @Nullable ClassLoader loader) {
        return leftOffOf(loader).contains(methodKey);
    }

    private boolean registerWithKernel(Pending pending) {
        ProbeDefinition named = pending.definition;
        Probe probe = pending.probe;
        try {
            SharedTracepoint tracepoint = pending.tracepoint;
            if (tracepoint != null) {
                registerTracepoint(tracepoint);
                probe.registeredAt(tracepoint.writeIndex);
                ProbeRuntime.install(probe);
                probeCount++;
                if (AgentLog.enabled(AgentLog.DEBUG)) {
                    AgentLog.debug("probe " + named.format().name() + " on " + named.methodKey() + " writes to "
                        + tracepoint.name);
                }
                return true;
            }
            EventBackend.Registered registered = backend.register(named.format(), probe.enableWordAddress());
            probe.registeredAt(registered.writeIndex);
            if (backend.namesCarrySeveralFormats()) { // status tells the formats of one name apart
                probe.describeFields(named.format().command().substring(named.format().name().length()).trim());
            }
            ProbeRuntime.install(probe);
            probeCount++;
            if (AgentLog.enabled(AgentLog.DEBUG)) { // the format command is built only for this line
                AgentLog.debug("probe " + registered.system + ":" + named.format().command() + " on " + named.methodKey());
            }
            return true;
        } catch (RegistrationException | RuntimeException e) {
            AgentLog.error("probe " + named.format().name() + " on " + named.className() + "." + named.methodName()
                + " left off: " + e.getMessage());
        }
        forget(pending);
        leftOffOf(pending.loader).add(named.methodKey());
        return false;
    }

    /**
     * Registers an EventHeader tracepoint with the kernel the first time one of its probes needs it.
     *
     * @throws RegistrationException when the kernel refuses it, now or before (its probes all stay off)
     */
    private void registerTracepoint(SharedTracepoint tracepoint) throws RegistrationException {
        if (tracepoint.writeIndex >= 0) {
            return;
        }
        String refusal = tracepoint.refusal;
        if (refusal != null) {
            throw new RegistrationException(tracepoint.name, 0, refusal);
        }
        try {
            EventBackend.Registered registered = backend.register(EventHeaderEvent.tracepointFormat(tracepoint.name),
                tracepoint.enableWordAddress);
            tracepoint.writeIndex = registered.writeIndex;
            AgentLog.debug("EventHeader tracepoint " + registered.system + ":" + tracepoint.name + " registered");
        } catch (RegistrationException | RuntimeException e) {
            tracepoint.refusal = "EventHeader tracepoint " + tracepoint.name + " refused: " + e.getMessage();
            throw e;
        }
    }

    private void forget(Pending pending) {
        probesOf(pending.loader).remove(pending.definition.methodKey());
        methodByEventName.remove(nameKey(pending.definition.format(), pending.probe.eventName()),
            pending.definition.methodKey());
    }

    private Map<String, Probe> probesOf(@Nullable ClassLoader loader) {
        return loader == null ? bootstrapProbes : probesByLoader.computeIfAbsent(loader, key -> new HashMap<>());
    }

    private Set<String> leftOffOf(@Nullable ClassLoader loader) {
        return loader == null ? bootstrapLeftOff : leftOffByLoader.computeIfAbsent(loader, key -> new HashSet<>());
    }

    private ProbeDefinition withUniqueName(ProbeDefinition definition) {
        String base = definition.format().name();
        String name = base;
        for (int suffix = 2; ; suffix++) {
            String owner = methodByEventName.get(nameKey(definition.format(), name));
            if (owner == null || owner.equals(definition.methodKey())) {
                break;
            }
            name = base + "_" + suffix;
        }
        methodByEventName.put(nameKey(definition.format(), name), definition.methodKey());
        if (!name.equals(base)) {
            AgentLog.info("event name " + base + " is taken by " + methodByEventName.get(nameKey(definition.format(), base))
                + "; " + definition.methodKey() + " becomes " + name);
            return definition.renamed(name);
        }
        return definition;
    }

    /** What makes a name taken: the name; with several formats per name, the name and the fields. */
    private String nameKey(EventFormat format, String name) {
        return backend.namesCarrySeveralFormats() ? name + format.command().substring(format.name().length()) : name;
    }

    /**
     * How many probes this registrar registered with the backend (EventHeader probes share tracepoints: each
     * counts).
     *
     * @return the count so far
     */
    public synchronized int probeCount() {
        return probeCount;
    }
}
