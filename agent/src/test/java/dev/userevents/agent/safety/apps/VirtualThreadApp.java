package com.example.safety;

import dev.userevents.Tracepoint;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * THREADS virtual threads (JDK 21+), each calling one enabled probe once, and what that costs in memory,
 * measured from inside: direct memory (where the agent's event buffers live), heap, and the process's
 * resident set (peak: VmHWM).
 * <pre>java -javaagent:... com.example.safety.VirtualThreadApp THREADS</pre>
 * Prints {@code ready}, waits for {@code go}, prints one line of numbers, waits for its input to end.
 * Compiled for Java 17 like the rest of the tests, so virtual threads are made through reflection.
 */
public final class VirtualThreadApp {
    private static final AtomicLong virtualCallers = new AtomicLong();
    private static final AtomicLong exceptions = new AtomicLong();

    @Tracepoint(name = "vt_emit")
    static void emit(int thread, String kind) {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        ThreadFactory factory = virtualThreadFactory();
        BufferPoolMXBean direct = directPool();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Driver.say("ready");
        Driver.await("go");

        System.gc();
        long directBefore = direct.getMemoryUsed();
        long directCountBefore = direct.getCount();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        long rssBefore = status("VmRSS");
        long[] peaks = {directBefore, directCountBefore, heapBefore};
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peaks[0] = Math.max(peaks[0], direct.getMemoryUsed());
                peaks[1] = Math.max(peaks[1], direct.getCount());
                peaks[2] = Math.max(peaks[2], memory.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-sampler");
        sampler.start();

        long start = System.nanoTime();
        CountDownLatch finished = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            int index = i;
            factory.newThread(() -> {
                try {
                    if (isVirtual(Thread.currentThread())) {
                        virtualCallers.incrementAndGet();
                    }
                    emit(index, "virtual");
                } catch (Throwable e) {
                    exceptions.incrementAndGet();
                } finally {
                    finished.countDown();
                }
            }).start();
        }
        boolean done = finished.await(600, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampler.join(10_000);
        System.gc();
        Driver.say(String.format(Locale.ROOT, "virtual threads: threads=%d finished=%d virtual=%d seconds=%.1f exceptions=%d"
                + " written=%d raced=%d buffers=%d directBefore=%d directPeak=%d directAfter=%d directCountBefore=%d"
                + " directCountPeak=%d heapBefore=%d heapPeak=%d heapAfter=%d rssBefore=%d rssPeak=%d",
            threads, threads - finished.getCount(), virtualCallers.get(), seconds, exceptions.get(),
            AgentProbes.written("vt_emit"), AgentProbes.raced("vt_emit"), AgentProbes.bufferCount(), directBefore, peaks[0],
            direct.getMemoryUsed(), directCountBefore, peaks[1], heapBefore, peaks[2],
            memory.getHeapMemoryUsage().getUsed(), rssBefore, status("VmHWM")));
        if (!done) {
            Driver.say("not finished: " + finished.getCount() + " threads still running after 600 s");
        }
        Driver.awaitEnd();
    }

    private static ThreadFactory virtualThreadFactory() throws ReflectiveOperationException {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
    }

    private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
        return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    }

    private static BufferPoolMXBean directPool() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool;
            }
        }
        throw new IllegalStateException("no direct buffer pool bean");
    }

    /** A size line of /proc/self/status ("VmHWM:  123456 kB"), in bytes. */
    private static long status(String key) throws java.io.IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
