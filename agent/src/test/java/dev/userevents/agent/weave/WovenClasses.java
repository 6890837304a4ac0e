package dev.userevents.agent.weave;

import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.testing.RecordingBackend;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ByteArrayClassLoader;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;

/**
 * Sample classes woven without an agent: redefined by Byte Buddy through the agent's own
 * {@link ByteBuddyClassWeaver} and defined again in a child-first class loader, so the woven copy is
 * verified like any class and runs beside the original. One registrar serves every test: probe ids index
 * one global table, so two registrars in one JVM would hand out the same ids.
 */
final class WovenClasses {
    static final RecordingBackend BACKEND = new RecordingBackend();
    static final ProbeRegistrar REGISTRAR = new ProbeRegistrar(BACKEND);
    private static final Map<Class<?>, Class<?>> WOVEN = new HashMap<>();
    private static final Map<Class<?>, Class<?>> WOVEN_ENTRY_ONLY = new HashMap<>();

    private WovenClasses() {
    }

    /** The woven copy of {@code type}, made once. */
    static synchronized Class<?> of(Class<?> type) {
        return WOVEN.computeIfAbsent(type, WovenClasses::weave);
    }

    /** What the transformer makes of {@code type}'s builder. */
    static DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, Class<?> type) {
        return new ByteBuddyClassWeaver(REGISTRAR, "")
            .transform(builder, TypeDescription.ForLoadedType.of(type), type.getClassLoader(), null, null);
    }

    private static Class<?> weave(Class<?> type) {
        DynamicType.Builder<?> builder = transform(new ByteBuddy().redefine(type), type);
        try (DynamicType.Unloaded<?> unloaded = builder.make()) {
            return unloaded.load(type.getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST).getLoaded();
        }
    }

    /** The copy of {@code type} {@link EntryOnlyClassWeaver} weaves (unchanged when it weaves nothing), made once. */
    static synchronized Class<?> ofEntryOnly(Class<?> type) {
        return WOVEN_ENTRY_ONLY.computeIfAbsent(type, WovenClasses::weaveEntryOnly);
    }

    private static Class<?> weaveEntryOnly(Class<?> type) {
        try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            byte[] original = in.readAllBytes();
            EntryOnlyClassWeaver.Plan plan = EntryOnlyClassWeaver.plan(original, ProbesFile.EMPTY);
            if (!plan.isEntryOnly()) {
                throw new IllegalArgumentException(type + " has exit probes");
            }
            byte[] woven = new EntryOnlyClassWeaver(REGISTRAR, "").weave(original, plan, type.getClassLoader());
            return new ByteArrayClassLoader.ChildFirst(type.getClassLoader(),
                Collections.singletonMap(type.getName(), woven == null ? original : woven)).loadClass(type.getName());
        } catch (IOException | ClassNotFoundException e) {
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
