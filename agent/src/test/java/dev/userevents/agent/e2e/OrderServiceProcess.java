package dev.userevents.agent.e2e;

import dev.userevents.testing.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The example application running as a separate process under the agent, as a user starts it:
 * {@code java -javaagent:userevents-agent.jar -jar order-service.jar ORDERS PAUSE_MILLIS}. Its standard
 * output and error go to files, read at any time. {@link #close()} always ends it: use try-with-resources
 * or close it in an after-method.
 */
final class OrderServiceProcess implements AutoCloseable {
    /** Under software emulation a JVM with the agent takes 10 to 60 s to load the example's class. */
    static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(180);
    /** The kernel deletes an unused event after its last reference drops, from a work queue. */
    private static final Duration STALE_EVENTS_TIMEOUT = Duration.ofSeconds(30);
    private static final String AGENT_INFO = "[userevents] INFO ";

    private final Jdk jdk;
    private final Process process;
    private final Path folder;
    private final List<String> command;

    private OrderServiceProcess(Jdk jdk, Process process, Path folder, List<String> command) {
        this.jdk = jdk;
        this.process = process;
        this.folder = folder;
        this.command = command;
    }

    /**
     * Starts {@code orders} orders, {@code pauseMillis} apart (0: flat out), with extra JVM options. First
     * waits until the events of an earlier run are gone, so that {@link #awaitRegistration()} sees this
     * run's registration and not a leftover.
     */
    static OrderServiceProcess start(Jdk jdk, int orders, long pauseMillis, String... jvmOptions)
            throws IOException, InterruptedException {
        Wait.until(STALE_EVENTS_TIMEOUT, () -> "events of an earlier run to be deleted (is another process using them?)",
            () -> {
                for (OrderEvent event : OrderEvent.values()) {
                    if (event.registered()) {
                        return false;
                    }
                }
                return true;
            });
        List<String> command = new ArrayList<>();
        command.add(jdk.requireInstalled().java().toString());
        command.add("-javaagent:" + ShippedJars.agent());
        command.addAll(List.of(jvmOptions));
        command.add("-jar");
        command.add(ShippedJars.orderService().toString());
        command.add(Integer.toString(orders));
        command.add(Long.toString(pauseMillis));
        Path folder = Files.createTempDirectory("order-service-");
        Process process = new ProcessBuilder(command)
            .directory(folder.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(folder.resolve("stdout").toFile())
            .redirectError(folder.resolve("stderr").toFile())
            .start();
        return new OrderServiceProcess(jdk, process, folder, command);
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
    void awaitRegistration() throws InterruptedException {
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
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the application did not finish within " + timeout.toSeconds() + " s; " + this);
        }
        return process.exitValue();
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
        return read("stdout");
    }

    String stderr() {
        return read("stderr");
    }

    /**
     * Standard error lines other than the agent's INFO lines (its start line): errors, warnings, stack
     * traces, JVM warnings. Empty when all is well.
     */
    List<String> complaints() {
        return stderr().lines().filter(line -> !line.startsWith(AGENT_INFO)).collect(Collectors.toList());
    }

    /** Ends the process (SIGTERM, then SIGKILL) and deletes its output files. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder in the guest's overlay: gone at power-off anyway
        }
    }

    @Override
    public String toString() {
        return jdk + " pid " + pid() + (process.isAlive() ? " running" : " exited with " + process.exitValue())
            + "\n  command: " + String.join(" ", command)
            + "\n  stdout: " + tail(stdout()) + "\n  stderr: " + tail(stderr());
    }

    private String read(String name) {
        try {
            return new String(Files.readAllBytes(folder.resolve(name)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + name + ": " + e + ")";
        }
    }

    private static String tail(String text) {
        String trimmed = text.strip();
        return trimmed.length() <= 4000 ? trimmed : "..." + trimmed.substring(trimmed.length() - 4000);
    }
}
