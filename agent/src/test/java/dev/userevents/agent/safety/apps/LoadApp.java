package com.example.safety;

import dev.userevents.Tracepoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Four threads call one probe flat out. First while another thread switches its event on and off TOGGLES
 * times through tracefs (and for at least MIN_SECONDS), then, with the event left on by the test, for
 * COUNT_SECONDS more: that phase's call count is what the test finds in the trace.
 * <pre>java -javaagent:... com.example.safety.LoadApp ENABLE_FILE TOGGLES MIN_SECONDS COUNT_SECONDS</pre>
 * Commands: {@code toggle}, {@code count}; each phase prints one line of numbers. Every join is bounded: a
 * thread still running 30 s after it was told to stop is a deadlock, reported with exit status 3.
 */
public final class LoadApp {
    private static final int THREADS = 4;
    private static final long JOIN_MILLIS = 30_000;

    private static volatile boolean stop;
    private static final AtomicLong exceptions = new AtomicLong();

    @Tracepoint(name = "load_tick")
    static void tick(int thread, long call) {
    }

    public static void main(String[] args) throws Exception {
        Path enable = Paths.get(args[0]);
        int toggles = Integer.parseInt(args[1]);
        int minSeconds = Integer.parseInt(args[2]);
        int countSeconds = Integer.parseInt(args[3]);
        Driver.say("ready");

        Driver.await("toggle");
        int[] toggled = new int[1];
        Thread toggler = new Thread(() -> {
            try {
                for (; toggled[0] < toggles; toggled[0]++) {
                    Files.writeString(enable, toggled[0] % 2 == 0 ? "1" : "0");
                }
            } catch (IOException e) {
                exceptions.incrementAndGet();
                e.printStackTrace();
            }
        }, "toggler");
        long start = System.nanoTime();
        long[] calls = startWorkers();
        toggler.start();
        toggler.join(600_000);
        sleepUntil(start + minSeconds * 1_000_000_000L);
        double seconds = stopWorkers(start, toggler.isAlive() ? new Thread[] {toggler} : new Thread[0]);
        Driver.say(String.format(Locale.ROOT, "toggle phase: calls=%d toggles=%d seconds=%.1f exceptions=%d written=%d raced=%d",
            sum(calls), toggled[0], seconds, exceptions.get(), AgentProbes.written("load_tick"),
            AgentProbes.raced("load_tick")));

        Driver.await("count");
        long writtenBefore = AgentProbes.written("load_tick");
        long racedBefore = AgentProbes.raced("load_tick");
        start = System.nanoTime();
        calls = startWorkers();
        sleepUntil(start + countSeconds * 1_000_000_000L);
        seconds = stopWorkers(start, new Thread[0]);
        Driver.say(String.format(Locale.ROOT, "count phase: calls=%d seconds=%.1f exceptions=%d written=%d raced=%d",
            sum(calls), seconds, exceptions.get(), AgentProbes.written("load_tick") - writtenBefore,
            AgentProbes.raced("load_tick") - racedBefore));
        Driver.awaitEnd();
    }

    private static Thread[] workers;

    private static long[] startWorkers() {
        stop = false;
        long[] calls = new long[THREADS * 16]; // one counter per thread, 128 bytes apart
        workers = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int index = t;
            workers[t] = new Thread(() -> {
                long n = 0;
                while (!stop) {
                    try {
                        tick(index, n);
                    } catch (Throwable e) {
                        exceptions.incrementAndGet();
                    }
                    n++;
                }
                calls[index * 16] = n;
            }, "caller-" + t);
            workers[t].start();
        }
        return calls;
    }

    /** Stops the callers and joins them (and {@code others}), each join bounded; exits 3 on a thread that hangs. */
    private static double stopWorkers(long start, Thread[] others) throws InterruptedException {
        stop = true;
        double seconds = (System.nanoTime() - start) / 1e9;
        for (Thread thread : workers) {
            thread.join(JOIN_MILLIS);
        }
        for (Thread thread : others) {
            thread.join(JOIN_MILLIS);
        }
        for (Thread thread : workers) {
            if (thread.isAlive()) {
                Driver.say("deadlock: " + thread.getName() + " still running " + JOIN_MILLIS + " ms after stop");
                System.exit(3);
            }
        }
        return seconds;
    }

    private static long sum(long[] calls) {
        long total = 0;
        for (long n : calls) {
            total += n;
        }
        return total;
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }
}
