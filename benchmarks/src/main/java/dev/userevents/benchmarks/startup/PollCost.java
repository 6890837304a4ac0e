package dev.userevents.benchmarks.startup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * What the agent's on-demand poll thread costs: loads a class whose methods a probes-file pattern makes
 * candidates, waits, and prints the CPU time the thread {@code userevents-on-demand} used over that wait.
 *
 * <pre>java -javaagent:...=mode=dry,probes=FILE -cp ... dev.userevents.benchmarks.startup.PollCost CLASS SECONDS [WARMUP]</pre>
 * WARMUP (default 1) seconds pass before the measured SECONDS: the poll runs ten times a second, so its code is
 * compiled by C2 only after about a minute.
 * Prints {@code poll_cpu_ms=... wall_ms=... share_of_one_core_percent=...}, or {@code poll_thread=absent}.
 */
public final class PollCost {
    private static final String POLL_THREAD = "userevents-on-demand";

    private PollCost() {
    }

    /**
     * Loads {@code args[0]}, waits {@code args[2]} (default 1) then {@code args[1]} seconds, and prints the poll
     * thread's CPU share over the latter.
     *
     * @param args the class whose methods are candidates, the seconds measured, the seconds of warm-up before
     * @throws Exception if the class is missing or the wait is interrupted
     */
    public static void main(String[] args) throws Exception {
        Class.forName(args[0]);
        long seconds = Long.parseLong(args[1]);
        Thread.sleep(args.length > 2 ? Long.parseLong(args[2]) * 1_000 : 1_000); // registered, the poll in its loop
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long id = -1;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(POLL_THREAD)) {
                id = thread.getId();
            }
        }
        if (id < 0) {
            System.out.println("poll_thread=absent");
            return;
        }
        long cpuBefore = threads.getThreadCpuTime(id);
        long wallBefore = System.nanoTime();
        Thread.sleep(seconds * 1_000);
        long cpu = threads.getThreadCpuTime(id) - cpuBefore;
        long wall = System.nanoTime() - wallBefore;
        System.out.printf(Locale.ROOT, "poll_cpu_ms=%.2f wall_ms=%d share_of_one_core_percent=%.4f%n",
            cpu / 1e6, wall / 1_000_000, 100.0 * cpu / wall);
    }
}
