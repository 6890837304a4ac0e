package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.TraceInstance;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 100,000 virtual threads (JDK 25) each emit one enabled event: every event arrives in {@code trace}, and the
 * agent's memory does not grow with the number of threads. Its event buffers are a fixed pool shared by all
 * threads, platform and virtual ({@code ProbeRuntime.bufferCount()} x 4 KiB, allocated before the first
 * event); a buffer is held only while one event is encoded and written, and a virtual thread is not
 * unmounted inside that write, so no more buffers are ever needed than carriers write at once.
 *
 * <p>Bounds asserted: direct memory (where the buffers live) grows by at most one pool's worth
 * ({@code bufferCount x 4 KiB}, 64 KiB on the guest's 2 CPUs) above what it was before the threads started;
 * the process's peak resident set stays under {@value #PEAK_RSS_BOUND_MIB} MiB with a 256 MiB heap limit.
 */
@KernelTest
class VirtualThreadsKernelTest {
    private static final int THREADS = 100_000;
    private static final long PEAK_RSS_BOUND_MIB = 400;

    @Test
    void hundredThousandVirtualThreadsEachEmitOneEventAndEveryEventArrivesInBoundedMemory() throws Exception {
        List<String> command = SafetyApps.java(Jdk.JDK_25.java().toString(), "", SafetyApps.appClassPath(), "VirtualThreadApp",
            Integer.toString(THREADS));
        command.add(1, "-Xmx256m");
        try (TraceInstance trace = TraceInstance.create("safety_vthreads", 16 * 1024);
             AppProcess app = AppProcess.start("VirtualThreadApp", command)) {
            app.awaitLine("ready", Duration.ofSeconds(150));
            trace.enable("user_events", "vt_emit");
            trace.clear();
            app.send("go");
            AppNumbers numbers = new AppNumbers(app.awaitValue("virtual threads: ", Duration.ofSeconds(600)));
            long counted = trace.countLines("vt_emit");
            long overrun = trace.stat("overrun");
            int status = app.awaitExit(Duration.ofSeconds(60));

            long buffers = numbers.get("buffers");
            long directGrowth = numbers.get("directPeak") - numbers.get("directBefore");
            System.out.printf("virtual threads: %d virtual threads (JDK 25) in %.1f s, %d events written, %d in trace,"
                    + " %d overrun; agent buffers %d x 4 KiB = %d KiB; direct memory %d -> peak %d bytes (+%d, %d -> %d"
                    + " buffers); heap %d -> peak %d -> %d MiB after GC; RSS %d MiB before, peak %d MiB (bound %d MiB)%n",
                numbers.get("virtual"), numbers.decimal("seconds"), numbers.get("written"), counted, overrun, buffers,
                buffers * 4, numbers.get("directBefore"), numbers.get("directPeak"), directGrowth,
                numbers.get("directCountBefore"), numbers.get("directCountPeak"), mib(numbers.get("heapBefore")),
                mib(numbers.get("heapPeak")), mib(numbers.get("heapAfter")), mib(numbers.get("rssBefore")),
                mib(numbers.get("rssPeak")), PEAK_RSS_BOUND_MIB);
            String transcript = app.transcript();
            assertEquals(0, status, "exit status" + transcript);
            assertEquals(THREADS, numbers.get("finished"), "threads finished" + transcript);
            assertEquals(THREADS, numbers.get("virtual"), "threads that were virtual" + transcript);
            assertEquals(0, numbers.get("exceptions"), "exceptions" + transcript);
            assertEquals(THREADS, numbers.get("written"), "events written" + transcript);
            assertEquals(0, overrun, "the ring buffer lost events: make it larger");
            assertEquals(THREADS, counted, "vt_emit events in trace");
            assertTrue(directGrowth <= buffers * 4096, "direct memory grew by " + directGrowth + " bytes, more than one pool ("
                + buffers + " x 4 KiB)" + transcript);
            assertTrue(numbers.get("rssPeak") < PEAK_RSS_BOUND_MIB * 1024 * 1024, "peak RSS " + mib(numbers.get("rssPeak"))
                + " MiB" + transcript);
            assertEquals(List.of(), app.agentComplaints(), "agent errors or warnings" + transcript);
        }
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }
}
