package dev.userevents.agent.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userevents.agent.probe.EventContext;
import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.testing.EnableWords;
import dev.userevents.agent.testing.EventPayload;
import dev.userevents.agent.testing.RecordingBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.bytebuddy.dynamic.loading.ByteArrayClassLoader;
import org.jspecify.annotations.Nullable;

/**
 * Sample classes woven without an agent: their class files woven by the agent's own {@link ProbeClassWeaver}
 * and defined again in a child-first class loader, so the woven copy is verified like any class and runs
 * beside the original. One registrar serves every test: probe ids index one global table, so two registrars
 * in one JVM would hand out the same ids.
 */
final class WovenClasses {
    static final RecordingBackend BACKEND = new RecordingBackend();
    static final ProbeRegistrar REGISTRAR = new ProbeRegistrar(BACKEND);
    private static final Map<Class<?>, Class<?>> WOVEN = new HashMap<>();

    private WovenClasses() {
    }

    /** The woven copy of {@code type} (unchanged when nothing is woven into it), made once. */
    static synchronized Class<?> of(Class<?> type) {
        return WOVEN.computeIfAbsent(type, WovenClasses::weave);
    }

    /** What the agent's weaver makes of {@code classFile}: the woven class file, or null when it weaves nothing. */
    static byte @Nullable [] weave(byte[] classFile, ProbesFile probes, ClassLoader loader) {
        return new ProbeClassWeaver(REGISTRAR, "").weave(classFile, ProbeClassWeaver.plan(classFile, probes), loader);
    }

    /** Defines {@code classFile} as class {@code name} in a child-first loader under {@code parent}. */
    static Class<?> define(String name, byte[] classFile, ClassLoader parent) throws ClassNotFoundException {
        return new ByteArrayClassLoader.ChildFirst(parent, Collections.singletonMap(name, classFile)).loadClass(name);
    }

    /** The class file of a class on the test class path. */
    static byte[] classFile(Class<?> type) {
        try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return Objects.requireNonNull(in, type.getName()).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The definitions the agent makes of {@code type}'s methods, read from its class file as at class load,
     * keyed by name and descriptor ({@code add(II)I}), in declaration order.
     */
    static Map<String, ProbeDefinition> definitions(Class<?> type, String prefix, ProbesFile probes) {
        ClassScan scan = ClassScan.of(classFile(type), probes);
        Map<String, ProbeDefinition> byMethod = new LinkedHashMap<>();
        ProbeDefinitions.of(scan.className(), scan.specs(), prefix, scan.unmatched())
            .forEach((method, definition) -> byMethod.put(method.name() + method.descriptor(), definition));
        return byMethod;
    }

    private static Class<?> weave(Class<?> type) {
        byte[] original = classFile(type);
        byte[] woven = weave(original, ProbesFile.EMPTY, type.getClassLoader());
        try {
            return define(type.getName(), woven == null ? original : woven, type.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets the enable word of {@code eventName}, as a tracer enabling the event would. */
    static void enable(String eventName) {
        EnableWords.enable(BACKEND.enableWord(eventName));
    }

    /** The events written for {@code eventName} through {@link #BACKEND}, oldest first. */
    static List<EventPayload> eventsOf(String eventName) {
        return BACKEND.sink().eventsOf(BACKEND.writeIndex(eventName));
    }

    /** The one event written for {@code eventName}; fails the test unless there is exactly one. */
    static EventPayload onlyEventOf(String eventName) {
        List<EventPayload> events = eventsOf(eventName);
        assertEquals(1, events.size(), "events of " + eventName);
        return events.get(0);
    }

    /** {@code sample} woven with these context fields (events registered with {@link #REGISTRAR}), in a loader of its own. */
    static Class<?> wovenWith(Class<?> sample, EventContext context) {
        byte[] original = classFile(sample);
        ProbeClassWeaver weaver = new ProbeClassWeaver(REGISTRAR, "", context, false);
        try {
            return define(sample.getName(), Objects.requireNonNull(weaver.weave(original,
                ProbeClassWeaver.plan(original, ProbesFile.EMPTY), sample.getClassLoader())), sample.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Calls {@code name(args)} on {@code target} (null for static), rethrowing what the method throws. */
    static Object call(Class<?> type, Object target, String name, Class<?>[] parameterTypes, Object... args) throws Throwable {
        Method method = type.getDeclaredMethod(name, parameterTypes);
        method.setAccessible(true);
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static Object newInstance(Class<?> type) throws ReflectiveOperationException {
        return type.getDeclaredConstructor().newInstance();
    }
}
