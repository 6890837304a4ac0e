package dev.userevents.agent.e2e.tool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipFile;

/**
 * The jars a user runs, {@code agent/target/userevents-agent.jar} and {@code examples/target/order-service.jar}
 * of the checkout named by {@code -Duserevents.repo} (vm/kernel-tests.sh sets it), copied once per test JVM
 * into the guest's own tmpfs. The checkout is the host's, shared live: a rebuild there while the guest runs
 * rewrites the jar in place, and a JVM that opens it mid-write (an attach target adding it to its class
 * path, say) fails in ways that have nothing to do with the agent.
 */
final class ToolJars {
    private static Path agent;
    private static Path orderService;

    private ToolJars() {
    }

    static synchronized Path agent() {
        copyOnce();
        return agent;
    }

    static synchronized Path orderService() {
        copyOnce();
        return orderService;
    }

    private static void copyOnce() {
        if (agent != null) {
            return;
        }
        String repo = System.getProperty("userevents.repo");
        if (repo == null) {
            throw new IllegalStateException("system property userevents.repo is not set; run: "
                + "bash vm/kernel-tests.sh --module agent");
        }
        try {
            Path folder = Files.createTempDirectory("e2e-tool-jars-");
            agent = copy(Path.of(repo, "agent", "target", "userevents-agent.jar"), folder);
            orderService = copy(Path.of(repo, "examples", "target", "order-service.jar"), folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Copies until the copy opens as a zip: a copy taken while the host writes the jar has no central directory. */
    private static Path copy(Path jar, Path folder) throws IOException, InterruptedException {
        Path copy = folder.resolve(jar.getFileName());
        for (int attempt = 1; ; attempt++) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing; build it with: mvn -B -q install -DskipTests");
            }
            Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
            try (ZipFile ignored = new ZipFile(copy.toFile())) {
                return copy;
            } catch (IOException torn) {
                if (attempt == 10) {
                    throw new IOException(jar + " does not read as a jar after " + attempt + " copies", torn);
                }
                Thread.sleep(2000);
            }
        }
    }
}
