package dev.userevents.agent.weave;

import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.agent.runtime.Probe;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.jspecify.annotations.Nullable;

/**
 * Weaves a class whose probes are all entry probes with plain ASM: one read of the class file, no Byte
 * Buddy type descriptions, no {@code make()}. The woven code is {@link EntryProbeWeaver}'s, exactly as the
 * Byte Buddy path writes it. Classes with exit probes, or named by a probes file, go the Byte Buddy way
 * ({@link ByteBuddyClassWeaver}).
 *
 * <p>Frames are not computed: the reader expands the class's own frames and {@link EntryProbeWeaver} adds
 * the one its guard needs, so the writer needs no class hierarchy (which would mean loading classes).
 * Methods without probes are copied through unchanged.
 */
public final class EntryOnlyClassWeaver {
    private static final int JAVA_6 = 50; // the first class file version with stack map frames

    private final ProbeRegistrar registrar;
    private final String prefix;

    /**
     * A weaver registering its probes with {@code registrar}.
     *
     * @param registrar gives each probe its id and enable word, and registers its event
     * @param prefix    put before every event name (agent option {@code prefix}; "" for none)
     */
    public EntryOnlyClassWeaver(ProbeRegistrar registrar, String prefix) {
        this.registrar = registrar;
        this.prefix = prefix;
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

    /** A class read once, to decide which way it is woven. */
    public static final class Plan {
        private final ClassScan scan;

        private Plan(ClassScan scan) {
            this.scan = scan;
        }

        /**
         * Whether this weaver can do the whole class.
         *
         * @return true when no {@code @Tracepoint} or probes-file line of the class asks for exit events (also
         *     when it has none)
         */
        public boolean isEntryOnly() {
            return !scan.wantsExitEvents();
        }
    }

    /**
     * Registers the class's probes and weaves those registered into {@code classFile}.
     *
     * @param classFile the class file being loaded
     * @param plan      what {@link #plan} read of this class; exit events it asks for are not woven here
     *                  ({@link Plan#isEntryOnly()})
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
     * @param plan      what {@link #plan} read of this class; exit events it asks for are not woven here
     *                  ({@link Plan#isEntryOnly()})
     * @param loader    the class's defining loader, or null for the bootstrap loader
     * @param include   accepts the method keys ({@code com.acme.Orders#place(I)V}) of the methods to weave
     * @return the woven class file; null when no included probe was registered
     * @throws IllegalArgumentException if the class file's version is newer than Byte Buddy's ASM reads
     */
    public byte @Nullable [] weave(byte[] classFile, Plan plan, @Nullable ClassLoader loader,
                                   Predicate<String> include) {
        Map<String, EntryProbe> entries = new HashMap<>();
        for (Map.Entry<DeclaredMethod, ProbeDefinition> entry : definitions(plan).entrySet()) {
            ProbeDefinition definition = entry.getValue();
            if (!include.test(definition.methodKey())) {
                continue;
            }
            Probe probe = registrar.register(definition, loader);
            if (probe != null) {
                entries.put(ByteBuddyClassWeaver.methodKey(definition.methodName(), definition.descriptor()),
                    new EntryProbe(probe, definition, entry.getKey().isStatic()));
            }
        }
        if (entries.isEmpty()) {
            return null;
        }
        AgentLog.debug("weaving " + entries.size() + " entry and 0 exit probe(s) into " + plan.scan.className()
            + " with ASM (entry probes only)");
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new EntryProbes(writer, entries, reader.getClassName()), ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    /**
     * The class's probe definitions, without registering them. Methods that cannot be traced and events
     * whose format is refused are logged and left out.
     *
     * @param plan what {@link #plan} read of the class
     * @return one definition per traceable {@code @Tracepoint} method, in declaration order; empty if none
     */
    public Map<DeclaredMethod, ProbeDefinition> definitions(Plan plan) {
        return ProbeDefinitions.of(plan.scan.className(), plan.scan.specs(), prefix, plan.scan.unmatched());
    }

    private static final class EntryProbe {
        final Probe probe;
        final ProbeDefinition definition;
        final boolean isStatic;

        EntryProbe(Probe probe, ProbeDefinition definition, boolean isStatic) {
            this.probe = probe;
            this.definition = definition;
            this.isStatic = isStatic;
        }
    }

    /** Hands each method with a registered probe to its {@link EntryProbeWeaver}. */
    private static final class EntryProbes extends ClassVisitor {
        private final Map<String, EntryProbe> entries;
        private final String internalName;
        private boolean writeFrames;

        EntryProbes(ClassVisitor writer, Map<String, EntryProbe> entries, String internalName) {
            super(Opcodes.ASM9, writer);
            this.entries = entries;
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
            EntryProbe entry = entries.get(ByteBuddyClassWeaver.methodKey(name, descriptor));
            return entry == null || method == null ? method
                : new EntryProbeWeaver(method, entry.probe, entry.definition, entry.isStatic, internalName, writeFrames);
        }
    }
}
