package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.TraceInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The default {@code context} on the real kernel, JDK 17 and 25: an application with its own OpenTelemetry SDK
 * (Maven Central) makes a span around each traced call; every entry and exit event in {@code trace} carries
 * exactly that span's {@code trace_id} and {@code span_id}, with no agent option and no change to the app, and
 * the call outside any span carries empty ones.
 */
@KernelTest
class OtelContextKernelTest {
    private static final int CALLS = 20;
    private static final Pattern SPAN = Pattern.compile("^span (\\d+) ([0-9a-f]{32}) ([0-9a-f]{16})$");
    private static final Pattern IDS = Pattern.compile("trace_id=(\\S*) span_id=(\\S*)$");
    private static final String[] OTEL_JARS = {"opentelemetry-api.jar", "opentelemetry-context.jar",
        "opentelemetry-common.jar", "opentelemetry-sdk-trace.jar", "opentelemetry-sdk-common.jar"};

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void eventsCarryTheIdsOfTheApplicationsOwnSpans(Jdk jdk) throws Exception {
        List<String> command = SafetyApps.java(jdk.java().toString(), "", SafetyApps.appClassPath(OTEL_JARS), "OtelApp",
            Integer.toString(CALLS));
        try (TraceInstance trace = TraceInstance.create("safety_otel_" + jdk.name().toLowerCase(Locale.ROOT));
             AppProcess app = AppProcess.start("OtelApp", command)) {
            app.awaitLine("ready", Duration.ofSeconds(150));
            trace.enable("user_events", "otel_charge");
            trace.enable("user_events", "otel_charge_exit");
            trace.enable("user_events", "log_info");
            trace.clear();
            app.send("go");
            app.awaitLine("done", Duration.ofSeconds(120));
            List<String> entries = trace.eventLines("otel_charge");
            List<String> exits = trace.eventLines("otel_charge_exit");
            List<String> logs = trace.eventLines("log_info");
            app.send("end");
            String transcript = app.transcript();
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), "exit status" + transcript);

            List<String> spans = spansPrinted(app);
            System.out.printf("otel (%s): %d spans; first entry: %s%n", jdk, spans.size(),
                entries.isEmpty() ? "none" : entries.get(0));
            assertEquals(CALLS, spans.size(), "spans the app reported" + transcript);
            assertEquals(CALLS + 1, entries.size(), "entry events: " + entries);
            assertEquals(CALLS + 1, exits.size(), "exit events: " + exits);
            assertEquals(CALLS + 1, logs.size(), "log events (java.util.logging): " + logs);
            for (int seq = 0; seq < CALLS; seq++) {
                assertEquals(spans.get(seq), ids(entries.get(seq)), "entry " + seq + ": " + entries.get(seq));
                assertEquals(spans.get(seq), ids(exits.get(seq)), "exit " + seq + ": " + exits.get(seq));
                assertEquals(spans.get(seq), ids(logs.get(seq)), "log " + seq + ": " + logs.get(seq));
            }
            assertEquals(" ", ids(entries.get(CALLS)), "outside any span: " + entries.get(CALLS));
            assertEquals(" ", ids(exits.get(CALLS)), "outside any span: " + exits.get(CALLS));
            assertEquals(" ", ids(logs.get(CALLS)), "outside any span: " + logs.get(CALLS));
            assertTrue(app.agentComplaints().isEmpty(), "agent errors or warnings" + transcript);
        }
    }

    /**
     * The application's own context storage calls a traced method on every lookup of the current context, so
     * asking for the span runs traced code: the agent must not recurse (a thread already asking gets no span),
     * the application runs as without it, and the events of its own calls still carry its spans' ids (JDK 17).
     */
    @Test
    void contextStorageThatCallsTracedCodeDoesNotRecurse() throws Exception {
        List<String> command = SafetyApps.java(Jdk.JDK_17.java().toString(), "", SafetyApps.appClassPath(OTEL_JARS),
            "OtelApp", Integer.toString(CALLS), "reentrant");
        try (TraceInstance trace = TraceInstance.create("safety_otel_reentrant");
             AppProcess app = AppProcess.start("OtelApp", command)) {
            app.awaitLine("ready", Duration.ofSeconds(150));
            trace.enable("user_events", "otel_charge");
            trace.enable("user_events", "otel_charge_exit");
            trace.clear();
            app.send("go");
            app.awaitLine("done", Duration.ofSeconds(120));
            List<String> entries = trace.eventLines("otel_charge");
            app.send("end");
            String transcript = app.transcript();
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), "exit status" + transcript);

            List<String> spans = spansPrinted(app);
            List<String> own = new ArrayList<>();
            for (String line : entries) {
                if (!line.startsWith("seq=0xffffffff")) { // the storage's own calls, seq -1
                    own.add(line);
                }
            }
            System.out.printf("otel reentrant: %d entry events, %d of the app's own calls%n", entries.size(), own.size());
            assertEquals(CALLS, spans.size(), "spans the app reported" + transcript);
            assertEquals(CALLS + 1, own.size(), "the app's own calls: " + own);
            for (int seq = 0; seq < CALLS; seq++) {
                assertEquals(spans.get(seq), ids(own.get(seq)), "entry " + seq + ": " + own.get(seq));
            }
            assertTrue(entries.size() > own.size(), "the storage's traced calls were traced too: " + entries.size());
            assertTrue(app.agentComplaints().isEmpty(), "agent errors or warnings" + transcript);
        }
    }

    /**
     * The OpenTelemetry Java agent (Maven Central) attached beside ours, JDK 17, on an application with the API
     * only: both agents work (the spans are real, so the OTel agent runs), and every event carries its span's ids.
     */
    @Test
    void besideTheOpenTelemetryJavaAgent() throws Exception {
        List<String> command = SafetyApps.java(Jdk.JDK_17.java().toString(), "", SafetyApps.appClassPath(
            "opentelemetry-api.jar", "opentelemetry-context.jar", "opentelemetry-common.jar"), "OtelAgentApp",
            Integer.toString(CALLS));
        command.addAll(1, List.of("-javaagent:" + SafetyApps.library("opentelemetry-javaagent.jar"),
            "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none"));
        try (TraceInstance trace = TraceInstance.create("safety_otel_agent");
             AppProcess app = AppProcess.start("OtelAgentApp", command)) {
            app.awaitLine("ready", Duration.ofSeconds(400));
            trace.enable("user_events", "otel_agent_charge");
            trace.clear();
            app.send("go");
            app.awaitLine("done", Duration.ofSeconds(120));
            List<String> entries = trace.eventLines("otel_agent_charge");
            app.send("end");
            String transcript = app.transcript();
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), "exit status" + transcript);

            List<String> spans = spansPrinted(app);
            System.out.printf("otel beside the OpenTelemetry Java agent: %d valid spans; first entry: %s%n", spans.size(),
                entries.isEmpty() ? "none" : entries.get(0));
            assertEquals(CALLS, spans.size(), "valid spans: the OpenTelemetry agent made them" + transcript);
            assertEquals(CALLS, entries.size(), "entry events: " + entries);
            for (int seq = 0; seq < CALLS; seq++) {
                assertEquals(spans.get(seq), ids(entries.get(seq)), "entry " + seq + ": " + entries.get(seq));
            }
            assertTrue(app.agentComplaints().isEmpty(), "agent errors or warnings" + transcript);
        }
    }

    /** {@code "TRACE SPAN"} of each valid span the app printed ({@code span SEQ TRACE SPAN}), in order. */
    private static List<String> spansPrinted(AppProcess app) {
        List<String> spans = new ArrayList<>();
        for (String line : app.stdout()) {
            Matcher m = SPAN.matcher(line);
            if (m.matches() && !m.group(2).equals("0".repeat(32))) {
                spans.add(m.group(2) + " " + m.group(3));
            }
        }
        return spans;
    }

    /** {@code "TRACE SPAN"} of one event's fields, as {@code trace} prints them. */
    private static String ids(String fields) {
        Matcher m = IDS.matcher(fields);
        return m.find() ? m.group(1) + " " + m.group(2) : "(no ids in: " + fields + ")";
    }
}
