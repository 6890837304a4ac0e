package dev.userevents.agent.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The jars a user runs: {@code agent/target/userevents-agent.jar} and {@code examples/target/order-service.jar}
 * of the checkout named by {@code -Duserevents.repo} (set by vm/kernel-tests.sh), not the test class path.
 * Copied once per test JVM into a private folder, so a rebuild on the host while the guest runs cannot
 * change them under a running test.
 */
final class ShippedJars {
    private static Path agent;
    private static Path orderService;

    private ShippedJars() {
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
            throw new IllegalStateException("system property userevents.repo is not set; run with: bash vm/kernel-tests.sh --module agent");
        }
        try {
            Path folder = Files.createTempDirectory("userevents-e2e-jars-");
            agent = copy(Path.of(repo, "agent", "target", "userevents-agent.jar"), folder);
            orderService = copy(Path.of(repo, "examples", "target", "order-service.jar"), folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copy(Path jar, Path folder) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; build it with: mvn -B -q install -DskipTests");
        }
        return Files.copy(jar, folder.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
}
