package dev.userevents.agent.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A JDK the example application runs on, as a separate process, under the agent. */
record Jdk(String name, Path java) {
    static final Jdk JDK_17 = new Jdk("JDK 17", Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java"));
    static final Jdk JDK_25 = new Jdk("JDK 25", Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));

    /** The oldest JDK the agent supports and the newest LTS; each e2e test runs on both. */
    static Stream<Jdk> supported() {
        return Stream.of(JDK_17, JDK_25);
    }

    /** Fails (rather than skips) when the JDK is missing: the guest sees the host's /usr/lib/jvm. */
    Jdk requireInstalled() {
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException(name + " not found at " + java + "; install it on the host, the guest shares it");
        }
        return this;
    }

    @Override
    public String toString() {
        return name;
    }
}
