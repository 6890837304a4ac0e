package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.testing.GuestTracefs;
import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.TraceInstance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The log bridges on the real kernel, with the real Logback 1.5, Log4j 2.24 and the JDK's
 * java.util.logging, each on JDK 17 and 25: an application configured at INFO, to its console and a file,
 * run as it is (no appender, no configuration change). See {@code com.example.safety.LogScript} for what
 * the apps log. Each run uses an event prefix of its own, so runs in parallel never share an event.
 */
@KernelTest
class LogBridgeKernelTest {
    private static final Duration START = Duration.ofSeconds(150);
    private static final Duration WORK = Duration.ofSeconds(120);
    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final String THREAD = "main";

    /** The three frameworks: the app, the libraries it needs, and how it finds its configuration. */
    enum Framework {
        LOGBACK("LogbackApp", "-Dlogback.configurationFile=com/example/safety/logback-app.xml",
            "logback-classic.jar", "logback-core.jar", "slf4j-api.jar"),
        LOG4J("Log4jApp", "-Dlog4j2.configurationFile=com/example/safety/log4j2-app.xml",
            "log4j-api.jar", "log4j-core.jar"),
        JUL("JulApp", null);

        final String app;
        final String configuration;
        final String[] libraries;

        Framework(String app, String configuration, String... libraries) {
            this.app = app;
            this.configuration = configuration;
            this.libraries = libraries;
        }
    }

    static Stream<Arguments> frameworksOnBothJdks() {
        List<Arguments> all = new ArrayList<>();
        for (Framework framework : Framework.values()) {
            for (Jdk jdk : Jdk.values()) {
                all.add(Arguments.of(framework, jdk));
            }
        }
        return all.stream();
    }

    /**
     * (a) With log_debug traced, DEBUG records reach it with exact fields though the application logs INFO;
     * (d) a filter on {@code logger} keeps only that logger's records; (b) the application's console and
     * file get exactly what they get without the agent, with the events on and then off.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("frameworksOnBothJdks")
    void debugRecordsReachLogDebugWhileTheAppLogsInfoAndItsOwnOutputIsUnchanged(Framework framework, Jdk jdk)
            throws Exception {
        String prefix = prefix(framework, jdk, "a");
        Output without = runTwoBurstsWithoutTheAgent(framework, jdk);

        Path file = Files.createTempFile("log-app-", ".log");
        try (TraceInstance trace = TraceInstance.create("logs_" + prefix, 1024);
             AppProcess app = AppProcess.start(framework + " with the agent", command(framework, jdk, "prefix=" + prefix, file))) {
            app.awaitLine("ready", START);
            trace.enableWhenRegistered(START, prefix + "log_debug", prefix + "log_error", prefix + "log_trace");
            Files.writeString(trace.dir().resolve("events/user_events/" + prefix + "log_info/filter"),
                "logger ~ \"com.acme.S*\"");
            trace.enable(GuestTracefs.USER_EVENTS, prefix + "log_info");

            app.send("burst");
            app.awaitLine("burst done", WORK);
            List<String> debug = acme(trace.eventLines(prefix + "log_debug"));
            List<String> info = acme(trace.eventLines(prefix + "log_info"));
            List<String> error = acme(trace.eventLines(prefix + "log_error"));
            List<String> traceLevel = acme(trace.eventLines(prefix + "log_trace"));

            for (String level : List.of("log_debug", "log_info", "log_error", "log_trace")) {
                trace.disable(GuestTracefs.USER_EVENTS, prefix + level);
            }
            app.send("burst");
            app.awaitLine("burst done", WORK);
            long afterOff = Stream.of("log_debug", "log_info", "log_error", "log_trace")
                .mapToLong(level -> acme(trace.eventLines(prefix + level)).size()).sum();
            assertEquals(0, app.awaitExit(EXIT), "exit status" + app.transcript());

            assertEquals(List.of(line("com.acme.Orders", "order 1 for ann", ""), line("com.acme.Orders", "order 2 for ann", ""),
                line("com.acme.Orders", "order 3 for ann", "")), debug, app.transcript());
            assertEquals(List.of(line("com.acme.Stock", "stock 7 left", "")), info,
                "the filter keeps com.acme.Stock's record only" + app.transcript());
            assertEquals(List.of(line("com.acme.Payments", "refund r-7 failed",
                "java.lang.IllegalStateException: card expired")), error, app.transcript());
            assertEquals(List.of(line("com.acme.Orders", "trace detail", "")), traceLevel, app.transcript());
            assertEquals(debug.size() + info.size() + error.size() + traceLevel.size(), afterOff,
                "nothing more once the events are off");

            Output with = new Output(app.stdout(), app.stderrWithoutAgent(), Files.readString(file));
            assertEquals(without.stdout, with.stdout, "console (standard output) as without the agent");
            assertEquals(without.stderr, with.stderr, "standard error as without the agent");
            assertEquals(without.file, with.file, "the log file as without the agent");
            assertTrue(without.file.contains("refund r-7 failed") && !without.file.contains("order 1 for ann"),
                "the app logs INFO and above to its file: " + without.file);
            assertEquals(List.of(), app.agentComplaints(), app.transcript());
            System.out.printf("log bridge (%s, %s): 3 debug, 1 filtered info, 1 error with thrown, 1 trace; "
                + "console and file identical to the run without the agent (%d file bytes)%n", framework, jdk,
                with.file.length());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * (c) log_debug switched on and off 200 times while 4 threads log DEBUG flat out: nothing thrown, no
     * hang; then, with it left on, every one of 4 x 250 records arrives.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("frameworksOnBothJdks")
    void togglingLogDebugWhileFourThreadsLogHarmsNothingAndLosesNothingWhileOn(Framework framework, Jdk jdk)
            throws Exception {
        String prefix = prefix(framework, jdk, "c");
        Path file = Files.createTempFile("log-app-", ".log");
        try (TraceInstance trace = TraceInstance.create("logs_" + prefix, 4096);
             AppProcess app = AppProcess.start(framework + " toggled", command(framework, jdk, "prefix=" + prefix, file))) {
            app.awaitLine("ready", START);
            trace.enableWhenRegistered(START, prefix + "log_debug");
            app.send("flood");
            app.awaitLine("flooding", WORK);
            for (int i = 0; i < 200; i++) {
                trace.disable(GuestTracefs.USER_EVENTS, prefix + "log_debug");
                trace.enable(GuestTracefs.USER_EVENTS, prefix + "log_debug");
            }
            app.send("stop");
            long flooded = Long.parseLong(app.awaitValue("flood done ", WORK));

            trace.clear();
            long overrunBefore = trace.stat("overrun");
            app.send("parallel 250");
            app.awaitLine("parallel done", WORK);
            long parallel = trace.eventLines(prefix + "log_debug").stream()
                .filter(line -> line.startsWith("logger=com.acme.Parallel ")).count();
            assertEquals(0, app.awaitExit(EXIT), "exit status" + app.transcript());

            assertTrue(flooded > 0, "the threads logged" + app.transcript());
            assertEquals(0, trace.stat("overrun") - overrunBefore, "the ring buffer lost nothing");
            assertEquals(4 * 250, parallel, "every record while log_debug stayed on" + app.transcript());
            assertEquals(List.of(), app.stderrWithoutAgent().stream()
                .filter(line -> line.contains("Exception") || line.contains("Error")).collect(Collectors.toList()),
                app.transcript());
            assertEquals(List.of(), app.agentComplaints(), app.transcript());
            System.out.printf("log bridge (%s, %s): 200 toggles under %,d flooding calls; then %d of 1000 records%n",
                framework, jdk, flooded, parallel);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** (e) {@code logs=false}: the frameworks log as always and no log event is registered. */
    @Test
    void logsFalseRegistersNoLogEvent() throws Exception {
        String prefix = prefix(Framework.LOGBACK, Jdk.JDK_17, "e");
        Path file = Files.createTempFile("log-app-", ".log");
        try (AppProcess app = AppProcess.start("Logback with logs=false",
                command(Framework.LOGBACK, Jdk.JDK_17, "prefix=" + prefix + ",logs=false", file))) {
            app.awaitLine("ready", START);
            app.send("burst");
            app.awaitLine("burst done", WORK);
            List<String> logEvents = GuestTracefs.eventDirs(GuestTracefs.USER_EVENTS, prefix + "log_.*");
            assertEquals(0, app.awaitExit(EXIT), "exit status" + app.transcript());

            assertEquals(List.of(), logEvents);
            assertTrue(Files.readString(file).contains("refund r-7 failed"), "the app still logs");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The text {@code trace} prints after "EVENT: " for one record of this script's main thread. */
    private static String line(String logger, String message, String thrown) {
        return "logger=" + logger + " message=" + message + " thread=" + THREAD + " thrown=" + thrown;
    }

    /** Only the script's own records (the JDK may log through JUL too). */
    private static List<String> acme(List<String> lines) {
        return lines.stream().filter(line -> line.startsWith("logger=com.acme.")).collect(Collectors.toList());
    }

    private static String prefix(Framework framework, Jdk jdk, String test) {
        return framework.name().toLowerCase(Locale.ROOT) + jdk.name().replaceAll("\\D", "") + test + "_";
    }

    private static List<String> command(Framework framework, Jdk jdk, String agentOptions, Path logFile) {
        List<String> command = SafetyApps.java(jdk.java().toString(), agentOptions,
            SafetyApps.appClassPath(framework.libraries), framework.app);
        command.add(1, "-Dapp.log=" + logFile);
        if (framework.configuration != null) {
            command.add(1, framework.configuration);
        }
        return command;
    }

    /** What an app printed and wrote to its log file. */
    private static final class Output {
        final List<String> stdout;
        final List<String> stderr;
        final String file;

        Output(List<String> stdout, List<String> stderr, String file) {
            this.stdout = stdout;
            this.stderr = stderr;
            this.file = file;
        }
    }

    /** The app run twice through the burst without the agent. */
    private static Output runTwoBurstsWithoutTheAgent(Framework framework, Jdk jdk) throws IOException, InterruptedException {
        Path file = Files.createTempFile("log-app-", ".log");
        try (AppProcess app = AppProcess.start(framework + " without the agent", command(framework, jdk, null, file))) {
            app.awaitLine("ready", START);
            app.send("burst");
            app.awaitLine("burst done", WORK);
            app.send("burst");
            app.awaitLine("burst done", WORK);
            assertEquals(0, app.awaitExit(EXIT), "exit status" + app.transcript());
            assertFalse(app.stdout().isEmpty(), app.transcript());
            return new Output(app.stdout(), app.stderrWithoutAgent(), new String(Files.readAllBytes(file),
                StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
