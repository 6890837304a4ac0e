package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.fail;

import dev.userevents.testing.Wait;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An application run in a JVM of its own, driven line by line: the test waits for a line on its standard
 * output ({@code ready}), sends a command on its standard input ({@code go}), and closes that input to let it
 * exit. Every wait is bounded; a process still alive when the test ends is killed.
 */
final class AppProcess implements AutoCloseable {
    private static final String AGENT_PREFIX = "[userevents] ";

    private final String label;
    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final long startNanos = System.nanoTime();

    private AppProcess(String label, Process process) {
        this.label = label;
        this.process = process;
        reader(process.getInputStream(), stdout, "stdout");
        reader(process.getErrorStream(), stderr, "stderr");
    }

    static AppProcess start(String label, List<String> command) {
        try {
            return new AppProcess(label, new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + label + ": " + command, e);
        }
    }

    private void reader(InputStream stream, List<String> lines, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (this) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // the process is gone; what it printed is kept
            }
        }, label + "-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Waits for a standard output line that {@code matches}; fails with the transcript after {@code timeout}, or
     * half a second after the process exited (its reader threads still deliver its last lines).
     */
    String awaitLine(Predicate<String> matches, String what, Duration timeout) {
        int[] seen = {0};
        long[] exitSeenAt = {0};
        return Wait.forValue(timeout, () -> label + ": a line " + what + transcript(), () -> {
            synchronized (this) {
                for (; seen[0] < stdout.size(); seen[0]++) {
                    if (matches.test(stdout.get(seen[0]))) {
                        return Optional.of(stdout.get(seen[0]));
                    }
                }
            }
            if (!process.isAlive()) {
                if (exitSeenAt[0] == 0) {
                    exitSeenAt[0] = System.nanoTime();
                } else if (System.nanoTime() - exitSeenAt[0] > 500_000_000L) {
                    fail(label + ": no line " + what + "; it exited with status " + process.exitValue() + transcript());
                }
            }
            return Optional.empty();
        });
    }

    /** Waits for the line {@code exact}. */
    String awaitLine(String exact, Duration timeout) throws InterruptedException {
        return awaitLine(exact::equals, "'" + exact + "'", timeout);
    }

    /** Waits for a line starting with {@code prefix}; returns what follows it. */
    String awaitValue(String prefix, Duration timeout) throws InterruptedException {
        return awaitLine(line -> line.startsWith(prefix), "starting '" + prefix + "'", timeout).substring(prefix.length());
    }

    void send(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            fail(label + ": cannot send '" + line + "': " + e + transcript());
        }
    }

    /** End of input: the application leaves its wait loop and exits. */
    void closeInput() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Closes the input and waits for the exit status; kills the process and fails after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        closeInput();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail(label + ": still running " + timeout.toSeconds() + " s after its input closed (deadlock?)" + transcript());
        }
        Thread.sleep(100); // the reader threads deliver the last lines
        synchronized (this) {
            return process.exitValue();
        }
    }

    long pid() {
        return process.pid();
    }

    double secondsSinceStart() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    synchronized List<String> stdout() {
        return new ArrayList<>(stdout);
    }

    synchronized List<String> stderr() {
        return new ArrayList<>(stderr);
    }

    /** The agent's log lines, {@code [userevents] LEVEL message}. */
    List<String> agentLines() {
        List<String> lines = new ArrayList<>();
        for (String line : stderr()) {
            if (line.startsWith(AGENT_PREFIX)) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The agent's ERROR and WARN lines: the ones that tell a user something is wrong. */
    List<String> agentComplaints() {
        List<String> lines = new ArrayList<>();
        for (String line : agentLines()) {
            if (line.startsWith(AGENT_PREFIX + "ERROR ") || line.startsWith(AGENT_PREFIX + "WARN ")) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** Standard error without the agent's lines: what the application and the JVM printed. */
    List<String> stderrWithoutAgent() {
        List<String> lines = stderr();
        lines.removeIf(line -> line.startsWith(AGENT_PREFIX));
        return lines;
    }

    synchronized String transcript() {
        return "\n--- " + label + " stdout:\n" + String.join("\n", stdout) + "\n--- " + label + " stderr:\n"
            + String.join("\n", stderr);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
