package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.userevents.agent.e2e.Perf;
import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code perfMap=true} on the real kernel, JDK 17 and 25: {@code perf record -g -e user_events:perfmap_c -p PID}
 * then {@code perf script} names the Java methods of the call chain a -> b -> c (c the tracepoint), innermost
 * first, in one sample's stack, for an application run with {@code -XX:+PreserveFramePointer} as the README
 * says. The dontinline keeps b and c frames of their own (inlined, they would show as a).
 */
@KernelTest
class PerfMapKernelTest {
    private static final String APP = "com.example.safety.PerfMapApp";
    private static final String EVENT = "perfmap_c";

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void perfScriptNamesTheJavaMethodsOfTheTracedCallChain(Jdk jdk) throws Exception {
        List<String> command = new ArrayList<>(SafetyApps.java(jdk.java().toString(), "perfMap=true",
            SafetyApps.appClassPath(), "PerfMapApp"));
        // A fixed set of JIT threads: perf record -p lists the threads first, then reads each one's /proc files,
        // and perf 6.1 gave up without a word (status 255) on JDK 17, where a compiler thread ends after idling.
        command.addAll(1, List.of("-XX:+PreserveFramePointer", "-XX:-UseDynamicNumberOfCompilerThreads",
            "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline," + APP + "::*"));
        try (AppProcess app = AppProcess.start("PerfMapApp", command)) {
            app.awaitValue("ready ", Duration.ofSeconds(150));
            Path map = Path.of("/tmp/perf-" + app.pid() + ".map");
            Wait.until(Duration.ofSeconds(60), () -> "a, b and c in " + map + app.transcript(), () ->
                Files.isRegularFile(map) && Files.readString(map).contains(APP + ".c(int)")
                    && Files.readString(map).contains(APP + ".b(int)") && Files.readString(map).contains(APP + ".a(int)"));

            List<String> samples;
            try {
                samples = Perf.recordCallChains(app.pid(), EVENT, Duration.ofSeconds(3));
            } catch (AssertionError silentFailure) { // see above; once more, and say so
                System.out.printf("perf record failed (%s), once more: %s%n", jdk, silentFailure.getMessage());
                samples = Perf.recordCallChains(app.pid(), EVENT, Duration.ofSeconds(3));
            }
            String transcript = app.transcript();
            List<String> complaints = app.agentComplaints();
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), "exit status" + transcript);

            assertFalse(samples.isEmpty(), "perf recorded no " + EVENT + " sample" + transcript);
            String chain = samples.stream().filter(PerfMapKernelTest::namesTheChainInOrder).findFirst().orElse(null);
            if (chain == null) {
                fail(samples.size() + " samples, none with c, b, a in its stack; the first:\n" + samples.get(0)
                    + "\nthe last:\n" + samples.get(samples.size() - 1) + transcript);
            }
            System.out.printf("perf script, one of %d samples (%s):%n%s%n", samples.size(), jdk, chain);
            assertEquals(List.of(), complaints, "agent errors or warnings" + transcript);
        }
    }

    /** c's frame, then b's, then a's, as perf prints a call chain: innermost first. */
    private static boolean namesTheChainInOrder(String sample) {
        int c = sample.indexOf(APP + ".c(int)");
        int b = sample.indexOf(APP + ".b(int)");
        int a = sample.indexOf(APP + ".a(int)");
        return c >= 0 && c < b && b < a;
    }
}
