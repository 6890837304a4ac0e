package dev.userevents.agent.install;

import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.weave.ClassBytes;
import dev.userevents.agent.weave.ProbeClassWeaver;
import dev.userevents.agent.weave.ProbesFile;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The agent's class-load hook. Most classes cost a name check and a byte scan: only a class whose bytes
 * mention {@code @Tracepoint}, or that the probes file names, is read and woven ({@link ProbeClassWeaver}:
 * plain ASM, no Byte Buddy type descriptions, so start-up grows with the probes, not with the classes). The
 * class format never changes (no added members), which retransformation requires. Never throws: a class
 * that cannot be woven loads unchanged, with one log line.
 */
final class TracepointClassTransformer implements ClassFileTransformer {
    private static final ThreadLocal<Boolean> INSIDE = new ThreadLocal<>();

    private final ClassFilter filter;
    private final ProbesFile probes;
    private final ProbeRegistrar registrar;
    private final ProbeClassWeaver weaver;
    private volatile @Nullable OnDemandProbes onDemand;

    TracepointClassTransformer(ClassFilter filter, ProbesFile probes, ProbeRegistrar registrar, String prefix) {
        this(filter, probes, new ProbeClassWeaver(registrar, prefix), registrar);
    }

    /** {@code weaver} must register with {@code registrar}, which the per-method isolation also uses. */
    TracepointClassTransformer(ClassFilter filter, ProbesFile probes, ProbeClassWeaver weaver, ProbeRegistrar registrar) {
        this.filter = filter;
        this.probes = probes;
        this.registrar = registrar;
        this.weaver = weaver;
    }

    /**
     * Makes on-demand lines' methods candidates, registered by and woven as {@code candidates} decides; without
     * it they are left out. Set before the transformer is added.
     */
    void onDemand(OnDemandProbes candidates) {
        this.onDemand = candidates;
    }
    /** Whether the agent may weave this class at all (never the JDK's or its own; include/exclude). */
    boolean accepts(String className) {
        return filter.accepts(className);
    }

    /** Whether a class with these bytes may hold probes: the cheap test, before any parsing. */
    boolean mayHoldProbes(String className, byte[] classFile) {
        return filter.accepts(className)
            && (ClassBytes.mentionsTracepoint(classFile) || probes.mayName(className, classFile));
    }

    @Override
    public byte @Nullable [] transform(@Nullable ClassLoader loader, @Nullable String internalName,
                                       @Nullable Class<?> classBeingRedefined, ProtectionDomain protectionDomain,
                                       byte @Nullable [] classFile) {
        if (internalName == null || classFile == null || INSIDE.get() != null) {
            return null;
        }
        String className = internalName.replace('/', '.');
        if (!mayHoldProbes(className, classFile)) {
            return null;
        }
        INSIDE.set(Boolean.TRUE); // weaving may load classes; they must not come back here
        long start = System.nanoTime();
        try {
            byte[] woven = weave(className, classFile, loader, classBeingRedefined);
            if (woven != null && AgentLog.enabled(AgentLog.DEBUG)) {
                AgentLog.debug("woven " + className + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
            return woven;
        } catch (Throwable e) {
            AgentLog.error("could not weave probes into " + className + ": " + e + "; that class runs untraced");
            return null;
        } finally {
            INSIDE.remove();
        }
    }

    /**
     * For a class loaded before the agent (attach): registers its on-demand candidates without touching it.
     *
     * @return whether it also has probes woven at load, so it must be retransformed
     */
    boolean prepareLoaded(Class<?> type, byte[] classFile) {
        ClassLoader loader = type.getClassLoader();
        ProbeClassWeaver.Plan plan = ProbeClassWeaver.plan(classFile, probes);
        List<ProbeDefinition> candidates = new ArrayList<>();
        boolean atLoad = split(plan, loader, new ArrayList<>(), candidates);
        OnDemandProbes onDemand = this.onDemand;
        if (!candidates.isEmpty() && onDemand != null) {
            onDemand.wovenCandidates(type.getName(), loader, type, candidates, plan, atLoad);
        }
        return atLoad;
    }

    /** Sorts the class's definitions; true when some are woven at load. */
    private boolean split(ProbeClassWeaver.Plan plan, @Nullable ClassLoader loader, List<ProbeDefinition> atLoad,
                          List<ProbeDefinition> candidates) {
        Set<String> onDemandKeys = weaver.onDemandKeys(plan, loader);
        for (ProbeDefinition definition : weaver.definitions(plan, loader).values()) {
            (onDemandKeys.contains(definition.methodKey()) ? candidates : atLoad).add(definition);
        }
        return !atLoad.isEmpty();
    }

    private byte @Nullable [] weave(String className, byte[] classFile, @Nullable ClassLoader loader,
                                    @Nullable Class<?> classBeingRedefined) {
        boolean retransforming = classBeingRedefined != null;
        // On retransformation HotSpot hands over class bytes it rebuilt from its own structures, and JDK 17
        // leaves the MethodParameters attribute out of them (jvmtiClassFileReconstituter.cpp): the names are
        // read from the class file as compiled; the weaving is applied to the bytes the JVM handed over.
        OnDemandProbes onDemand = this.onDemand;
        ProbeClassWeaver.Plan known = retransforming && onDemand != null ? onDemand.knownPlan(className, loader) : null;
        ProbeClassWeaver.Plan plan = known != null ? known : ProbeClassWeaver.plan(
            retransforming ? CompiledClassFile.readOr(loader, className, classFile) : classFile, probes);
        List<ProbeDefinition> definitions = new ArrayList<>();
        List<ProbeDefinition> candidates = new ArrayList<>();
        split(plan, loader, definitions, candidates);
        if (!candidates.isEmpty() && onDemand != null) {
            // Registered now (not deferred): a candidate's event exists while its method is untouched.
            Set<String> wovenNow = onDemand.wovenCandidates(className, loader, classBeingRedefined, candidates, plan,
                !definitions.isEmpty());
            for (ProbeDefinition candidate : candidates) {
                if (wovenNow.contains(candidate.methodKey())) {
                    definitions.add(candidate);
                }
            }
        }
        if (definitions.isEmpty()) {
            return null;
        }
        Set<String> weaving = new HashSet<>();
        for (ProbeDefinition definition : definitions) {
            weaving.add(definition.methodKey());
        }
        return new MethodIsolatingWeaver(registrar, className, loader, Collections.unmodifiableList(definitions))
            .weave(include -> weaver.weave(classFile, plan, loader, key -> weaving.contains(key) && include.test(key)));
    }
}
