package dev.userevents.agent.registry;

import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.agent.weave.ProbeDefinition;
import dev.userevents.shim.FormatConflictException;
import dev.userevents.shim.RegistrationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Turns probe definitions into live probes: one id, one enable word, one kernel event each.
 *
 * <p>A method seen again (a class retransformed, or loaded by a second class loader) keeps its event name.
 * A different method asking for a name already taken gets {@code _2}, {@code _3}, ... in the order the
 * classes load, with a log line. A probe the kernel refuses is logged with the fix and left unwoven.
 */
public final class ProbeRegistrar {
    private final EventBackend backend;
    /** Per class loader (weakly held: an unloaded web application's loader can go), method key to probe. */
    private final Map<ClassLoader, Map<String, Probe>> probesByLoader = new WeakHashMap<>();
    private final Map<String, Probe> bootstrapProbes = new HashMap<>();
    private final Map<String, String> methodByEventName = new HashMap<>();
    private int probeCount;

    public ProbeRegistrar(EventBackend backend) {
        this.backend = backend;
    }

    public EventBackend backend() {
        return backend;
    }

    /** The live probe for this method in this class loader, or null when it must stay unwoven. */
    public synchronized Probe register(ProbeDefinition definition, ClassLoader loader) {
        Map<String, Probe> probes = loader == null ? bootstrapProbes : probesByLoader.computeIfAbsent(loader, key -> new HashMap<>());
        Probe existing = probes.get(definition.methodKey());
        if (existing != null) {
            return existing;
        }
        ProbeDefinition named = withUniqueName(definition);
        try {
            EventBackend.Registered registered = backend.register(named.format());
            Probe probe = new Probe(ProbeRuntime.nextProbeId(), named.format().name(), definition.className() + "." + definition.methodName(),
                registered.writeIndex, registered.enableWordAddress, named.format().fixedSize(),
                named.stringFields(), backend.sink());
            ProbeRuntime.install(probe);
            probes.put(definition.methodKey(), probe);
            probeCount++;
            if (AgentLog.enabled(AgentLog.DEBUG)) { // the format command is built only for this line
                AgentLog.debug("probe " + registered.system + ":" + named.format().command() + " on " + definition.methodKey());
            }
            return probe;
        } catch (FormatConflictException e) {
            AgentLog.error("probe " + named.format().name() + " on " + definition.className() + "." + definition.methodName()
                + " left off: " + e.getMessage());
        } catch (RegistrationException | RuntimeException e) {
            AgentLog.error("probe " + named.format().name() + " on " + definition.className() + "." + definition.methodName()
                + " left off: " + e.getMessage());
        }
        return null;
    }

    private ProbeDefinition withUniqueName(ProbeDefinition definition) {
        String base = definition.format().name();
        String name = base;
        for (int suffix = 2; ; suffix++) {
            String owner = methodByEventName.get(name);
            if (owner == null || owner.equals(definition.methodKey())) {
                break;
            }
            name = base + "_" + suffix;
        }
        methodByEventName.put(name, definition.methodKey());
        if (!name.equals(base)) {
            AgentLog.info("event name " + base + " is taken by " + methodByEventName.get(base) + "; "
                + definition.methodKey() + " becomes " + name);
            return definition.renamed(name);
        }
        return definition;
    }

    /** One debug line per probe: events written, and writes that raced a detaching tracer. */
    public synchronized void logCounts() {
        if (!AgentLog.enabled(AgentLog.DEBUG)) {
            return;
        }
        List<Probe> all = new ArrayList<>(bootstrapProbes.values());
        for (Map<String, Probe> probes : probesByLoader.values()) {
            all.addAll(probes.values());
        }
        for (Probe probe : all) {
            AgentLog.debug("probe " + probe.eventName() + ": " + probe.written() + " written, " + probe.raced()
                + " found no tracer" + (probe.isOff() ? ", switched off" : ""));
        }
    }

    public synchronized int probeCount() {
        return probeCount;
    }
}
