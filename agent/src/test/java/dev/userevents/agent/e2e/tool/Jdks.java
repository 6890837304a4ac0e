package dev.userevents.agent.e2e.tool;

import java.nio.file.Files;
import java.nio.file.Path;

/** The JDKs the tools are run on (the guest sees the host's /usr/lib/jvm). */
enum Jdks {
    JDK_17("/usr/lib/jvm/java-17-openjdk-amd64/bin/java"),
    JDK_25("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    private final Path java;

    Jdks(String java) {
        this.java = Path.of(java);
    }

    /** The {@code java} launcher; fails (never skips) when missing, since both JDKs are supported. */
    Path java() {
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException(name() + " not found at " + java + "; install it on the host, the guest shares it");
        }
        return java;
    }
}
