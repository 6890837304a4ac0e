package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.TraceInstance;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code context=thread} on the real kernel (JDK 25): 1,000 virtual threads each emit one event; every event
 * in {@code trace} names its own Java thread ({@code java_tid}, 1,000 distinct values) with {@code virtual=1},
 * while the task the kernel names for it (the TASK-PID of the trace line, i.e. {@code common_pid}) is one of
 * the few carrier threads.
 */
@KernelTest
class ThreadContextKernelTest {
    private static final int THREADS = 1_000;
    /**
     * {@code ForkJoinPool-1--115 [001] .....  56.96: vt_emit: thread=0x0 (0) kind=virtual java_tid=0x16 (22) virtual=(1)}
     * (6.12 prints a u8 as its decimal value in brackets; the task name is cut to 15 characters).
     */
    private static final Pattern LINE = Pattern.compile(
        "^\\s*.*-(\\d+)\\s+\\[\\d+\\].*: vt_emit: thread=\\S+ \\((\\d+)\\) kind=virtual java_tid=\\S+ \\((\\d+)\\)"
            + " virtual=(?:\\S+ )?\\((\\d+)\\)$");

    @Test
    void everyVirtualThreadIsNamedThoughTheKernelSeesItsCarrier() throws Exception {
        List<String> command = SafetyApps.java(Jdk.JDK_25.java().toString(), "context=thread", SafetyApps.appClassPath(),
            "VirtualThreadApp", Integer.toString(THREADS));
        try (TraceInstance trace = TraceInstance.create("safety_context");
             AppProcess app = AppProcess.start("VirtualThreadApp", command)) {
            app.awaitLine("ready", Duration.ofSeconds(150));
            trace.enable("user_events", "vt_emit");
            trace.clear();
            app.send("go");
            AppNumbers numbers = new AppNumbers(app.awaitValue("virtual threads: ", Duration.ofSeconds(300)));
            String text = new String(trace.readTrace(), StandardCharsets.UTF_8);
            int status = app.awaitExit(Duration.ofSeconds(60));

            Set<Long> javaThreads = new HashSet<>();
            Set<Integer> indexes = new HashSet<>();
            Set<Integer> kernelTasks = new HashSet<>();
            int lines = 0;
            int virtual = 0;
            for (String line : text.split("\n")) {
                Matcher m = LINE.matcher(line);
                if (m.matches()) {
                    lines++;
                    kernelTasks.add(Integer.parseInt(m.group(1)));
                    indexes.add(Integer.parseInt(m.group(2)));
                    javaThreads.add(Long.parseLong(m.group(3)));
                    virtual += Integer.parseInt(m.group(4)) == 1 ? 1 : 0;
                }
            }
            String transcript = app.transcript();
            System.out.printf("thread context: %d events, %d distinct java_tid, %d with virtual=1, %d kernel tasks%n",
                lines, javaThreads.size(), virtual, kernelTasks.size());
            assertEquals(0, status, "exit status" + transcript);
            assertEquals(THREADS, numbers.get("virtual"), "threads that were virtual" + transcript);
            assertEquals(THREADS, lines, "vt_emit lines with the context fields in trace:\n"
                + text.lines().filter(l -> l.contains("vt_emit")).limit(3).toList());
            assertEquals(THREADS, indexes.size(), "one event per thread");
            assertEquals(THREADS, javaThreads.size(), "each event names its own Java thread");
            assertEquals(THREADS, virtual, "every event says virtual=1");
            assertTrue(kernelTasks.size() <= 64, "the kernel saw " + kernelTasks.size()
                + " tasks: the carriers, far fewer than the virtual threads");
            assertEquals(List.of(), app.agentComplaints(), "agent errors or warnings" + transcript);
        }
    }
}
