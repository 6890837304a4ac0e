package dev.userevents.agent.install;

import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.weave.ProbeDefinitions;
import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.agent.weave.ByteBuddyClassWeaver;
import dev.userevents.agent.weave.EntryOnlyClassWeaver;
import dev.userevents.agent.weave.ProbesFile;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;
import org.jspecify.annotations.Nullable;

/**
 * The agent's class-load hook. Most classes cost a name check and a byte scan: only a class whose bytes
 * mention {@code @Tracepoint}, or that the probes file names, is parsed and woven. A class with entry probes
 * only is woven with plain ASM ({@link EntryOnlyClassWeaver}); exit probes and probes-file classes take Byte
 * Buddy ({@link ByteBuddyClassWeaver}), which costs far more to start. So an application without probes
 * never even loads Byte Buddy, and start-up grows with the probes, not with the classes. The class format never changes (no added members), which retransformation requires.
 * Never throws: a class that cannot be woven loads unchanged, with one log line.
 */
final class TracepointClassTransformer implements ClassFileTransformer {
    private static final ThreadLocal<Boolean> INSIDE = new ThreadLocal<>();

    private final ClassFilter filter;
    private final ProbesFile probes;
    private final ByteBuddyClassWeaver weaver;
    private final String prefix;
    private final EntryOnlyClassWeaver entryOnly;

    TracepointClassTransformer(ClassFilter filter, ProbesFile probes, ByteBuddyClassWeaver weaver, String prefix) {
        this.filter = filter;
        this.probes = probes;
        this.weaver = weaver;
        this.prefix = prefix;
        this.entryOnly = new EntryOnlyClassWeaver(weaver.registrar(), prefix);
    }

    /** Whether the agent may weave this class at all (never the JDK's or its own; include/exclude). */
    boolean accepts(String className) {
        return filter.accepts(className);
    }

    /** Whether a class with these bytes may hold probes: the cheap test, before any parsing. */
    boolean mayHoldProbes(String className, byte[] classFile) {
        return filter.accepts(className)
            && (ClassBytes.mentionsTracepoint(classFile) || probes.classNames().contains(className));
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
            byte[] woven = weave(className, classFile, loader, classBeingRedefined != null);
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

    private byte @Nullable [] weave(String className, byte[] classFile, @Nullable ClassLoader loader, boolean retransforming) {
        EntryOnlyClassWeaver.Plan plan = EntryOnlyClassWeaver.plan(
            retransforming ? CompiledClassFile.readOr(loader, className, classFile) : classFile, probes);
        if (plan.isEntryOnly()) {
            List<ProbeDefinition> definitions = new ArrayList<>(entryOnly.definitions(plan).values());
            return new MethodIsolatingWeaver(weaver.registrar(), className, loader, definitions)
                .weave(include -> entryOnly.weave(classFile, plan, loader, include));
        }
        return weaveWithByteBuddy(className, classFile, loader, retransforming);
    }

    private byte @Nullable [] weaveWithByteBuddy(String className, byte[] classFile, @Nullable ClassLoader loader,
                                                 boolean retransforming) {
        ClassFileLocator classPath = loader == null
            ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader);
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(className, classFile), classPath);
        TypeDescription type = TypePool.Default.of(locator).describe(className).resolve();
        Map<MethodDescription, ProbeDefinition> definitions =
            ProbeDefinitions.of(retransforming ? asCompiled(type, className, classPath) : type, prefix, probes);
        if (definitions.isEmpty()) {
            return null;
        }
        return new MethodIsolatingWeaver(weaver.registrar(), className, loader, new ArrayList<>(definitions.values()))
            .weave(include -> {
                Map<MethodDescription, ProbeDefinition> included = new LinkedHashMap<>();
                definitions.forEach((method, definition) -> {
                    if (include.test(definition.methodKey())) {
                        included.put(method, definition);
                    }
                });
                DynamicType.Builder<?> original = new ByteBuddy()
                    .with(TypeValidation.DISABLED)
                    .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
                    .with(Implementation.Context.Disabled.Factory.INSTANCE)
                    .redefine(type, locator);
                DynamicType.Builder<?> woven = weaver.weave(original, type, included, loader);
                if (woven == original) {
                    return null; // every probe of this class was refused: leave it exactly as it was
                }
                return woven.make().getBytes();
            });
    }

    /**
     * The class as compiled, for its parameter names. On retransformation HotSpot hands over class bytes
     * it rebuilt from its own structures, and JDK 17 leaves the MethodParameters attribute out of them
     * ({@code jvmtiClassFileReconstituter.cpp}): fields would be named arg0, arg1... The class file on the
     * class path still has the names; the weaving itself is applied to the bytes the JVM handed over.
     */
    private static TypeDescription asCompiled(TypeDescription reconstituted, String className, ClassFileLocator classPath) {
        try {
            ClassFileLocator.Resolution compiled = classPath.locate(className);
            if (compiled.isResolved()) {
                return TypePool.Default.of(new ClassFileLocator.Compound(
                    ClassFileLocator.Simple.of(className, compiled.resolve()), classPath)).describe(className).resolve();
            }
        } catch (Exception e) {
            // no class file to read: fall back to the names the JVM kept
        }
        return reconstituted;
    }
}
