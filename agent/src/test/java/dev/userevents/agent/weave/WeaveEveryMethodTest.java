package dev.userevents.agent.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.probe.EventContext;
import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.testing.CapturedLog;
import dev.userevents.agent.testing.RecordingBackend;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import net.bytebuddy.dynamic.loading.ByteArrayClassLoader;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodTooLargeException;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every method with a body of real libraries, from three compilers (javac, kotlinc, scalac), gets an entry and
 * an exit probe through a probes file, with every context field (thread, OpenTelemetry ids), and every woven
 * class must pass the JVM's verifier: the bytecode shapes
 * javac never writes (Kotlin's and Scala's) are where a weaver's frames and local slots go wrong.
 * {@code getDeclaredMethods()} links the class, and linking verifies it; a class that fails for a reason of
 * its own (an optional dependency missing from the class path) is counted, and must stay rare.
 */
class WeaveEveryMethodTest {

    @ParameterizedTest
    @ValueSource(strings = {"kotlin-stdlib", "scala-library", "log4j-core", "logback-classic"})
    void everyMethodOfTheLibraryIsWovenAndVerified(String artifact) throws IOException, ClassNotFoundException {
        Map<String, byte[]> original = classesOf(jarOnClassPath(artifact));
        List<String> lines = new ArrayList<>();
        original.forEach((name, classFile) -> {
            for (String method : methodsWithCode(classFile)) {
                lines.add(name + "#" + method + " exit");
            }
        });
        ProbesFile probes = ProbesFile.parse(lines, artifact + " (every method)");
        RecordingBackend backend = new RecordingBackend();
        // every context field too: the OpenTelemetry ids add locals and code at entry and at every exit
        ProbeClassWeaver weaver = new ProbeClassWeaver(new ProbeRegistrar(backend), "w_", new EventContext(true, true),
            false);
        ClassLoader seesOpenTelemetry = getClass().getClassLoader();
        Map<String, byte[]> woven = new LinkedHashMap<>();
        List<String> failedToWeave = new ArrayList<>();
        try (CapturedLog ignored = CapturedLog.start()) { // one line per left-off probe: not this test's subject
            original.forEach((name, classFile) -> {
                try {
                    byte[] bytes = weaver.weave(classFile, ProbeClassWeaver.plan(classFile, probes), seesOpenTelemetry);
                    if (bytes != null) {
                        woven.put(name, bytes);
                    }
                } catch (MethodTooLargeException e) {
                    // the agent leaves such a method out (MethodIsolatingWeaver); nothing to verify
                } catch (RuntimeException e) {
                    failedToWeave.add(name + ": " + e);
                }
            });
        }
        assertEquals(List.of(), failedToWeave, "classes the weaver threw on");

        // The whole library in one loader, woven where woven: a class and its supertypes must come from one place.
        Map<String, byte[]> library = new LinkedHashMap<>(original);
        library.putAll(woven);
        ClassLoader loader = new ByteArrayClassLoader.ChildFirst(getClass().getClassLoader(), library,
            ByteArrayClassLoader.PersistenceHandler.MANIFEST);
        List<String> rejected = new ArrayList<>();
        int verified = 0;
        int unresolved = 0;
        for (String name : woven.keySet()) {
            try {
                Class.forName(name, false, loader).getDeclaredMethods(); // links, so verifies, the class
                verified++;
            } catch (VerifyError | ClassFormatError e) {
                rejected.add(name + ": " + e);
            } catch (LinkageError | SecurityException e) {
                unresolved++; // its own missing dependency, not our bytecode
            }
        }
        assertEquals(List.of(), rejected.subList(0, Math.min(rejected.size(), 10)), rejected.size() + " classes rejected");
        assertTrue(woven.size() > original.size() / 2, woven.size() + " of " + original.size() + " classes woven");
        assertTrue(unresolved < woven.size() / 10, unresolved + " of " + woven.size() + " classes could not be linked");
        assertTrue(verified + unresolved == woven.size());
        System.out.printf("%s: %d classes, %d woven and verified (%d unresolvable), %d probes registered%n",
            artifact, original.size(), verified, unresolved, backend.registeredCount());
    }

    private static Path jarOnClassPath(String artifact) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String file = Path.of(entry).getFileName().toString();
            if (file.startsWith(artifact + "-") && file.endsWith(".jar")) {
                return Path.of(entry);
            }
        }
        throw new IllegalStateException(artifact + " is not on the test class path");
    }

    /** The jar's classes by binary name (no module-info, no multi-release variants). */
    private static Map<String, byte[]> classesOf(Path jar) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : file.stream().toList()) {
                String path = entry.getName();
                if (path.endsWith(".class") && !path.startsWith("META-INF/") && !path.endsWith("module-info.class")) {
                    classes.put(path.substring(0, path.length() - 6).replace('/', '.'),
                        file.getInputStream(entry).readAllBytes());
                }
            }
        }
        return classes;
    }

    /** The names of the methods with code: neither abstract nor native, nor constructors or initialisers. */
    private static Set<String> methodsWithCode(byte[] classFile) {
        Set<String> names = new LinkedHashSet<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0 && !name.startsWith("<")) {
                    names.add(name);
                }
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return names;
    }
}
