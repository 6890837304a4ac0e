package dev.userevents.agent.weave;

import dev.userevents.agent.probe.ParameterKind;
import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.agent.runtime.Probe;
import java.lang.annotation.Annotation;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.bytecode.constant.IntegerConstant;
import net.bytebuddy.implementation.bytecode.constant.LongConstant;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;
import org.jspecify.annotations.Nullable;

/**
 * Class-load time: registers the probes of one class and weaves each registered method. A method whose
 * probe the kernel refused is left exactly as it was.
 */
public final class ByteBuddyClassWeaver implements AgentBuilder.Transformer {
    private final ProbeRegistrar registrar;
    private final String prefix;
    private final ProbesFile probes;

    /**
     * A transformer for {@code @Tracepoint} methods only.
     *
     * @param registrar gives each probe its id and enable word, and registers its event
     * @param prefix    put before every event name (agent option {@code prefix}; "" for none)
     */
    public ByteBuddyClassWeaver(ProbeRegistrar registrar, String prefix) {
        this(registrar, prefix, ProbesFile.EMPTY);
    }

    /**
     * A transformer for {@code @Tracepoint} methods and the methods a probes file names.
     *
     * @param registrar gives each probe its id and enable word, and registers its event
     * @param prefix    put before every event name (agent option {@code prefix}; "" for none)
     * @param probes    the probes file, or {@link ProbesFile#EMPTY}
     */
    public ByteBuddyClassWeaver(ProbeRegistrar registrar, String prefix, ProbesFile probes) {
        this.registrar = registrar;
        this.prefix = prefix;
        this.probes = probes;
    }

    /**
     * The registrar this transformer registers probes with.
     *
     * @return the registrar given at construction
     */
    public ProbeRegistrar registrar() {
        return registrar;
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                            @Nullable ClassLoader loader, @Nullable JavaModule module,
                                            @Nullable ProtectionDomain protectionDomain) {
        return weave(builder, type, ProbeDefinitions.of(type, prefix, probes), loader);
    }

    /**
     * Weaves the given definitions (from annotations or a probes file) into {@code builder}. Methods are
     * found by name and descriptor in hash maps, so a class with a thousand probes costs a thousand look-ups,
     * not a million matcher calls: one entry visitor for all methods, one exit advice per kind of return
     * value, each reading its probe's constants from the map.
     *
     * @param builder     the class being redefined or rebased
     * @param type        the class, as Byte Buddy describes it (for the log line)
     * @param definitions the methods to trace, keyed by the method they weave into ({@link ProbeDefinitions#of})
     * @param loader      the class's defining loader, or null for the bootstrap loader
     * @return {@code builder} with the probes the registrar accepted woven in; {@code builder} itself when it
     *     accepted none, so the class loads unchanged
     */
    public DynamicType.Builder<?> weave(DynamicType.Builder<?> builder, TypeDescription type,
                                       Map<MethodDescription, ProbeDefinition> definitions,
                                       @Nullable ClassLoader loader) {
        Map<String, EntryWrapper> entries = new HashMap<>();
        Map<Class<?>, Map<String, Probe>> exitsByTemplate = new LinkedHashMap<>();
        for (Map.Entry<MethodDescription, ProbeDefinition> entry : definitions.entrySet()) {
            ProbeDefinition definition = entry.getValue();
            String key = methodKey(definition.methodName(), definition.descriptor());
            Probe probe = registrar.register(definition, loader);
            if (probe != null) {
                entries.put(key, new EntryWrapper(probe, definition, entry.getKey().isStatic()));
            }
            ProbeDefinition exit = definition.exit();
            Probe exitProbe = exit == null ? null : registrar.register(exit, loader);
            if (exit != null && exitProbe != null) {
                ParameterKind returnKind = exit.parameters().isEmpty() ? null : exit.parameters().get(0);
                exitsByTemplate.computeIfAbsent(ExitAdvice.exitTemplateFor(returnKind), template -> new HashMap<>())
                    .put(key, exitProbe);
            }
        }
        if (entries.isEmpty() && exitsByTemplate.isEmpty()) {
            return builder;
        }
        AgentLog.debug("weaving " + entries.size() + " entry and "
            + exitsByTemplate.values().stream().mapToInt(Map::size).sum() + " exit probe(s) into " + type.getName()
            + " with Byte Buddy");
        if (!entries.isEmpty()) {
            builder = builder.visit(new AsmVisitorWrapper.ForDeclaredMethods()
                .readerFlags(ClassReader.EXPAND_FRAMES)
                .method(new MethodKeyIn(entries.keySet()), new EntryDispatcher(entries)));
        }
        for (Map.Entry<Class<?>, Map<String, Probe>> exits : exitsByTemplate.entrySet()) {
            Map<String, Probe> probes = exits.getValue();
            builder = builder.visit(Advice.withCustomMapping()
                .bind(new ProbeConstant<>(ExitAdvice.ProbeId.class, probes, false))
                .bind(new ProbeConstant<>(ExitAdvice.EnableWord.class, probes, true))
                .to(ExitAdvice.Timing.class, exits.getKey())
                .on(new MethodKeyIn(probes.keySet())));
        }
        return builder;
    }

    static String methodKey(String name, String descriptor) {
        return name + descriptor;
    }

    /** Matches the methods whose name and descriptor are in a set. */
    private static final class MethodKeyIn extends ElementMatcher.Junction.AbstractBase<MethodDescription> {
        private final Set<String> keys;

        MethodKeyIn(Set<String> keys) {
            this.keys = keys;
        }

        @Override
        public boolean matches(MethodDescription target) {
            return keys.contains(methodKey(target.getInternalName(), target.getDescriptor()));
        }
    }

    /** Hands each matched method to its own entry weaver. */
    private static final class EntryDispatcher implements AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper {
        private final Map<String, EntryWrapper> entries;

        EntryDispatcher(Map<String, EntryWrapper> entries) {
            this.entries = entries;
        }

        @Override
        public MethodVisitor wrap(TypeDescription instrumentedType, MethodDescription instrumentedMethod,
                                  MethodVisitor methodVisitor, Implementation.Context context, TypePool typePool,
                                  int writerFlags, int readerFlags) {
            EntryWrapper entry = entries.get(methodKey(instrumentedMethod.getInternalName(), instrumentedMethod.getDescriptor()));
            return entry == null ? methodVisitor
                : entry.wrap(instrumentedType, instrumentedMethod, methodVisitor, context, typePool, writerFlags, readerFlags);
        }
    }

    /** Binds an exit template's {@code @ProbeId} or {@code @EnableWord} parameter to the woven method's probe. */
    private static final class ProbeConstant<T extends Annotation> implements Advice.OffsetMapping.Factory<T> {
        private final Class<T> annotation;
        private final Map<String, Probe> probes;
        private final boolean enableWordAddress;

        ProbeConstant(Class<T> annotation, Map<String, Probe> probes, boolean enableWordAddress) {
            this.annotation = annotation;
            this.probes = probes;
            this.enableWordAddress = enableWordAddress;
        }

        @Override
        public Class<T> getAnnotationType() {
            return annotation;
        }

        @Override
        public Advice.OffsetMapping make(ParameterDescription.InDefinedShape target, AnnotationDescription.Loadable<T> value,
                                         AdviceType adviceType) {
            return (instrumentedType, instrumentedMethod, assigner, argumentHandler, sort) -> {
                Probe probe = Objects.requireNonNull(
                    probes.get(methodKey(instrumentedMethod.getInternalName(), instrumentedMethod.getDescriptor())),
                    "advice applied to a method without a probe: MethodKeyIn matches only keys of this map");
                return new Advice.OffsetMapping.Target.ForStackManipulation(enableWordAddress
                    ? LongConstant.forValue(probe.enableWordAddress()) : IntegerConstant.forValue(probe.id()));
            };
        }
    }

    private static final class EntryWrapper implements AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper {
        private final Probe probe;
        private final ProbeDefinition definition;
        private final boolean isStatic;

        EntryWrapper(Probe probe, ProbeDefinition definition, boolean isStatic) {
            this.probe = probe;
            this.definition = definition;
            this.isStatic = isStatic;
        }

        @Override
        public MethodVisitor wrap(TypeDescription instrumentedType, MethodDescription instrumentedMethod,
                                  MethodVisitor methodVisitor, Implementation.Context context, TypePool typePool,
                                  int writerFlags, int readerFlags) {
            boolean frames = context.getClassFileVersion().isAtLeast(ClassFileVersion.JAVA_V6);
            return new EntryProbeWeaver(methodVisitor, probe, definition, isStatic,
                instrumentedType.getInternalName(), frames);
        }
    }
}
