package dev.userevents.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import dev.userevents.shim.hotpath.Errno;
import dev.userevents.shim.hotpath.EventSink;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downcall sink (JDK 22+) in a JDK 25 process: exact bytes at offset 0, errno on failure, no warning. */
class DowncallSinkTest {
    private static final Path JDK25 = Path.of(System.getProperty("userevents.jdk25",
        "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));

    @TempDir
    Path folder;

    @Test
    void writesThroughADowncallOnJdk25() throws Exception {
        assumeTrue(Files.isExecutable(JDK25), "no JDK 25 at " + JDK25);
        Path file = Files.createFile(folder.resolve("events"));
        String classPath = String.join(File.pathSeparator,
            location(DowncallSinkCheck.class), location(ForeignWrite.class), location(EventSink.class),
            location(Native.class));
        Path output = folder.resolve("out.txt");
        Process process = new ProcessBuilder(JDK25.toString(), "--enable-native-access=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", classPath, DowncallSinkCheck.class.getName(), file.toString(), "one event")
            .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertEquals(true, process.waitFor(60, TimeUnit.SECONDS), "the check did not finish");
        List<String> lines = Files.readAllLines(output);
        assertEquals(0, process.exitValue(), String.join("\n", lines));
        assertEquals(List.of("written=9 total=900000", "closed=-" + Errno.EBADF, "unknown=" + EventSink.UNKNOWN_ERROR), lines,
            "stdout and stderr together: no warning either");
        // pwrite() at offset 0, not write(): every event lands at offset 0 and the file's position never moves
        // (no position lock between threads; user_events_data takes offset 0 only).
        assertEquals("one event", new String(Files.readAllBytes(file), StandardCharsets.US_ASCII));
        assertFalse(lines.stream().anyMatch(line -> line.contains("WARNING")));
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
