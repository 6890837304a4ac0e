package dev.userevents.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.jar.JarFile;
import org.jspecify.annotations.Nullable;

/**
 * The jars a user runs, {@code agent/target/userevents-agent.jar} and {@code examples/target/order-service.jar}
 * of the checkout named by {@code -Duserevents.repo} (vm/kernel-tests.sh sets it; else the parent of the
 * working directory, a module's), never the test class path: what is tested is what ships.
 *
 * <p>Copied once per test JVM into a private folder of the guest's own tmpfs, readable by every user (one
 * fault test runs an application as nobody). The checkout is the host's, shared live: a rebuild there while
 * the guest runs rewrites a jar in place, and a JVM that opens it mid-write (an attach target adding it to its
 * class path, say) fails in ways that have nothing to do with the agent. So a copy counts only once it reads
 * as a whole jar, and a torn one is taken again (for up to 2 minutes).
 */
public final class ShippedJars {
    private static final Duration COPY_PATIENCE = Duration.ofMinutes(2);

    /** The folder of the copies, and each copy, once made. */
    private static @Nullable Path folder;
    private static @Nullable Path agent;
    private static @Nullable Path orderService;

    private ShippedJars() {
    }

    /**
     * The checkout the jars come from.
     *
     * @return {@code -Duserevents.repo}, else the working directory's parent
     * @throws IllegalStateException if neither is there (a test run from {@code /})
     */
    public static Path repo() {
        String repo = System.getProperty("userevents.repo");
        if (repo != null) {
            return Path.of(repo);
        }
        Path workingDirectory = Path.of("").toAbsolutePath();
        Path parent = workingDirectory.getParent();
        if (parent == null) {
            throw new IllegalStateException("no -Duserevents.repo, and the working directory " + workingDirectory
                + " has no parent to take for the checkout");
        }
        return parent;
    }

    /**
     * The copy of {@code agent/target/userevents-agent.jar}.
     *
     * @return the copy's path, the same for the whole test JVM
     * @throws IllegalStateException if the checkout lacks the jar
     * @throws UncheckedIOException if the folder for the copies cannot be made
     */
    public static synchronized Path agent() {
        Path copy = agent;
        if (copy == null) {
            copy = copy(repo().resolve("agent/target/userevents-agent.jar"), folder(), true);
            agent = copy;
        }
        return copy;
    }

    /**
     * The copy of {@code examples/target/order-service.jar}.
     *
     * @return the copy's path, the same for the whole test JVM
     * @throws IllegalStateException if the checkout lacks the jar
     * @throws UncheckedIOException if the folder for the copies cannot be made
     */
    public static synchronized Path orderService() {
        Path copy = orderService;
        if (copy == null) {
            copy = copy(repo().resolve("examples/target/order-service.jar"), folder(), false);
            orderService = copy;
        }
        return copy;
    }

    /**
     * {@code -javaagent:userevents-agent.jar[=OPTIONS]}.
     *
     * @param options the agent's options, {@code key=value} separated by commas; empty for none
     * @return the JVM option, with the copy's path
     * @throws IllegalStateException if the checkout lacks the agent jar
     */
    public static String javaagent(String options) {
        return "-javaagent:" + agent() + (options.isEmpty() ? "" : "=" + options);
    }

    /** The folder of the copies, made on first use; each jar is copied when first asked for. */
    private static Path folder() {
        Path made = folder;
        if (made == null) {
            try {
                made = Files.createTempDirectory("userevents-shipped-jars-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            folder = made;
        }
        return made;
    }

    /** Copies {@code jar} until the copy is whole: a copy taken while the host writes the jar has no central directory. */
    private static Path copy(Path jar, Path folder, boolean isAgent) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; build it with: mvn -B -q install -DskipTests");
        }
        Path copy = folder.resolve(jar.getFileName());
        Wait.atMost(COPY_PATIENCE).pollInterval(Duration.ofSeconds(2)).alias("a whole copy of " + jar).until(() -> {
            Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
            return isWhole(copy, isAgent);
        });
        return copy;
    }

    /** Opens as a jar; the agent's also has its Premain-Class and its nested implementation jar. */
    private static boolean isWhole(Path jar, boolean isAgent) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return !isAgent || (file.getManifest() != null
                && file.getManifest().getMainAttributes().getValue("Premain-Class") != null
                && file.getEntry("inst/userevents-impl.jar") != null);
        } catch (IOException torn) {
            return false;
        }
    }
}
