package dev.userevents.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The JDKs the agent supports, each run as a separate process (the guest sees the host's /usr/lib/jvm). */
public enum Jdk {
    /** The oldest JDK the agent supports. */
    JDK_17("JDK 17", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"),
    /** The newest LTS. */
    JDK_25("JDK 25", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    private final String label;
    private final Path java;

    Jdk(String label, String java) {
        this.label = label;
        this.java = Path.of(java);
    }

    /**
     * The {@code java} launcher; fails (never skips) when missing, since both JDKs are supported.
     *
     * @return the launcher's path
     * @throws IllegalStateException if it is not an executable file
     */
    public Path java() {
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException(label + " not found at " + java + "; install it on the host, the guest shares it");
        }
        return java;
    }

    @Override
    public String toString() {
        return label;
    }
}
