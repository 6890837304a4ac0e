package dev.userevents.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started as a user would from a shell, with the shipped jars ({@link ShippedJars}): the agent's CLI
 * ({@code java -jar userevents-agent.jar ...}) or the example application ({@code java [-javaagent:...] -jar
 * order-service.jar ORDERS PAUSE_MILLIS}). Standard input is /dev/null; standard output and error go to files,
 * readable at any time. {@link #close()} always ends it: use try-with-resources or close it in an after-method.
 * (An application driven line by line over its standard input is safety's AppProcess.)
 */
public final class JavaProcess implements AutoCloseable {
    /**
     * C1 only: under emulation a JVM starts and warms up in about half the time, for tests that do not
     * measure speed. The serial collector adds no GC threads to a single emulated CPU thread.
     */
    public static final List<String> QUICK_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final Process process;
    private final Path folder;
    private final List<String> command;

    private JavaProcess(Process process, Path folder, List<String> command) {
        this.process = process;
        this.folder = folder;
        this.command = command;
    }

    /**
     * {@code java QUICK_JVM... -jar userevents-agent.jar ARGS...}.
     *
     * @param jdk the JDK to run it on
     * @param args the CLI's arguments, e.g. {@code attach PID}
     * @return the started process
     * @throws IOException if the folder for its output cannot be made or the process cannot start
     * @throws IllegalStateException if the JDK or the jar is missing
     */
    public static JavaProcess agentCli(Jdk jdk, String... args) throws IOException {
        return start(javaJar(jdk, QUICK_JVM, ShippedJars.agent(), args));
    }

    /**
     * {@code java QUICK_JVM... JVM_OPTIONS... -jar order-service.jar ORDERS PAUSE_MILLIS}.
     *
     * @param jdk the JDK to run it on
     * @param jvmOptions options after {@link #QUICK_JVM}, e.g. a {@code -javaagent:}
     * @param orders how many orders the example handles before it exits
     * @param pauseMillis the pause after each order, in ms (0: none)
     * @return the started process
     * @throws IOException if the folder for its output cannot be made or the process cannot start
     * @throws IllegalStateException if the JDK or the jar is missing
     */
    public static JavaProcess quickOrderService(Jdk jdk, List<String> jvmOptions, int orders, long pauseMillis)
            throws IOException {
        List<String> options = new ArrayList<>(QUICK_JVM);
        options.addAll(jvmOptions);
        return start(javaJar(jdk, options, ShippedJars.orderService(), Integer.toString(orders),
            Long.toString(pauseMillis)));
    }

    /**
     * {@code java JVM_OPTIONS... -jar JAR ARGS...}.
     *
     * @param jdk the JDK whose {@code java} runs it
     * @param jvmOptions options before {@code -jar}
     * @param jar the jar to run
     * @param args the application's arguments
     * @return the command line, a new mutable list, for {@link #start}
     * @throws IllegalStateException if {@code jdk} is not installed
     */
    public static List<String> javaJar(Jdk jdk, List<String> jvmOptions, Path jar, String... args) {
        List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Starts {@code command} in a fresh temporary folder, which also holds its output files.
     *
     * @param command the program and its arguments
     * @return the started process
     * @throws IOException if the folder cannot be made or the process cannot start
     */
    public static JavaProcess start(List<String> command) throws IOException {
        Path folder = Files.createTempDirectory("java-process-");
        Process process = new ProcessBuilder(command)
            .directory(folder.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(folder.resolve("stdout").toFile())
            .redirectError(folder.resolve("stderr").toFile())
            .start();
        return new JavaProcess(process, folder, List.copyOf(command));
    }

    /** {@return the process's id} */
    public long pid() {
        return process.pid();
    }

    /** {@return whether the process is still running} */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Fails with the process's output unless it is still running. */
    public void assertRunning() {
        if (!process.isAlive()) {
            throw new AssertionError("no longer running: " + this);
        }
    }

    /**
     * Its exit status, once it exits by itself within {@code timeout}; AssertionError with its output otherwise.
     *
     * @param timeout how long to wait for the exit
     * @return the exit status
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("did not exit within " + timeout.toSeconds() + " s: " + this);
        }
        return process.exitValue();
    }

    /**
     * Waits for a standard error line containing {@code text}; fails early, with the output, if it exits first.
     *
     * @param text what the line contains
     * @param timeout how long to wait for it; AssertionError with the output after that
     */
    public void awaitStderr(String text, Duration timeout) {
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

    /** {@return its standard output so far, decoded as UTF-8; a note in its place if the file cannot be read} */
    public String stdout() {
        return read("stdout");
    }

    /** {@return its standard error so far, decoded as UTF-8; a note in its place if the file cannot be read} */
    public String stderr() {
        return read("stderr");
    }

    /** {@return {@link #stdout()} split into lines} */
    public List<String> stdoutLines() {
        return stdout().lines().toList();
    }

    /** {@return {@link #stderr()} split into lines} */
    public List<String> stderrLines() {
        return stderr().lines().toList();
    }

    /** SIGTERM, then SIGKILL. Its output stays readable (a temporary folder, gone with the guest). */
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
        return trimmed.length() <= 4000 ? trimmed : "..." + trimmed.substring(trimmed.length() - 4000);
    }
}
