package dev.userevents.agent.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.testing.CapturedLog;
import dev.userevents.testing.Wait;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code perfMap=true}: HotSpot's {@code Compiler.perfmap}, called through the DiagnosticCommand MBean, writes
 * {@code /tmp/perf-<pid>.map} with the JIT's methods; a JVM without the command gets one WARN line and nothing
 * else. The agent's own use of it, through the shipped jar, is {@code safety.PerfMapHostTest}.
 */
class PerfMapWriterTest {
    private static long sink;

    @AfterEach
    void removeTheMap() throws Exception {
        Files.deleteIfExists(Path.of(PerfMapWriter.mapPath()));
    }

    @Test
    void writesTheMapWithALineForAJitCompiledMethod() throws Exception {
        PerfMapWriter writer = PerfMapWriter.forThisJvm();
        Path map = Path.of(PerfMapWriter.mapPath());

        Wait.until(Duration.ofSeconds(30), () -> "a line for PerfMapWriterTest.hot in " + map, () -> {
            for (int i = 0; i < 100_000; i++) {
                sink += hot(i);
            }
            assertTrue(writer.write() >= 0, "the command ran");
            return Files.readString(map).contains(" long " + PerfMapWriterTest.class.getName() + ".hot(int)");
        });
        for (String line : Files.readAllLines(map)) {
            assertTrue(line.matches("0x[0-9a-f]+ 0x[0-9a-f]+ .+"), "START SIZE name: " + line);
        }
    }

    @Test
    void aJvmWithoutTheDiagnosticCommandMBeanGetsOneWarningAndTheWriterStops() {
        MBeanServer empty = MBeanServerFactory.newMBeanServer();
        try (CapturedLog log = CapturedLog.start()) {
            new PerfMapWriter(empty, List.of(), null).run(); // returns: the thread would end

            assertEquals(List.of("[userevents] WARN perfMap: no JIT symbol map is written, so perf shows Java frames as"
                + " addresses: this JVM has no DiagnosticCommand MBean (com.sun.management:type=DiagnosticCommand);"
                + " run on a HotSpot JDK 17+ (OpenJDK, Temurin, ...), or drop perfMap. The agent runs on."), log.lines());
        }
    }

    /** The MBean of a JVM whose diagnostic commands lack Compiler.perfmap (HotSpot before 17). */
    public interface OlderDiagnosticCommandMBean {
        /** {@return what {@code VM.version} prints} */
        String vmVersion();
    }

    @Test
    void aJvmWithoutCompilerPerfmapIsToldWhichJdkHasIt() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        server.registerMBean(new StandardMBean(() -> "16", OlderDiagnosticCommandMBean.class),
            new ObjectName(PerfMapWriter.DIAGNOSTIC_COMMAND));
        try (CapturedLog log = CapturedLog.start()) {
            new PerfMapWriter(server, List.of(), ManagementFactory.getCompilationMXBean()).run();

            List<String> lines = log.lines();
            assertEquals(1, lines.size(), "one line: " + lines);
            assertTrue(lines.get(0).contains("this JVM has no Compiler.perfmap diagnostic command (HotSpot JDK 17+ has"
                + " it)"), lines.get(0));
        }
    }

    private static long hot(int x) {
        return x * 31L + 7;
    }
}
