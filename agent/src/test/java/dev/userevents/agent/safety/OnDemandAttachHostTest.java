package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.testing.JavaProcess;
import dev.userevents.testing.Jdk;
import dev.userevents.testing.Wait;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attach} with a pattern line, on any host ({@code mode=dry}): H2's JDBC classes, loaded before the
 * agent, become candidates from their class files, without being retransformed, and the application runs on
 * untouched. Tagged {@value PerfMapHostTest#SHIPPED_JAR}: it needs the built agent jar.
 */
@Tag(PerfMapHostTest.SHIPPED_JAR)
class OnDemandAttachHostTest {
    private static final Pattern CANDIDATES = Pattern.compile("on-demand: (\\d+) candidate\\(s\\) in classes loaded so far");

    @Test
    void classesLoadedBeforeAttachBecomeCandidatesWithoutBeingRetransformed(@TempDir Path dir) throws Exception {
        Path probes = dir.resolve("probes.txt");
        Files.writeString(probes, "org.h2.jdbc.*#execute*\n", StandardCharsets.UTF_8);
        List<String> command = SafetyApps.java(SafetyApps.currentJava(), null, SafetyApps.appClassPath("h2.jar"),
            "OnDemandH2App");
        try (AppProcess app = AppProcess.start("OnDemandH2App", command)) {
            app.awaitLine("ready", Duration.ofSeconds(60));
            try (JavaProcess cli = JavaProcess.agentCli(Jdk.JDK_17, "attach", Long.toString(app.pid()),
                    "mode=dry,logs=false,log=debug,probes=" + probes)) {
                assertEquals(0, cli.awaitExit(Duration.ofSeconds(60)), cli::toString);
            }
            String line = Wait.forValue(Duration.ofSeconds(30), () -> "the agent's candidate count" + app.transcript(),
                () -> app.agentLines().stream().filter(text -> CANDIDATES.matcher(text).find()).findFirst());
            Matcher count = CANDIDATES.matcher(line);
            assertTrue(count.find());
            // JdbcConnection's and JdbcStatement's execute... methods at least: the app ran a statement before.
            assertTrue(Integer.parseInt(count.group(1)) >= 10, line);
            try (JavaProcess status = JavaProcess.agentCli(Jdk.JDK_17, "status", Long.toString(app.pid()))) {
                assertEquals(0, status.awaitExit(Duration.ofSeconds(60)), status::toString);
                assertTrue(status.stdoutLines().stream().anyMatch(text -> text.strip().matches(
                    "on-demand: \\d+ candidate\\(s\\) in \\d+ class\\(es\\), 0 class\\(es\\) woven now")), () -> "status said: " + status.stdout());
            }
            app.send("go");
            app.awaitLine("running", Duration.ofSeconds(30));
            Thread.sleep(500); // a few polls: the words read 0, nothing may be woven
            app.send("stop");
            app.awaitLine("done", Duration.ofSeconds(30));
            String transcript = app.transcript();
            assertEquals(0, app.awaitExit(Duration.ofSeconds(30)), "exit status" + transcript);
            assertEquals(List.of("ready", "running", "thread 0: every answer right", "thread 1: every answer right",
                "thread 2: every answer right", "thread 3: every answer right", "done"), app.stdout(), transcript);
            // The transformer's own lines: "weaving N entry ... into C" and "woven C in N ms" (debug), and the poll's.
            assertTrue(app.agentLines().stream().noneMatch(text -> text.contains("DEBUG weaving ")
                    || text.matches(".*DEBUG woven \\S+ in \\d+ ms.*") || text.contains(" woven for ")),
                "nothing woven or retransformed: " + transcript);
            assertEquals(List.of(), app.agentComplaints(), "agent errors or warnings" + transcript);
        }
    }
}
