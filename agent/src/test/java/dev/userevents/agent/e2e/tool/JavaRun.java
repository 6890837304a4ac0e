package dev.userevents.agent.e2e.tool;

import dev.userevents.testing.Wait;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started as a user would from a shell: the agent's CLI ({@code java -jar userevents-agent.jar ...}) or
 * the example application ({@code java [-javaagent:...] -jar order-service.jar ORDERS PAUSE_MILLIS}). Standard
 * output and error go to files, readable at any time. {@link #close()} always ends it.
 */
final class JavaRun implements AutoCloseable {
    /**
     * C1 only: under emulation a JVM starts and warms up in about half the time, and nothing here measures
     * speed. The serial collector adds no GC threads to a single emulated CPU thread.
     */
    private static final List<String> EMULATION_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final Process process;
    private final Path folder;
    private final List<String> command;

    private JavaRun(Process process, Path folder, List<String> command) {
        this.process = process;
        this.folder = folder;
        this.command = command;
    }

    /** {@code java -jar userevents-agent.jar ARGS...}. */
    static JavaRun cli(Jdks jdk, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        command.addAll(EMULATION_OPTIONS);
        command.add("-jar");
        command.add(ToolJars.agent().toString());
        command.addAll(List.of(args));
        return start(command);
    }

    /** {@code java JVM_OPTIONS... -jar order-service.jar ORDERS PAUSE_MILLIS}. */
    static JavaRun orderService(Jdks jdk, List<String> jvmOptions, int orders, long pauseMillis) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        command.addAll(EMULATION_OPTIONS);
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(ToolJars.orderService().toString());
        command.add(Integer.toString(orders));
        command.add(Long.toString(pauseMillis));
        return start(command);
    }

    /** {@code -javaagent:userevents-agent.jar=OPTIONS}. */
    static String javaagent(String options) {
        return "-javaagent:" + ToolJars.agent() + (options.isEmpty() ? "" : "=" + options);
    }

    private static JavaRun start(List<String> command) throws IOException {
        Path folder = Files.createTempDirectory("e2e-tool-run-");
        Process process = new ProcessBuilder(command)
            .directory(folder.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(folder.resolve("stdout").toFile())
            .redirectError(folder.resolve("stderr").toFile())
            .start();
        return new JavaRun(process, folder, command);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Its exit status, once it exits by itself within {@code timeout}; AssertionError with its output otherwise. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("did not exit within " + timeout.toSeconds() + " s: " + this);
        }
        return process.exitValue();
    }

    /** Waits for a standard error line containing {@code text}; fails early, with the output, if it exits first. */
    void awaitStderr(String text, Duration timeout) throws InterruptedException {
        Wait.until(timeout, () -> "'" + text + "' on standard error of " + this, () -> {
            if (stderr().contains(text)) {
                return true;
            }
            if (!process.isAlive() && !stderr().contains(text)) {
                throw new AssertionError("exited without printing '" + text + "': " + this);
            }
            return false;
        });
    }

    String stdout() {
        return read("stdout");
    }

    String stderr() {
        return read("stderr");
    }

    List<String> stdoutLines() {
        return stdout().lines().toList();
    }

    List<String> stderrLines() {
        return stderr().lines().toList();
    }

    /** SIGTERM, then SIGKILL. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public String toString() {
        return "pid " + process.pid() + (process.isAlive() ? " running" : " exited with " + process.exitValue())
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
        return trimmed.length() <= 3000 ? trimmed : "..." + trimmed.substring(trimmed.length() - 3000);
    }
}
