package dev.userevents.agent.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.Tracepoint;
import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.testing.BigMethodSource;
import dev.userevents.agent.testing.CapturedLog;
import dev.userevents.agent.testing.EnableWords;
import dev.userevents.agent.testing.RecordingBackend;
import dev.userevents.agent.weave.ProbesFile;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.bytebuddy.dynamic.loading.ByteArrayClassLoader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A method that cannot be woven costs only itself: the rest of its class is traced, and no event is
 * registered for it. Both engines: entry probes only (plain ASM) and with exit events (Byte Buddy).
 */
class MethodIsolationTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "exit events: {0}")
    @ValueSource(booleans = {false, true})
    void methodTooLargeOnceWovenStaysUntracedAndTheRestOfItsClassIsTraced(boolean exit) throws Exception {
        String prefix = exit ? "iso_exit_" : "iso_";
        String simpleName = exit ? "BigAndSmallWithExit" : "BigAndSmall";
        String className = "dev.userevents.isolation." + simpleName;
        Path classes = BigMethodSource.compile(dir, "dev.userevents.isolation", simpleName,
            BigMethodSource.source("dev.userevents.isolation", simpleName, "big", "small", exit, ""), apiClassPath());
        byte[] original = Files.readAllBytes(classes.resolve("dev/userevents/isolation/" + simpleName + ".class"));
        RecordingBackend backend = new RecordingBackend();
        TracepointClassTransformer transformer = new TracepointClassTransformer(
            new ClassFilter(Collections.emptyList(), Collections.emptyList()), ProbesFile.EMPTY,
            new ProbeRegistrar(backend), prefix);

        byte[] woven;
        try (CapturedLog log = CapturedLog.start()) {
            woven = transformer.transform(getClass().getClassLoader(), className.replace('.', '/'), null, null, original);
            List<String> lines = new java.util.ArrayList<>(log.lines());
            lines.removeIf(line -> line.startsWith("[userevents] DEBUG "));
            assertEquals(1, lines.size(), "one line for the method that cannot be woven: " + lines);
            assertTrue(lines.get(0).startsWith("[userevents] ERROR method " + className + ".big(ILjava/lang/String;)I"
                + " cannot be woven (") && lines.get(0).contains("it runs untraced, the rest of " + className
                + " is traced"), lines.get(0));
        }

        assertNotNull(woven);
        assertTrue(backend.isRegistered(prefix + "small"));
        assertFalse(backend.isRegistered(prefix + "big"), "no event for a method that was not woven");
        assertFalse(backend.isRegistered(prefix + "big_exit"));
        Class<?> type = new ByteArrayClassLoader.ChildFirst(getClass().getClassLoader(),
            Map.of(className, woven)).loadClass(className);
        EnableWords.enable(backend.enableWord(prefix + "small"));
        Method small = type.getMethod("small", int.class);
        for (int i = 0; i < 10; i++) {
            assertEquals(2 * i, small.invoke(null, i));
        }
        assertEquals(7 + 21_835, type.getMethod("big", int.class, String.class).invoke(null, 7, "tag"));
        assertEquals(10, backend.sink().events().size(), "every call of the small method is an event");
    }

    private static String apiClassPath() throws Exception {
        return Path.of(Tracepoint.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
