package dev.userevents.agent.weave;

import static dev.userevents.agent.weave.WovenClasses.BACKEND;
import static dev.userevents.agent.weave.WovenClasses.call;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userevents.Tracepoint;
import dev.userevents.agent.testing.EnableWords;
import dev.userevents.agent.testing.EventPayload;
import java.lang.reflect.Modifier;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Class files from before Java 6 have no stack map frames; the woven probe must not need one either. */
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
                .annotateMethod(AnnotationDescription.Builder.ofType(Tracepoint.class).build())
                .make()) {
            original = unloaded.getBytes();
        }
        ClassFileLocator locator = ClassFileLocator.Simple.of(name, original);
        TypeDescription type = TypePool.Default.of(new ClassFileLocator.Compound(locator,
            ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()))).describe(name).resolve();

        DynamicType.Builder<?> builder = new ByteBuddyClassWeaver(WovenClasses.REGISTRAR, "")
            .transform(new ByteBuddy().redefine(type, locator), type, getClass().getClassLoader(), null, null);
        Class<?> woven;
        try (DynamicType.Unloaded<?> unloaded = builder.make()) {
            woven = unloaded.load(getClass().getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST).getLoaded();
        }
        EnableWords.enable(BACKEND.enableWord("Tariff_rate"));
        BACKEND.sink().clear();

        assertEquals(17, call(woven, null, "rate", new Class<?>[] {long.class, String.class}, 5L, "eu"));

        List<EventPayload> events = BACKEND.sink().eventsOf(BACKEND.writeIndex("Tariff_rate"));
        assertEquals(1, events.size());
        assertEquals(5L, events.get(0).s64());
        assertEquals("eu", events.get(0).string());
    }
}
