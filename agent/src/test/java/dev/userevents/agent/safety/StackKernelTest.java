package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.TraceInstance;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code @Tracepoint(stack = true)} on the real kernel, JDK 17 and 25: for the call chain a -> b -> c, the
 * {@code stack} field of c's entry and exit events, as {@code trace} prints it, starts with exactly
 * {@code c:line;b:line;a:line}, on the main thread and on a virtual thread (a platform thread on JDK 17).
 */
@KernelTest
class StackKernelTest {
    private static final String APP = "com.example.safety.StackApp";
    private static final String CHAIN = "stack=" + APP + ".c:23;" + APP + ".b:18;" + APP + ".a:14;";

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void stackFieldNamesTheCallChain(Jdk jdk) throws Exception {
        List<String> command = SafetyApps.java(jdk.java().toString(), "", SafetyApps.appClassPath(), "StackApp");
        try (TraceInstance trace = TraceInstance.create("safety_stack_" + jdk.name().toLowerCase(Locale.ROOT));
             AppProcess app = AppProcess.start("StackApp", command)) {
            app.awaitLine("ready", Duration.ofSeconds(150));
            trace.enable("user_events", "stack_c");
            trace.enable("user_events", "stack_c_exit");
            trace.clear();
            app.send("go");
            app.awaitLine("done", Duration.ofSeconds(120));
            List<String> entries = trace.eventLines("stack_c");
            List<String> exits = trace.eventLines("stack_c_exit");
            app.send("end");
            String transcript = app.transcript();
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), "exit status" + transcript);

            System.out.printf("stack (%s): %s%n", jdk, entries);
            assertEquals(2, entries.size(), "entry events: " + entries);
            assertEquals(2, exits.size(), "exit events: " + exits);
            for (String line : entries) {
                assertTrue(line.contains(CHAIN), "entry: " + line);
            }
            for (String line : exits) {
                assertTrue(line.contains(CHAIN), "exit: " + line);
            }
            assertTrue(entries.get(0).contains(APP + ".main:"), "the main thread's stack reaches main: " + entries.get(0));
            assertEquals(List.of(), app.agentComplaints(), "agent errors or warnings" + transcript);
        }
    }
}
