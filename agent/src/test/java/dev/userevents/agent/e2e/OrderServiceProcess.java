package dev.userevents.agent.e2e;

import dev.userevents.testing.JavaProcess;
import dev.userevents.testing.Jdk;
import dev.userevents.testing.ShippedJars;
import dev.userevents.testing.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The example application running as a separate process under the agent, as a user starts it:
 * {@code java -javaagent:userevents-agent.jar -jar order-service.jar ORDERS PAUSE_MILLIS} (a
 * {@link JavaProcess}), with what the e2e tests ask of it: its events registered, its write calls, its
 * complaints. {@link #close()} always ends it: use try-with-resources or close it in an after-method.
 */
final class OrderServiceProcess implements AutoCloseable {
    /** Under software emulation a JVM with the agent takes 10 to 60 s to load the example's class. */
    static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(180);
    /** The kernel deletes an unused event after its last reference drops, from a work queue. */
    private static final Duration STALE_EVENTS_TIMEOUT = Duration.ofSeconds(30);
    private static final String AGENT_INFO = "[userevents] INFO ";

    private final Jdk jdk;
    private final JavaProcess process;

    private OrderServiceProcess(Jdk jdk, JavaProcess process) {
        this.jdk = jdk;
        this.process = process;
    }

    /**
     * Starts {@code orders} orders, {@code pauseMillis} apart (0: flat out), with extra JVM options (and the
     * JIT as a user has it: not {@link JavaProcess#QUICK_JVM}). First waits until the events of an earlier run
     * are gone, so that {@link #awaitRegistration()} sees this run's registration and not a leftover.
     */
    static OrderServiceProcess start(Jdk jdk, int orders, long pauseMillis, String... jvmOptions) throws IOException {
        Wait.until(STALE_EVENTS_TIMEOUT, () -> "events of an earlier run to be deleted (is another process using them?)",
            () -> {
                for (OrderEvent event : OrderEvent.values()) {
                    if (event.registered()) {
                        return false;
                    }
                }
                return true;
            });
        List<String> options = new ArrayList<>();
        options.add(ShippedJars.javaagent(""));
        options.addAll(List.of(jvmOptions));
        return new OrderServiceProcess(jdk, JavaProcess.start(JavaProcess.javaJar(jdk, options,
            ShippedJars.orderService(), Integer.toString(orders), Long.toString(pauseMillis))));
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until all the example's events are registered (the agent registers them when OrderService loads,
     * just before its first order). Fails early, with the application's output, if it exits first.
     */
    void awaitRegistration() {
        Wait.until(REGISTRATION_TIMEOUT, () -> "the example's events to appear under events/user_events/; " + this,
            () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("the application exited before registering its events; " + this);
                }
                for (OrderEvent event : OrderEvent.values()) {
                    if (!event.registered()) {
                        return false;
                    }
                }
                return true;
            });
    }

    /** Fails with the application's output unless it is still running. */
    void assertRunning() {
        if (!process.isAlive()) {
            throw new AssertionError("the application is no longer running; " + this);
        }
    }

    /** Its exit status, once it exits by itself within {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.awaitExit(timeout);
    }

    /**
     * {@code write()} and {@code pwrite()} calls the process made so far, all threads (syscw of
     * {@code /proc/PID/io}). The example writes nothing but events until its summary line, and the JVM
     * nothing at all, so between two readings this counts the event writes the probes attempted, whether
     * or not the kernel took them.
     */
    long writeCalls() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "io"))) {
                if (line.startsWith("syscw:")) {
                    return Long.parseLong(line.substring("syscw:".length()).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid() + "/io; " + this, e);
        }
        throw new IllegalStateException("no syscw in /proc/" + pid() + "/io");
    }

    String stdout() {
        return process.stdout();
    }

    String stderr() {
        return process.stderr();
    }

    /**
     * Standard error lines other than the agent's INFO lines (its start line): errors, warnings, stack
     * traces, JVM warnings. Empty when all is well.
     */
    List<String> complaints() {
        return stderr().lines().filter(line -> !line.startsWith(AGENT_INFO)).collect(Collectors.toList());
    }

    /** Ends the process (SIGTERM, then SIGKILL). */
    @Override
    public void close() throws InterruptedException {
        process.close();
    }

    @Override
    public String toString() {
        return jdk + " " + process;
    }
}
