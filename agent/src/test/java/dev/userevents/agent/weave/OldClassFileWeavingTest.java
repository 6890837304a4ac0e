package dev.userevents.agent.weave;

import static dev.userevents.agent.weave.WovenClasses.BACKEND;
import static dev.userevents.agent.weave.WovenClasses.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userevents.Tracepoint;
import dev.userevents.agent.testing.EnableWords;
import dev.userevents.agent.testing.EventPayload;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Objects;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.ExceptionMethod;
import net.bytebuddy.implementation.FixedValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Class files from before Java 6 have no stack map frames; the woven entry and exit probes must not need one
 * either. The classes are made with Byte Buddy at class file version 49.
 */
class OldClassFileWeavingTest {

    @AfterEach
    void disableProbes() {
        BACKEND.disableAll();
    }

    @Test
    void java5ClassIsWovenAndRuns() throws Throwable {
        String name = "com.acme.legacy.Tariff";
        byte[] original;
        try (DynamicType.Unloaded<?> unloaded = new ByteBuddy(ClassFileVersion.JAVA_V5)
                .subclass(Object.class)
                .name(name)
                .defineMethod("rate", int.class, Modifier.PUBLIC | Modifier.STATIC)
                .withParameters(long.class, String.class)
                .intercept(FixedValue.value(17))
                .annotateMethod(AnnotationDescription.Builder.ofType(Tracepoint.class).define("exit", true).build())
                .defineMethod("refuse", long.class, Modifier.PUBLIC | Modifier.STATIC)
                .withParameters(double.class)
                .intercept(ExceptionMethod.throwing(IllegalStateException.class))
                .annotateMethod(AnnotationDescription.Builder.ofType(Tracepoint.class).define("exit", true).build())
                .make()) {
            original = unloaded.getBytes();
        }
        Class<?> woven = WovenClasses.define(name, Objects.requireNonNull(
            WovenClasses.weave(original, ProbesFile.EMPTY, getClass().getClassLoader())), getClass().getClassLoader());
        for (String event : List.of("Tariff_rate", "Tariff_rate_exit", "Tariff_refuse_exit")) {
            EnableWords.enable(BACKEND.enableWord(event));
        }
        BACKEND.sink().clear();

        assertEquals(17, call(woven, null, "rate", new Class<?>[] {long.class, String.class}, 5L, "eu"));
        assertThrows(IllegalStateException.class, () -> call(woven, null, "refuse", new Class<?>[] {double.class}, 2.5));

        List<EventPayload> entries = BACKEND.sink().eventsOf(BACKEND.writeIndex("Tariff_rate"));
        assertEquals(1, entries.size());
        assertEquals(5L, entries.get(0).s64());
        assertEquals("eu", entries.get(0).string());
        List<EventPayload> exits = BACKEND.sink().eventsOf(BACKEND.writeIndex("Tariff_rate_exit"));
        assertEquals(1, exits.size());
        assertEquals(17, exits.get(0).s32());
        exits.get(0).s64(); // duration_ns
        assertEquals("", exits.get(0).string());
        List<EventPayload> thrown = BACKEND.sink().eventsOf(BACKEND.writeIndex("Tariff_refuse_exit"));
        assertEquals(1, thrown.size());
        assertEquals(0L, thrown.get(0).s64(), "ret of a method that threw");
        thrown.get(0).s64();
        assertEquals(IllegalStateException.class.getName(), thrown.get(0).string());
    }
}
