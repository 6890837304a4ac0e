package dev.userevents.agent.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.testing.CapturedLog;
import dev.userevents.agent.testing.EnableWords;
import dev.userevents.agent.testing.EventPayload;
import dev.userevents.agent.testing.RecordingBackend;
import dev.userevents.agent.weave.ProbesFile;
import dev.userevents.samples.Adder;
import dev.userevents.samples.Plain;
import dev.userevents.samples.TimedAdder;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production class-load hook, fed raw class files as the JVM would. */
class TracepointClassTransformerTest {
    private static final String PREFIX = "cft_";

    private final RecordingBackend backend = new RecordingBackend();
    private final TracepointClassTransformer transformer = new TracepointClassTransformer(
        new ClassFilter(Collections.emptyList(), Collections.emptyList()), ProbesFile.EMPTY,
        new ProbeRegistrar(backend), PREFIX);

    @Test
    void classWithTracepointIsWovenAndEmitsOnlyWhenItsWordIsSet() throws Exception {
        byte[] original = classFile(Adder.class);
        byte[] woven = transformer.transform(getClass().getClassLoader(), internalName(Adder.class), null, null, original);
        assertNotNull(woven);

        Method add = define(Adder.class, woven).getDeclaredMethod("add", int.class, int.class);
        assertEquals(5, add.invoke(null, 2, 3));
        assertEquals(0, backend.sink().events().size(), "word 0: nothing written");

        EnableWords.enable(backend.enableWord(PREFIX + "Adder_add"));
        assertEquals(9, add.invoke(null, 4, 5));
        List<byte[]> events = backend.sink().events();
        assertEquals(1, events.size());
        EventPayload payload = new EventPayload(events.get(0));
        assertEquals(backend.writeIndex(PREFIX + "Adder_add"), payload.writeIndex());
        assertEquals(4, payload.s32());
        assertEquals(5, payload.s32());
    }

    @Test
    void retransformedClassKeepsParameterNamesTheJvmLeftOut() throws Exception {
        // JDK 17 rebuilds retransformed class bytes without the MethodParameters attribute.
        byte[] reconstituted = withoutParameterNames(classFile(Adder.class));
        RecordingBackend ownBackend = new RecordingBackend();
        TracepointClassTransformer retransformer = new TracepointClassTransformer(
            new ClassFilter(Collections.emptyList(), Collections.emptyList()), ProbesFile.EMPTY,
            new ProbeRegistrar(ownBackend), "re_");

        assertNotNull(retransformer.transform(getClass().getClassLoader(), internalName(Adder.class), Adder.class, null,
            reconstituted));
        assertEquals("re_Adder_add s32 a; s32 b", ownBackend.format("re_Adder_add").command());
    }

    private static byte[] withoutParameterNames(byte[] classFile) {
        net.bytebuddy.jar.asm.ClassWriter writer = new net.bytebuddy.jar.asm.ClassWriter(0);
        new net.bytebuddy.jar.asm.ClassReader(classFile).accept(new net.bytebuddy.jar.asm.ClassVisitor(
                net.bytebuddy.jar.asm.Opcodes.ASM9, writer) {
            @Override
            public net.bytebuddy.jar.asm.MethodVisitor visitMethod(int access, String name, String descriptor,
                                                                  String signature, String[] exceptions) {
                return new net.bytebuddy.jar.asm.MethodVisitor(net.bytebuddy.jar.asm.Opcodes.ASM9,
                        super.visitMethod(access, name, descriptor, signature, exceptions)) {
                    @Override
                    public void visitParameter(String parameterName, int parameterAccess) {
                        // dropped, as HotSpot's reconstituter does
                    }

                    @Override
                    public void visitLocalVariable(String variableName, String variableDescriptor, String variableSignature,
                                                   net.bytebuddy.jar.asm.Label start, net.bytebuddy.jar.asm.Label end, int index) {
                        // dropped too: debug names must not be where the names come from
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }

    @Test
    void classWithExitProbesIsWovenWithItsExitEvents() throws Exception {
        // Exit probes take the Byte Buddy path; entry-only classes the plain ASM one: both through this hook.
        assertNotNull(transformer.transform(getClass().getClassLoader(), internalName(TimedAdder.class), null, null,
            classFile(TimedAdder.class)));
        assertTrue(backend.isRegistered(PREFIX + "TimedAdder_add"), "entry event");
        assertTrue(backend.isRegistered(PREFIX + "TimedAdder_add_exit"), "exit event");
    }

    @Test
    void classWithoutTracepointIsNotParsedAtAll() throws Exception {
        byte[] original = classFile(Plain.class);
        assertTrue(!transformer.mayHoldProbes(Plain.class.getName(), original));
        assertNull(transformer.transform(getClass().getClassLoader(), internalName(Plain.class), null, null, original));
    }

    @Test
    void jdkAndAgentClassesAreNeverWovenEvenIfTheirBytesMentionTracepoint() throws Exception {
        byte[] mentioning = classFile(Adder.class);
        assertNull(transformer.transform(null, "java/lang/Fake", null, null, mentioning));
        assertNull(transformer.transform(null, "dev/userevents/agent/runtime/Fake", null, null, mentioning));
    }

    @Test
    void malformedClassFileLoadsUnchangedInsteadOfThrowing() {
        byte[] garbage = ("CAFEBABE junk " + new String(dev.userevents.agent.weave.ClassBytes.TRACEPOINT_DESCRIPTOR)).getBytes();
        assertNull(transformer.transform(getClass().getClassLoader(), "com/acme/Broken", null, null, garbage));
    }

    @Test
    void classNamedByAProbesFileIsWovenWithAndWithoutExit(@TempDir Path folder) throws Exception {
        for (boolean exit : new boolean[] {false, true}) {
            Path file = folder.resolve("probes-" + exit + ".txt");
            Files.writeString(file, Plain.class.getName() + "#twice" + (exit ? " exit" : "") + "\n");
            RecordingBackend ownBackend = new RecordingBackend();
            TracepointClassTransformer fileTransformer = new TracepointClassTransformer(
                new ClassFilter(Collections.emptyList(), Collections.emptyList()), ProbesFile.read(file),
                new ProbeRegistrar(ownBackend), "pf_");
            byte[] woven;
            try (CapturedLog log = CapturedLog.start()) {
                woven = fileTransformer.transform(getClass().getClassLoader(), internalName(Plain.class), null, null,
                    classFile(Plain.class));
                String weaving = "weaving 1 entry and " + (exit ? 1 : 0) + " exit probe(s) into " + Plain.class.getName();
                assertEquals(1, log.linesWith(weaving).size(), log.lines().toString());
            }
            assertNotNull(woven);

            Method twice = define(Plain.class, woven).getDeclaredMethod("twice", int.class);
            EnableWords.enable(ownBackend.enableWord("pf_Plain_twice"));
            if (exit) {
                EnableWords.enable(ownBackend.enableWord("pf_Plain_twice_exit"));
            }
            assertEquals(8, twice.invoke(null, 4));
            List<byte[]> events = ownBackend.sink().events();
            assertEquals(exit ? 2 : 1, events.size());
            EventPayload payload = new EventPayload(events.get(0));
            assertEquals(ownBackend.writeIndex("pf_Plain_twice"), payload.writeIndex());
            assertEquals(4, payload.s32());
            if (exit) {
                EventPayload returned = new EventPayload(events.get(1));
                assertEquals(ownBackend.writeIndex("pf_Plain_twice_exit"), returned.writeIndex());
                assertEquals(8, returned.s32());
            }
        }
    }

    private static String internalName(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in = type.getClassLoader().getResourceAsStream(internalName(type) + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Defines {@code bytes} as {@code type} in a fresh loader that asks its parent for everything else. */
    private static Class<?> define(Class<?> type, byte[] bytes) throws ClassNotFoundException {
        ClassLoader loader = new ClassLoader(type.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(type.getName())) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> loaded = findLoadedClass(name);
                        return loaded != null ? loaded : defineClass(name, bytes, 0, bytes.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
        return Class.forName(type.getName(), true, loader);
    }
}
