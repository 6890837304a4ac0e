package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.fail;

import dev.userevents.testing.JavaProcess;
import dev.userevents.testing.ShippedJars;
import dev.userevents.testing.Wait;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Command lines for the applications in {@code safety/apps} (package {@code com.example.safety}), run in a
 * JVM of their own with the packaged agent jar ({@link ShippedJars}), as a user would: {@code java
 * -javaagent:userevents-agent.jar -cp <the app> com.example.safety.FaultApp}. The app's class path holds the
 * apps and the annotation, never the agent's own classes, so what runs is what ships.
 *
 * <p>The apps, the annotation and the isolation test's libraries are copied once into a private folder,
 * readable by every user (one fault is an app run as nobody), as ShippedJars copies the agent jar: other
 * builds in the same checkout may rewrite {@code target/} while these tests run.
 *
 * <p>Public for the tool tests that need an app of their own ({@code e2e.tool.RecordHistKernelTest} runs
 * {@code SleepApp}).
 */
public final class SafetyApps {
    static final Path REPO = ShippedJars.repo();
    static final String APP_PACKAGE = "com.example.safety.";
    static final String BYTE_BUDDY_1_14 = "byte-buddy-1.14.12.jar";
    static final String JNA_5_13 = "jna-5.13.0.jar";

    private static final Path APP_CLASSES = REPO.resolve("agent/target/test-classes/com/example/safety");
    private static final Path API_CLASSES = REPO.resolve("api/target/classes");
    private static final Path ISOLATION_LIBS = REPO.resolve("agent/target/isolation-libs");
    private static final Duration COPY_PATIENCE = Duration.ofSeconds(120);

    private static Path copies;

    private SafetyApps() {
    }

    /** The apps, the {@code @Tracepoint} annotation, and {@code libraries} (names in agent/target/isolation-libs). */
    public static String appClassPath(String... libraries) {
        Path root = copies();
        List<String> entries = new ArrayList<>();
        for (String library : libraries) {
            Path jar = root.resolve("libs").resolve(library);
            if (!Files.isRegularFile(jar)) {
                fail(ISOLATION_LIBS.resolve(library) + " is missing: 'mvn -DskipTests package' copies it (agent/pom.xml)");
            }
            entries.add(jar.toString());
        }
        entries.add(root.resolve("apps").toString());
        entries.add(root.resolve("api").toString());
        return String.join(File.pathSeparator, entries);
    }

    /** The private copy of one library of agent/target/isolation-libs, e.g. a second agent's jar. */
    static Path library(String name) {
        Path jar = copies().resolve("libs").resolve(name);
        if (!Files.isRegularFile(jar)) {
            fail(ISOLATION_LIBS.resolve(name) + " is missing: 'mvn -DskipTests package' copies it (agent/pom.xml)");
        }
        return jar;
    }

    /**
     * {@code java [-javaagent:<agent jar>[=options]] -cp <classPath> com.example.safety.<app> args...};
     * {@code agentOptions} null means without the agent, "" with it and no options.
     */
    public static List<String> java(String javaBin, String agentOptions, String classPath, String app, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        command.addAll(JavaProcess.QUICK_JVM); // these apps measure safety, not speed
        if (agentOptions != null) {
            command.add(ShippedJars.javaagent(agentOptions));
        }
        command.add("-cp");
        command.add(classPath);
        command.add(APP_PACKAGE + app);
        command.addAll(Arrays.asList(args));
        return command;
    }

    /** The JVM these tests run on: apps that need no particular JDK use it. */
    static String currentJava() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code prefix + command}: e.g. a command run by another user or in another mount namespace. */
    static List<String> wrapped(List<String> prefix, List<String> command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(command);
        return all;
    }

    /**
     * The private copies, made on first use (waited for while a build is writing them): the app classes, the
     * annotation, the isolation test's libraries.
     */
    private static synchronized Path copies() {
        if (copies != null) {
            return copies;
        }
        try {
            Path root = Files.createTempDirectory("userevents-safety-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Wait.until(COPY_PATIENCE, () -> "a complete " + APP_CLASSES + ": run 'mvn -DskipTests package'",
                () -> copyAll(root));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
            copies = root;
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean copyAll(Path root) throws IOException {
        if (!Files.isRegularFile(APP_CLASSES.resolve("Driver.class"))
                || !Files.isRegularFile(API_CLASSES.resolve("dev/userevents/Tracepoint.class"))) {
            return false;
        }
        deleteTree(root.resolve("apps"));
        copyTree(APP_CLASSES, root.resolve("apps/com/example/safety"));
        copyTree(API_CLASSES, root.resolve("api"));
        if (Files.isDirectory(ISOLATION_LIBS)) {
            copyTree(ISOLATION_LIBS, root.resolve("libs"));
        }
        return Files.isRegularFile(root.resolve("apps/com/example/safety/Driver.class"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary folder
        }
    }
}
