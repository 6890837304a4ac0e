package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userevents.testing.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code perfMap=true} through the shipped agent jar, on any host ({@code mode=dry}): the agent's thread
 * writes {@code /tmp/perf-<pid>.map} and rewrites it once the JIT has compiled the application's methods.
 * Tagged {@value #SHIPPED_JAR}: the build runs it after {@code package} (agent/pom.xml), since it needs the jar.
 * What perf makes of the map is {@code PerfMapKernelTest}, in the guest.
 */
@Tag(PerfMapHostTest.SHIPPED_JAR)
class PerfMapHostTest {
    static final String SHIPPED_JAR = "shipped-jar";
    private static final String APP = "com.example.safety.PerfMapApp";

    @Test
    void theMapGetsALineForEachJitCompiledMethodOfTheApplication() throws Exception {
        List<String> command = new ArrayList<>(SafetyApps.java(SafetyApps.currentJava(), "mode=dry,perfMap=true",
            SafetyApps.appClassPath(), "PerfMapApp"));
        command.addAll(1, List.of("-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline," + APP + "::*"));
        try (AppProcess app = AppProcess.start("PerfMapApp", command)) {
            Path map = Path.of("/tmp/perf-" + app.pid() + ".map");
            try {
                app.awaitValue("ready ", Duration.ofSeconds(60));
                // The agent logs where the map is just after writing it: wait for both before the app is ended.
                Wait.until(Duration.ofSeconds(30), () -> "a, b and c in " + map + ", and the agent's line" + app.transcript(),
                    () -> Files.isRegularFile(map) && Files.readString(map).contains("int " + APP + ".c(int)")
                        && Files.readString(map).contains("int " + APP + ".b(int)")
                        && Files.readString(map).contains("int " + APP + ".a(int)")
                        && app.agentLines().stream().anyMatch(line -> line.startsWith("[userevents] INFO perfMap: "
                            + map + " written in ")));
                String transcript = app.transcript();
                assertEquals(0, app.awaitExit(Duration.ofSeconds(30)), "exit status" + transcript);
                assertEquals(List.of(), app.agentComplaints(), "agent errors or warnings" + transcript);
            } finally {
                Files.deleteIfExists(map);
            }
        }
    }
}
