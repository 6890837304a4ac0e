package dev.userevents.agent.weave;

import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.agent.runtime.Probe;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * Class-load time: registers the probes of one class and weaves each registered method. A method whose
 * probe the kernel refused is left exactly as it was.
 */
public final class TracepointTransformer implements AgentBuilder.Transformer {
    private final ProbeRegistrar registrar;
    private final String prefix;
    private final ProbesFile probes;

    public TracepointTransformer(ProbeRegistrar registrar, String prefix) {
        this(registrar, prefix, ProbesFile.EMPTY);
    }

    public TracepointTransformer(ProbeRegistrar registrar, String prefix, ProbesFile probes) {
        this.registrar = registrar;
        this.prefix = prefix;
        this.probes = probes;
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                                            JavaModule module, ProtectionDomain protectionDomain) {
        return weave(builder, type, ProbeDefinitions.of(type, prefix, probes), loader);
    }

    /** Weaves the given definitions (from annotations or a probes file) into {@code builder}. */
    public DynamicType.Builder<?> weave(DynamicType.Builder<?> builder, TypeDescription type,
                                       Map<MethodDescription, ProbeDefinition> definitions, ClassLoader loader) {
        AsmVisitorWrapper.ForDeclaredMethods visitor = new AsmVisitorWrapper.ForDeclaredMethods()
            .readerFlags(ClassReader.EXPAND_FRAMES);
        int woven = 0;
        List<AsmVisitorWrapper> exits = new ArrayList<>();
        for (Map.Entry<MethodDescription, ProbeDefinition> entry : definitions.entrySet()) {
            ProbeDefinition definition = entry.getValue();
            ElementMatcher<MethodDescription> method = ElementMatchers.named(definition.methodName())
                .and(ElementMatchers.hasDescriptor(definition.descriptor()));
            Probe probe = registrar.register(definition, loader);
            if (probe != null) {
                visitor = visitor.method(method, new EntryWrapper(probe, definition, entry.getKey().isStatic()));
                woven++;
            }
            ProbeDefinition exit = definition.exit();
            Probe exitProbe = exit == null ? null : registrar.register(exit, loader);
            if (exitProbe != null) {
                ParameterKind returnKind = exit.parameters().isEmpty() ? null : exit.parameters().get(0);
                exits.add(Advice.withCustomMapping()
                    .bind(ExitAdvice.ProbeId.class, exitProbe.id())
                    .bind(ExitAdvice.EnableWord.class, exitProbe.enableWordAddress())
                    .to(ExitAdvice.Timing.class, ExitAdvice.exitTemplateFor(returnKind))
                    .on(method));
                woven++;
            }
        }
        if (woven == 0) {
            return builder;
        }
        AgentLog.debug("weaving " + woven + " probe(s) into " + type.getName());
        builder = builder.visit(visitor);
        for (AsmVisitorWrapper exit : exits) {
            builder = builder.visit(exit);
        }
        return builder;
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
