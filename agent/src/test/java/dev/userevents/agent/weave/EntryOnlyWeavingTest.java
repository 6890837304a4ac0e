package dev.userevents.agent.weave;

import static dev.userevents.agent.weave.WovenClasses.BACKEND;
import static dev.userevents.agent.weave.WovenClasses.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.Tracepoint;
import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.testing.CapturedLog;
import dev.userevents.agent.testing.EnableWords;
import dev.userevents.agent.testing.EventPayload;
import dev.userevents.agent.testing.RecordingBackend;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ByteArrayClassLoader;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/**
 * Every weaving test again, on classes woven by plain ASM ({@link EntryOnlyClassWeaver}) instead of Byte Buddy;
 * then what only this path decides: the definitions and log lines match Byte Buddy's, exit probes stay on
 * Byte Buddy, classes without frames.
 */
class EntryOnlyWeavingTest extends TracepointWeavingTest {

    @Override
    Class<?> weave(Class<?> type) {
        return WovenClasses.ofEntryOnly(type);
    }

    @Test
    void definitionsAndLogLinesAreByteBuddys() throws IOException {
        for (Class<?> sample : List.of(TracedSample.class, TracedSample.Nested.class, NamingSample.class,
                AbstractSample.class, InterfaceSample.class, GenericHandler.Upper.class, UntracedSample.class)) {
            List<String> byteBuddy;
            List<String> byteBuddyLog;
            try (CapturedLog log = CapturedLog.start()) {
                // As the agent's Byte Buddy path reads a class: from its class file, in declaration order.
                TypeDescription type = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(sample.getClassLoader()))
                    .describe(sample.getName()).resolve();
                byteBuddy = describe(ProbeDefinitions.of(type, "p_").values());
                byteBuddyLog = log.lines();
            }
            try (CapturedLog log = CapturedLog.start()) {
                ClassScan scan = ClassScan.of(classFile(sample), ProbesFile.EMPTY);
                List<String> asm = describe(ProbeDefinitions.of(scan.className(), scan.specs(), "p_",
                    Collections.emptyList()).values());

                assertEquals(byteBuddy, asm, sample.getName());
                assertEquals(byteBuddyLog, log.lines(), sample.getName());
            }
        }
    }

    @Test
    void classesWithExitProbesAreLeftToByteBuddy() throws IOException {
        assertFalse(EntryOnlyClassWeaver.plan(classFile(ExitSample.class), ProbesFile.EMPTY).isEntryOnly());
        assertTrue(EntryOnlyClassWeaver.plan(classFile(TracedSample.class), ProbesFile.EMPTY).isEntryOnly());
    }

    @Test
    void classWhoseEveryProbeIsRefusedIsNotChanged() throws IOException {
        RecordingBackend refusing = new RecordingBackend();
        refusing.refuse("refused_event");
        byte[] original = classFile(RefusedSample.class);

        try (CapturedLog log = CapturedLog.start()) {
            assertNull(new EntryOnlyClassWeaver(new ProbeRegistrar(refusing), "")
                .weave(original, EntryOnlyClassWeaver.plan(original, ProbesFile.EMPTY), getClass().getClassLoader()));
            assertEquals(1, log.linesWith("refused_event").size(), log.lines().toString());
        }
    }

    @Test
    void java5ClassWithoutFramesIsWovenAndRuns() throws Throwable {
        String name = "com.acme.legacy.EntryOnlyTariff";
        byte[] original;
        try (DynamicType.Unloaded<?> unloaded = new ByteBuddy(ClassFileVersion.JAVA_V5)
                .subclass(Object.class)
                .name(name)
                .defineMethod("rate", int.class, Modifier.PUBLIC | Modifier.STATIC)
                .withParameters(long.class, String.class)
                .intercept(FixedValue.value(17))
                .annotateMethod(AnnotationDescription.Builder.ofType(Tracepoint.class).build())
                .make()) {
            original = unloaded.getBytes();
        }
        byte[] woven = new EntryOnlyClassWeaver(WovenClasses.REGISTRAR, "")
            .weave(original, EntryOnlyClassWeaver.plan(original, ProbesFile.EMPTY), getClass().getClassLoader());
        Class<?> loaded = new ByteArrayClassLoader.ChildFirst(getClass().getClassLoader(),
            Collections.singletonMap(name, woven)).loadClass(name);
        EnableWords.enable(BACKEND.enableWord("EntryOnlyTariff_rate"));
        BACKEND.sink().clear();

        assertEquals(17, call(loaded, null, "rate", new Class<?>[] {long.class, String.class}, 5L, "eu"));

        EventPayload event = new EventPayload(BACKEND.sink().events().get(0));
        assertEquals(BACKEND.writeIndex("EntryOnlyTariff_rate"), event.writeIndex());
        assertEquals(5L, event.s64());
        assertEquals("eu", event.string());
    }

    private static List<String> describe(Iterable<ProbeDefinition> definitions) {
        List<String> described = new ArrayList<>();
        for (ProbeDefinition definition : definitions) {
            described.add(definition.methodKey() + " " + definition.format().command() + " " + definition.parameters()
                + (definition.exit() == null ? "" : " exit " + definition.exit().format().command()));
        }
        return described;
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }
}
