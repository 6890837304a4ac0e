package dev.userevents.agent.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.testing.CapturedLog;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Which class loaders' classes get the OpenTelemetry ids: only those that see the whole API
 * (opentelemetry-api and opentelemetry-context, from Maven Central); the check loads nothing.
 */
class OpenTelemetryApiTest {

    @Test
    void theApiWithItsContextIsUsable() throws Exception {
        try (URLClassLoader loader = loaderOf("opentelemetry-api", "opentelemetry-context");
             CapturedLog log = CapturedLog.start()) {
            assertTrue(OpenTelemetryApi.usableFrom(loader, true));
            assertEquals(0, log.lines().size(), log.lines().toString());
        }
    }

    @Test
    void theApiWithoutOpentelemetryContextIsNotAndSaysWhy() throws Exception {
        try (URLClassLoader loader = loaderOf("opentelemetry-api"); CapturedLog log = CapturedLog.start()) {
            assertFalse(OpenTelemetryApi.usableFrom(loader, false));
            assertFalse(OpenTelemetryApi.usableFrom(loader, false), "asked again: the same answer, no second line");
            assertEquals(1, log.linesWith("opentelemetry-context").size(), log.lines().toString());
        }
    }

    @Test
    void aLoaderWithoutTheApiIsNotAndIsLoggedOnlyWhenOtelWasAsked() throws Exception {
        try (URLClassLoader quiet = new URLClassLoader(new URL[0], null);
             URLClassLoader asked = new URLClassLoader(new URL[0], null);
             CapturedLog log = CapturedLog.start()) {
            assertFalse(OpenTelemetryApi.usableFrom(quiet, false));
            assertEquals(0, log.lines().size(), log.lines().toString());
            assertFalse(OpenTelemetryApi.usableFrom(asked, true));
            assertEquals(1, log.linesWith("sees no OpenTelemetry API").size(), log.lines().toString());
        }
    }

    /** A loader of only these jars of the test class path (no parent classes but the platform's). */
    private static URLClassLoader loaderOf(String... artifacts) throws MalformedURLException {
        URL[] urls = new URL[artifacts.length];
        for (int i = 0; i < artifacts.length; i++) {
            urls[i] = jar(artifacts[i]).toUri().toURL();
        }
        return new URLClassLoader(urls, null);
    }

    private static Path jar(String artifact) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String file = Path.of(entry).getFileName().toString();
            if (file.matches(artifact + "-[0-9].*\\.jar")) {
                return Path.of(entry);
            }
        }
        throw new IllegalStateException(artifact + " is not on the test class path");
    }
}
