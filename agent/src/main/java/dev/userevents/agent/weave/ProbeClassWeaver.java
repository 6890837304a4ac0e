package dev.userevents.agent.weave;

import dev.userevents.agent.probe.EventContext;
import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.agent.runtime.Probe;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.jspecify.annotations.Nullable;

/**
 * Registers the probes of one class and weaves them in, with Byte Buddy's copy of ASM: one read of the
 * class file to find the probes ({@link ClassScan}), one rewrite. Each traced method gets an
 * {@link EntryProbeWeaver} and, when it asks for an exit event, an {@link ExitProbeWeaver} before it. The
 * same path serves {@code @Tracepoint} methods and probes-file lines, at class load and on retransformation.
 *
 * <p>Frames are not computed: the reader expands the class's own frames and the probe weavers add the ones
 * their code needs, so the writer needs no class hierarchy (which would mean loading classes). Methods
 * without probes are copied through unchanged; a method whose probe the registrar refused is left exactly
 * as it was.
 */
public final class ProbeClassWeaver {
    private static final int JAVA_6 = 50; // the first class file version with stack map frames
    private static final int JAVA_8 = 52; // the first that may call an interface's static method (Span.current())

    private final ProbeRegistrar registrar;
    private final String prefix;
    private final EventContext context;
    private final boolean otelAsked;

    /**
     * A weaver registering its probes with {@code registrar}.
     *
     * @param registrar gives each probe its id and enable word, and registers its event
     * @param prefix    put before every event name (agent option {@code prefix}; "" for none)
     */
    public ProbeClassWeaver(ProbeRegistrar registrar, String prefix) {
        this(registrar, prefix, EventContext.NONE, false);
    }

    /**
     * A weaver registering its probes with {@code registrar}, their events carrying context fields.
     *
     * @param registrar gives each probe its id and enable word, and registers its event
     * @param prefix    put before every event name (agent option {@code prefix}; "" for none)
     * @param context   the context fields asked for (agent option {@code context}); the OpenTelemetry ids only
     *                  go into classes whose loader sees a usable OpenTelemetry API ({@link OpenTelemetryApi})
     *                  and whose class file is version 52 or later
     * @param otelAsked whether the user named {@code otel} (then a loader without a usable API is logged once);
     *                  false when it is only the default
     */
    public ProbeClassWeaver(ProbeRegistrar registrar, String prefix, EventContext context, boolean otelAsked) {
        this.registrar = registrar;
        this.prefix = prefix;
        this.context = context;
        this.otelAsked = otelAsked;
    }

    /**
     * Reads what a class file asks for: its {@code @Tracepoint} methods and the methods its probes-file lines
     * name, method bodies skipped.
     *
     * @param namesFrom the class file to read the methods and parameter names from: the one being loaded, or
     *     on retransformation the one compiled (the JVM's rebuilt bytes lack the MethodParameters attribute)
     * @param probes    the probes file, whose lines for this class count as {@code @Tracepoint}s; or
     *     {@link ProbesFile#EMPTY}
     * @return the plan for that class; nothing is registered yet
     * @throws IllegalArgumentException if the class file's version is newer than Byte Buddy's ASM reads
     */
    public static Plan plan(byte[] namesFrom, ProbesFile probes) {
        return new Plan(ClassScan.of(namesFrom, probes));
    }

    /** A class read once: its name and the methods that ask for probes. */
    public static final class Plan {
        private final ClassScan scan;
        private @Nullable Map<DeclaredMethod, ProbeDefinition> definitions; // derived once: it logs what it leaves out

        private Plan(ClassScan scan) {
            this.scan = scan;
        }
    }

    /**
     * Registers the class's probes and weaves those registered into {@code classFile}.
     *
     * @param classFile the class file being loaded
     * @param plan      what {@link #plan} read of this class
     * @param loader    the class's defining loader, or null for the bootstrap loader
     * @return the woven class file; null when no probe was registered (the class then loads exactly as it was)
     * @throws IllegalArgumentException if the class file's version is newer than Byte Buddy's ASM reads
     */
    public byte @Nullable [] weave(byte[] classFile, Plan plan, @Nullable ClassLoader loader) {
        return weave(classFile, plan, loader, key -> true);
    }

    /**
     * As {@link #weave(byte[], Plan, ClassLoader)}, for the methods whose {@link ProbeDefinition#methodKey()}
     * {@code include} accepts; the others are neither registered nor woven, and are copied through unchanged.
     *
     * @param classFile the class file being loaded
     * @param plan      what {@link #plan} read of this class
     * @param loader    the class's defining loader, or null for the bootstrap loader
     * @param include   accepts the method keys ({@code com.acme.Orders#place(I)V}) of the methods to weave
     * @return the woven class file; null when no included probe was registered
     * @throws IllegalArgumentException if the class file's version is newer than Byte Buddy's ASM reads
     */
    public byte @Nullable [] weave(byte[] classFile, Plan plan, @Nullable ClassLoader loader,
                                   Predicate<String> include) {
        Map<String, MethodProbes> woven = new HashMap<>();
        int entries = 0;
        int exits = 0;
        for (Map.Entry<DeclaredMethod, ProbeDefinition> entry : definitions(plan, loader).entrySet()) {
            ProbeDefinition definition = entry.getValue();
            if (!include.test(definition.methodKey())) {
                continue;
            }
            Probe probe = registrar.register(definition, loader);
            ProbeDefinition exit = definition.exit();
            Probe exitProbe = exit == null ? null : registrar.register(exit, loader);
            if (probe != null || exitProbe != null) {
                woven.put(methodKey(definition.methodName(), definition.descriptor()),
                    new MethodProbes(probe, exitProbe, definition));
                entries += probe == null ? 0 : 1;
                exits += exitProbe == null ? 0 : 1;
            }
        }
        if (woven.isEmpty()) {
            return null;
        }
        AgentLog.debug("weaving " + entries + " entry and " + exits + " exit probe(s) into " + plan.scan.className());
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ProbedMethods(writer, woven, reader.getClassName()), ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    static String methodKey(String name, String descriptor) {
        return name + descriptor;
    }

    /**
     * The class's probe definitions, without registering them. Methods that cannot be traced and events
     * whose format is refused are logged and left out.
     *
     * @param plan   what {@link #plan} read of the class
     * @param loader the class's defining loader, or null for the bootstrap loader: whether its events carry
     *               the OpenTelemetry ids depends on the API it sees
     * @return one definition per traceable {@code @Tracepoint} method, in declaration order; empty if none
     */
    public Map<DeclaredMethod, ProbeDefinition> definitions(Plan plan, @Nullable ClassLoader loader) {
        Map<DeclaredMethod, ProbeDefinition> definitions = plan.definitions;
        if (definitions == null) {
            boolean otel = context.otel() && !plan.scan.specs().isEmpty()
                && plan.scan.majorVersion() >= JAVA_8 && OpenTelemetryApi.usableFrom(loader, otelAsked);
            definitions = ProbeDefinitions.of(plan.scan.className(), plan.scan.specs(), prefix, plan.scan.unmatched(),
                new EventContext(context.thread(), otel));
            plan.definitions = definitions;
        }
        return definitions;
    }

    /**
     * The method keys of the class's on-demand candidates: probes-file pattern lines and {@code ondemand}
     * lines ({@link TracepointSpec#onDemand()}), among {@link #definitions}.
     *
     * @param plan   what {@link #plan} read of the class
     * @param loader the class's defining loader, or null for the bootstrap loader
     * @return {@link ProbeDefinition#methodKey()} of each candidate's entry definition; empty if none
     */
    public Set<String> onDemandKeys(Plan plan, @Nullable ClassLoader loader) {
        Set<String> keys = new HashSet<>();
        for (Map.Entry<DeclaredMethod, ProbeDefinition> entry : definitions(plan, loader).entrySet()) {
            TracepointSpec spec = plan.scan.specs().get(entry.getKey());
            if (spec != null && spec.onDemand()) {
                keys.add(entry.getValue().methodKey());
            }
        }
        return keys;
    }

    /** What is woven into one method: its entry probe, its exit probe, or both. */
    private record MethodProbes(@Nullable Probe entry, @Nullable Probe exit, ProbeDefinition definition) {
    }

    /** Hands each method with a registered probe to its probe weavers. */
    private static final class ProbedMethods extends ClassVisitor {
        private final Map<String, MethodProbes> probes;
        private final String internalName;
        private boolean writeFrames;

        ProbedMethods(ClassVisitor writer, Map<String, MethodProbes> probes, String internalName) {
            super(Opcodes.ASM9, writer);
            this.probes = probes;
            this.internalName = internalName;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            writeFrames = (version & 0xFFFF) >= JAVA_6;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public @Nullable MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                   String[] exceptions) {
            MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
            MethodProbes woven = probes.get(methodKey(name, descriptor));
            if (woven == null || method == null) {
                return method;
            }
            boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
            Probe entry = woven.entry();
            if (entry != null) {
                method = new EntryProbeWeaver(method, entry, woven.definition(), isStatic, internalName, writeFrames);
            }
            Probe exit = woven.exit();
            if (exit != null) { // first in the chain: see ExitProbeWeaver
                ProbeDefinition exitDefinition = woven.definition().exit();
                method = new ExitProbeWeaver(method, exit, internalName, access, descriptor, writeFrames,
                    entry == null ? 0 : EntryProbeWeaver.HANDLERS, exitDefinition != null && exitDefinition.otel());
            }
            return method;
        }
    }
}
