package com.example.safety;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the log bridge tests make an application log, the same for every framework (each app maps these
 * calls onto its framework's API). The application's configuration logs INFO and above, to the console and
 * to a file. It logs INFO {@code started} of com.acme.App, prints "ready", then takes commands, one a line on
 * standard input:
 * <ul>
 *   <li>{@code burst}: on this thread (named "main"), three DEBUG records {@code order N for ann} (N = 1, 2,
 *       3) of com.acme.Orders, INFO {@code stock 7 left} of com.acme.Stock, INFO {@code orders open: 3} of
 *       com.acme.Orders, ERROR {@code refund r-7 failed} with an IllegalStateException("card expired") of
 *       com.acme.Payments, TRACE {@code trace detail} of com.acme.Orders; then prints "burst done";</li>
 *   <li>{@code parallel N}: 4 threads {@code worker-0} .. {@code worker-3} each log N DEBUG records {@code
 *       item I of worker-K} of com.acme.Parallel; prints "parallel done";</li>
 *   <li>{@code flood}: 4 threads log DEBUG records flat out until {@code stop}, which prints "flood done
 *       TOTAL".</li>
 * </ul>
 * End of input ends the application.
 */
final class LogScript {
    static final int THREADS = 4;

    /** One framework's API for the calls above. */
    interface Framework {
        /** DEBUG {@code pattern} with two parameters (the framework's own placeholder syntax is used). */
        void debug(String logger, int first, String second);

        void info(String logger, String message);

        void error(String logger, String message, Throwable thrown);

        void trace(String logger, String message);
    }

    private LogScript() {
    }

    static void run(Framework log) throws InterruptedException {
        log.info("com.acme.App", "started"); // the framework is loaded (and so bridged) before "ready"
        Driver.say("ready");
        List<Thread> flood = new ArrayList<>();
        AtomicBoolean flooding = new AtomicBoolean();
        AtomicLong flooded = new AtomicLong();
        for (String command; (command = Driver.next()) != null; ) {
            if (command.equals("burst")) {
                for (int i = 1; i <= 3; i++) {
                    log.debug("com.acme.Orders", i, "ann");
                }
                log.info("com.acme.Stock", "stock 7 left");
                log.info("com.acme.Orders", "orders open: 3");
                log.error("com.acme.Payments", "refund r-7 failed", new IllegalStateException("card expired"));
                log.trace("com.acme.Orders", "trace detail");
                Driver.say("burst done");
            } else if (command.startsWith("parallel ")) {
                int records = Integer.parseInt(command.substring("parallel ".length()));
                List<Thread> workers = new ArrayList<>();
                for (int k = 0; k < THREADS; k++) {
                    workers.add(new Thread(() -> {
                        for (int i = 0; i < records; i++) {
                            log.debug("com.acme.Parallel", i, Thread.currentThread().getName());
                        }
                    }, "worker-" + k));
                }
                workers.forEach(Thread::start);
                for (Thread worker : workers) {
                    worker.join();
                }
                Driver.say("parallel done");
            } else if (command.equals("flood")) {
                flooding.set(true);
                for (int k = 0; k < THREADS; k++) {
                    Thread thread = new Thread(() -> {
                        long calls = 0;
                        while (flooding.get()) {
                            log.debug("com.acme.Flood", (int) calls++, "flood");
                        }
                        flooded.addAndGet(calls);
                    }, "flood-" + k);
                    flood.add(thread);
                    thread.start();
                }
                Driver.say("flooding");
            } else if (command.equals("stop")) {
                flooding.set(false);
                for (Thread thread : flood) {
                    thread.join();
                }
                Driver.say("flood done " + flooded.get());
            }
        }
    }
}
