package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.container.DescriptorServer;
import dev.userevents.testing.GuestTracefs;
import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.ShippedJars;
import dev.userevents.testing.TraceInstance;
import dev.userevents.testing.Wait;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The application in a container that cannot see tracefs: a mount namespace of its own with tracefs unmounted
 * ({@code unshare -m}, as {@link FaultToleranceKernelTest} makes one). A collector outside, this test as root,
 * hands it {@code user_events_data}: over a Unix socket ({@code dataSocket}, this test's
 * {@link DescriptorServer}) or through a launcher that opened it before entering the namespace ({@code dataFd}).
 * The events arrive in the outer namespace's {@code trace}, every one, with their exact values. Each bad
 * hand-over gives one agent line with the cause and the fix, and the application prints exactly what it prints
 * untraced.
 */
@KernelTest
class ContainerHandOverKernelTest {
    private static final int ORDERS = 60;
    private static final Duration START = Duration.ofSeconds(150);
    private static final Duration WORK = Duration.ofSeconds(60);
    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final String UNMOUNT_TRACEFS = "umount -R /sys/kernel/debug 2>/dev/null; umount -R /sys/kernel/tracing"
        + " && ! grep -q tracefs /proc/self/mounts && ! test -e /sys/kernel/tracing/user_events_data";
    private static final String UNAVAILABLE = "[userevents] WARN user_events unavailable, probes stay off and the"
        + " application runs untraced: ";

    /** FaultApp's standard output, worked out in this JVM by the app's own code, untraced. */
    private static List<String> untraced;

    @BeforeAll
    static void theAppsOutputUntraced() throws Exception {
        Class<?> app = Class.forName(SafetyApps.APP_PACKAGE + "FaultApp");
        Constructor<?> constructor = app.getDeclaredConstructor();
        constructor.setAccessible(true);
        Object book = constructor.newInstance();
        Method handle = app.getDeclaredMethod("handle", int.class);
        handle.setAccessible(true);
        for (int id = 1; id <= ORDERS; id++) {
            handle.invoke(book, id);
        }
        Method summary = app.getDeclaredMethod("summary");
        summary.setAccessible(true);
        untraced = List.of("ready", (String) summary.invoke(book), "done");
    }

    @BeforeEach
    void noOrderPlacedEventLingers() throws InterruptedException {
        Path dir = GuestTracefs.ROOT.resolve("events/user_events/order_placed");
        Wait.until(Duration.ofSeconds(15), () -> "user_events:order_placed to go (does another process hold it?)",
            () -> !Files.exists(dir));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void overTheSocketTheCollectorHandsOverTheDescriptorAndEveryEventArrives(Jdk jdk) throws Exception {
        Path socket = Files.createTempDirectory("ue-collector-").resolve("ue.sock");
        try (DescriptorServer collector = DescriptorServer.serving(socket, GuestTracefs.ROOT.resolve("user_events_data"),
                DescriptorServer.O_WRONLY)) {
            List<String> command = SafetyApps.wrapped(inMountNamespace(UNMOUNT_TRACEFS), SafetyApps.java(
                jdk.java().toString(), "dataSocket=" + socket, SafetyApps.appClassPath(), "FaultApp",
                Integer.toString(ORDERS)));
            String[] status = new String[1];
            AppProcess app = runAndTrace("dataSocket " + jdk, command, running -> status[0] = statusOf(running));

            assertEquals(List.of(app.pid() + "\n"), collector.linesReceived(), "the agent sent its pid, once");
            String started = startLine(app);
            assertTrue(started.matches(".* user_events at descriptor \\d+ from dataSocket=" + Pattern.quote(socket.toString())
                + ", writes through [^;]+; \\d+ probe\\(s\\).*"), started);
            assertTrue(status[0].matches("(?s)JVM " + app.pid() + ":\n  totals: .*\n  events to: user_events at descriptor"
                + " \\d+ from dataSocket=" + Pattern.quote(socket.toString()) + ", writes through [^\n]+\n.*"), status[0]);
            System.out.printf("container: dataSocket (%s): %s; status PID: %s%n", jdk, started,
                status[0].lines().filter(line -> line.contains("events to")).findFirst().orElse(""));
        }
    }

    /**
     * The launcher opens {@code user_events_data} write-only ({@code exec 7>>}) before it enters the container,
     * whose tracefs it then unmounts; the JVM inherits descriptor 7.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void throughALauncherTheInheritedDescriptorCarriesEveryEvent(Jdk jdk) throws Exception {
        List<String> launcher = new ArrayList<>(List.of("sh", "-c", "exec 7>>" + GuestTracefs.ROOT.resolve("user_events_data")
            + " && exec \"$0\" \"$@\""));
        launcher.addAll(inMountNamespace(UNMOUNT_TRACEFS + " && test \"$(readlink /proc/self/fd/7)\" != ''"));
        List<String> command = SafetyApps.wrapped(launcher, SafetyApps.java(jdk.java().toString(), "dataFd=7",
            SafetyApps.appClassPath(), "FaultApp", Integer.toString(ORDERS)));
        AppProcess app = runAndTrace("dataFd " + jdk, command, running -> { });

        String started = startLine(app);
        assertTrue(started.contains(" user_events at descriptor 7 from dataFd=7, writes through "), started);
        System.out.printf("container: dataFd (%s): %s%n", jdk, started);
    }

    @Test
    void aClosedDescriptorNumberIsOneLineAndTheAppRunsUntraced() throws Exception {
        String line = runWithBadHandOver("closed dataFd", List.of(), "dataFd=9");

        assertEquals(UNAVAILABLE + "dataFd=9: descriptor 9 is not open in this process (EBADF (9)); the launcher must"
            + " keep it open across exec (no close-on-exec, e.g. bash 'exec 7>>/sys/kernel/tracing/user_events_data'"
            + " before starting java)", line);
    }

    @Test
    void aDescriptorOfAnotherFileIsOneLineAndTheAppRunsUntraced() throws Exception {
        String line = runWithBadHandOver("dataFd of /dev/null", List.of("sh", "-c", "exec 7>/dev/null && exec \"$0\" \"$@\""),
            "dataFd=7");

        assertEquals(UNAVAILABLE + "dataFd=7: descriptor 7 is /dev/null, not user_events_data; hand over a descriptor"
            + " of <tracefs>/user_events_data opened for writing", line);
    }

    @Test
    void aSocketNobodyListensOnIsOneLineAndTheAppRunsUntraced() throws Exception {
        Path stale = Files.createTempDirectory("ue-collector-").resolve("ue.sock");
        try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            gone.bind(UnixDomainSocketAddress.of(stale));
        }
        String line = runWithBadHandOver("dataSocket without listener", List.of(), "dataSocket=" + stale);

        assertEquals(UNAVAILABLE + "dataSocket=" + stale + ": nobody listens on that socket (ECONNREFUSED); start the"
            + " collector that serves user_events_data", line);
    }

    @Test
    void aCollectorThatNeverAnswersIsOneLineAfterTheTimeoutAndTheAppRunsUntraced() throws Exception {
        Path socket = Files.createTempDirectory("ue-collector-").resolve("ue.sock");
        try (DescriptorServer silent = DescriptorServer.silent(socket)) {
            String line = runWithBadHandOver("dataSocket never answered", List.of(), "dataSocket=" + socket);

            assertEquals(UNAVAILABLE + "dataSocket=" + socket + ": no answer within 5000 ms; the collector must answer"
                + " this process's id with a descriptor of user_events_data (SCM_RIGHTS)", line);
            assertEquals(1, silent.linesReceived().size(), "the agent connected and sent its pid");
        }
    }

    // --- helpers --------------------------------------------------------------------------------------

    interface Step {
        void run(AppProcess app) throws Exception;
    }

    /**
     * Runs FaultApp with {@code order_placed} and {@code order_shipped} enabled in a trace instance of the outer
     * namespace; checks its output is the untraced one, exit 0, no agent complaint, and that every event arrived
     * with its values. {@code whileRunning} runs after the work, before the app exits.
     */
    private static AppProcess runAndTrace(String label, List<String> command, Step whileRunning)
            throws Exception {
        try (TraceInstance trace = TraceInstance.create("container_" + label.replaceAll("\\W", "_")
                .toLowerCase(Locale.ROOT), 1024);
             AppProcess app = AppProcess.start(label, command)) {
            app.awaitLine("ready", START);
            trace.enable("user_events", "order_placed");
            trace.enable("user_events", "order_shipped");
            app.send("go");
            app.awaitLine("done", WORK);
            List<String> placed = trace.eventLines("order_placed");
            long shipped = trace.countLines("order_shipped");
            whileRunning.run(app);
            assertEquals(0, app.awaitExit(EXIT), label + ": exit status" + app.transcript());

            assertEquals(untraced, app.stdout(), label + ": standard output" + app.transcript());
            assertEquals(List.of(), app.agentComplaints(), label + ": agent errors or warnings" + app.transcript());
            assertEquals(ORDERS, placed.size(), label + ": order_placed events " + placed);
            assertEquals(ORDERS / 3, shipped, label + ": order_shipped events");
            assertTrue(placed.get(0).contains("orderId=0x1 (1) customer=bob cents=0x6b (107) coupon=C1"), placed.get(0));
            assertTrue(placed.get(1).contains("orderId=0x2 (2) customer=chloé cents=0xcf (207) coupon=C2"), placed.get(1));
            assertTrue(placed.get(3).contains("orderId=0x4 (4) customer=eve cents=0x197 (407) coupon=(toString threw)"),
                placed.get(3));
            assertTrue(placed.get(59).contains("orderId=0x3c (60) customer=alice cents=0x1777 (6007) coupon=(toString threw)"),
                placed.get(59));
            return app;
        }
    }

    /** Runs FaultApp with a hand-over that must fail; returns the agent's only line after checking the app ran as untraced. */
    private static String runWithBadHandOver(String label, List<String> launcher, String agentOptions) throws Exception {
        List<String> command = SafetyApps.wrapped(launcher, SafetyApps.java(SafetyApps.currentJava(), agentOptions,
            SafetyApps.appClassPath(), "FaultApp", Integer.toString(ORDERS)));
        try (AppProcess app = AppProcess.start(label, command)) {
            app.awaitLine("ready", START);
            app.send("go");
            app.awaitLine("done", WORK);
            assertEquals(0, app.awaitExit(EXIT), label + ": exit status" + app.transcript());
            assertEquals(untraced, app.stdout(), label + ": standard output" + app.transcript());
            assertEquals(List.of(), app.stderrWithoutAgent(), label + ": standard error" + app.transcript());
            List<String> lines = app.agentLines();
            assertEquals(1, lines.size(), label + ": exactly one agent line" + app.transcript());
            System.out.printf("container: %s: output as untraced, exit 0, %.1f s; agent: %s%n", label,
                app.secondsSinceStart(), lines.get(0));
            return lines.get(0);
        }
    }

    private static String startLine(AppProcess app) {
        return app.agentLines().stream().filter(line -> line.startsWith("[userevents] INFO started in ")).findFirst()
            .orElseThrow(() -> new AssertionError("no start line" + app.transcript()));
    }

    /** {@code java -jar userevents-agent.jar status PID}, run from the outer namespace. */
    private static String statusOf(AppProcess app) throws Exception {
        Process status = new ProcessBuilder(Jdk.JDK_17.java().toString(), "-jar", ShippedJars.agent().toString(), "status",
            Long.toString(app.pid())).redirectErrorStream(true).start();
        String output = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(status.waitFor(WORK.toSeconds(), TimeUnit.SECONDS), output);
        assertEquals(0, status.exitValue(), output);
        return output;
    }

    /** {@code unshare -m sh -c 'SETUP && exec java ...'}: the app alone sees the changed mounts. */
    private static List<String> inMountNamespace(String setup) {
        return List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", setup + " && exec \"$0\" \"$@\"");
    }
}
