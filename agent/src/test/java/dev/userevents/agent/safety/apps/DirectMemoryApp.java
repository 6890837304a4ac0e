package com.example.safety;

import dev.userevents.Tracepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * 32 threads inside one traced method at the same time, each holding an event buffer while an argument's
 * {@code toString()} sleeps 50 ms, in a JVM run with {@code -XX:MaxDirectMemorySize=96k}: more buffers than
 * direct memory allows. Prints how many calls threw (the traced method itself never throws): with the
 * agent it must print exactly what it prints without.
 * <pre>java -XX:MaxDirectMemorySize=96k -javaagent:... com.example.safety.DirectMemoryApp</pre>
 */
public final class DirectMemoryApp {
    static final int THREADS = 32;
    static final int ROUNDS = 3;

    /** An argument that takes its time to print: the event's buffer is held meanwhile. */
    static final class Slow {
        private final int id;

        Slow(int id) {
            this.id = id;
        }

        @Override
        public String toString() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "slow-" + id;
        }
    }

    @Tracepoint(name = "fault_direct")
    static int handle(int id, Object slow) {
        return id;
    }

    public static void main(String[] args) throws InterruptedException {
        Driver.say("ready");
        Driver.await("go");
        List<String> thrown = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = round * THREADS + t;
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                        handle(id, new Slow(id));
                    } catch (Throwable e) {
                        synchronized (thrown) {
                            thrown.add(e.toString());
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
        }
        Driver.say("calls: " + THREADS * ROUNDS + ", threw: " + thrown.size() + " " + thrown);
        Driver.say("done");
        Driver.awaitEnd();
    }
}
