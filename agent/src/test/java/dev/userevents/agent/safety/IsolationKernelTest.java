package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.TraceInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An application with its own, older Byte Buddy (1.14.12) and JNA (5.13.0) on its class path, which it uses
 * (a generated class, libc calls), runs under the agent (Byte Buddy 1.18, JNA 5.17, loaded apart from the
 * application) exactly as without it, on JDK 17 and JDK 25, and its {@code @Tracepoint} method still emits
 * every event. On JDK 25 the agent adds no warning: standard error without the agent's own
 * {@code [userevents]} lines is the same with and without the agent (the app's old JNA warns about its own
 * native access there, in both runs). On JDK 17 nothing but the agent's line is printed there.
 */
@KernelTest
class IsolationKernelTest {
    private static final int GREETINGS = 25;
    /** What the app prints, with or without the agent (checked against a run without it on JDK 25). */
    private static final List<String> STDOUT = List.of(
        "byte-buddy: byte-buddy-1.14.12.jar",
        "jna: 5.13.0 from jna-5.13.0.jar",
        "generated class com.example.safety.Generated: made by the app's own Byte Buddy",
        "libc through the app's JNA: getpid() is this process: true, strlen(\"isolation\") = 9",
        "ready",
        "greeted " + GREETINGS + " times",
        "done");

    @Test
    void appWithItsOwnOlderByteBuddyAndJnaRunsUnchangedAndEmitsOnJdk17() throws Exception {
        AppProcess traced = runTraced("JDK 17", Jdk.JDK_17.java().toString());

        assertEquals(List.of(), traced.stderrWithoutAgent(), "standard error besides the agent's line" + traced.transcript());
        report("JDK 17", traced, null);
    }

    @Test
    void appWithItsOwnOlderByteBuddyAndJnaRunsUnchangedEmitsAndGetsNoNewWarningOnJdk25() throws Exception {
        AppProcess plain = run("IsolationApp on JDK 25 without agent", Jdk.JDK_25.java().toString(), null, null);
        assertEquals(STDOUT, plain.stdout(), "standard output without the agent" + plain.transcript());

        AppProcess traced = runTraced("JDK 25", Jdk.JDK_25.java().toString());

        assertEquals(plain.stderr(), traced.stderrWithoutAgent(), "standard error with the agent, its own lines removed"
            + traced.transcript() + plain.transcript());
        report("JDK 25", traced, plain);
    }

    /** Runs the app under the agent with its event enabled; checks output, agent lines and events. */
    private static AppProcess runTraced(String jdk, String java) throws Exception {
        long[] greetings = new long[1];
        List<String> lines = new ArrayList<>();
        AppProcess traced;
        try (TraceInstance trace = TraceInstance.create("safety_isolation", 1024)) {
            traced = run("IsolationApp on " + jdk + " with agent", java, "", app -> {
                trace.enable("user_events", "iso_greeting");
                return () -> {
                    greetings[0] = trace.countLines("iso_greeting");
                    lines.addAll(trace.eventLines("iso_greeting"));
                };
            });
        }
        assertEquals(STDOUT, traced.stdout(), "standard output with the agent" + traced.transcript());
        assertEquals(List.of(), traced.agentComplaints(), "agent errors or warnings" + traced.transcript());
        assertEquals(GREETINGS, greetings[0], "iso_greeting events in trace");
        assertTrue(lines.contains("n=0x19 (25) text=hello 25"), lines.toString());
        return traced;
    }

    private static void report(String jdk, AppProcess traced, AppProcess plain) {
        long warnings = traced.stderrWithoutAgent().stream().filter(line -> line.startsWith("WARNING:")).count();
        System.out.printf("isolation: %s: the app's own byte-buddy-1.14.12 and jna-5.13.0 work under the agent, stdout as"
                + " without it (%d lines), stderr %s but for the agent's %d own line(s) (%d WARNING line(s), all the"
                + " app's own JNA's), %d/%d iso_greeting events in trace; %.1f s with the agent%s%n",
            jdk, STDOUT.size(), plain == null ? "empty" : "identical to the run without agent", traced.agentLines().size(),
            warnings, GREETINGS, GREETINGS, traced.secondsSinceStart(),
            plain == null ? "" : String.format(java.util.Locale.ROOT, ", %.1f s without", plain.secondsSinceStart()));
    }

    interface WhileReady {
        /** Called once the app is ready; returns what to do once it is done (before it exits). */
        ThrowingRunnable run(AppProcess app) throws Exception;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static AppProcess run(String label, String java, String agentOptions, WhileReady whileReady) throws Exception {
        String classPath = SafetyApps.appClassPath(SafetyApps.BYTE_BUDDY_1_14, SafetyApps.JNA_5_13);
        try (AppProcess app = AppProcess.start(label, SafetyApps.java(java, agentOptions, classPath, "IsolationApp",
                Integer.toString(GREETINGS)))) {
            app.awaitLine("ready", Duration.ofSeconds(150));
            ThrowingRunnable whenDone = whileReady == null ? () -> { } : whileReady.run(app);
            app.send("go");
            app.awaitLine("done", Duration.ofSeconds(60));
            whenDone.run();
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), label + ": exit status" + app.transcript());
            return app;
        }
    }
}
