package dev.userevents.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code attach PID [options]}: loads this jar as an agent into a running JVM with the Attach API; the
 * agent then retransforms the classes already loaded. The target must run as the same user (or we as root).
 * JDK 21+ targets print a warning about dynamically loaded agents unless started with
 * {@code -XX:+EnableDynamicAgentLoading}.
 *
 * <p>On Linux the Attach API wakes the target with SIGQUIT. A JVM catches SIGQUIT once its signal handlers
 * are installed, early in start-up; before that the signal's default action kills it (unless the shell that
 * started it in the background left SIGQUIT ignored). JDK 17's attach client sends it without looking, JDK
 * 25's checks {@code SigCgt} first. So we wait until the target catches SIGQUIT, and never signal a process
 * that does not.
 *
 * <p>The exchange (this JVM's start, the target's attach listener, the agent's start inside the target)
 * takes about a second on a machine and 20 to 50 s in the project's emulated guest. A target that exits
 * meanwhile makes the Attach API fail with "No such process" (JDK 17's client signals it again after half
 * of its 10 s timeout) or "Premature EOF" (it exited while the agent was loading): reported as the exit it is.
 */
final class AttachCommand {
    /** How long a target may take to install its signal handlers (a JVM still starting, slowly emulated). */
    private static final long READY_TIMEOUT_MILLIS = 60_000;
    private static final long POLL_MILLIS = 50;
    /** Bit of SIGQUIT (3) in the {@code SigCgt}/{@code SigIgn} masks of /proc/PID/status. */
    private static final long SIGQUIT_BIT = 1L << (3 - 1);

    private final String pid;
    private final @Nullable String options;
    private final PrintStream out;

    private AttachCommand(String pid, @Nullable String options, PrintStream out) {
        this.pid = pid;
        this.options = options;
        this.out = out;
    }

    static AttachCommand parse(String[] args, PrintStream out) throws Cli.UsageException {
        if (args.length < 1 || args.length > 2 || !args[0].matches("[0-9]+")) {
            throw new Cli.UsageException("usage: attach PID [key=value,...]");
        }
        return new AttachCommand(args[0], args.length > 1 ? args[1] : null, out);
    }

    int run() throws Cli.CommandFailedException {
        File jar = load();
        out.println("agent loaded into JVM " + pid + " from " + jar + (options == null ? "" : " with " + options)
            + "; its log lines appear on that JVM's standard error");
        return 0;
    }

    /** Loads the agent jar into the target with the options; returns the jar. */
    File load() throws Cli.CommandFailedException {
        File jar = agentJar();
        awaitReadyForAttach();
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(jar.getAbsolutePath(), options);
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException e) {
            throw new Cli.CommandFailedException(exitedMeanwhile(e).orElse("attach: cannot attach to JVM " + pid + ": "
                + e.getMessage() + " (is it a running JVM of the same user? started with -XX:+DisableAttachMechanism?)"));
        } catch (AgentLoadException | AgentInitializationException e) {
            throw new Cli.CommandFailedException(exitedMeanwhile(e).orElse("attach: JVM " + pid + " refused the agent: "
                + e.getMessage() + " (its standard error may say more)"));
        } catch (IOException e) {
            throw new Cli.CommandFailedException(exitedMeanwhile(e).orElse("attach: talking to JVM " + pid + " failed: "
                + e.getMessage()));
        } catch (IllegalAccessError | NoClassDefFoundError e) {
            throw new Cli.CommandFailedException("attach: this Java runtime has no Attach API (module jdk.attach): "
                + "run the command with a full JDK");
        }
        return jar;
    }

    /**
     * Returns once the target catches SIGQUIT (its attach handshake works) or already listens for attach
     * requests; fails if it does not exist, exits while we wait, or never starts catching SIGQUIT. A JVM
     * started in the background by a non-interactive shell inherits SIGQUIT ignored until it installs its
     * handler, so an ignored SIGQUIT is waited out like a missing handler.
     */
    private void awaitReadyForAttach() throws Cli.CommandFailedException {
        long deadline = System.nanoTime() + READY_TIMEOUT_MILLIS * 1_000_000;
        boolean waited = false;
        while (true) {
            List<String> status = isRunning() ? readStatus() : null;
            if (status == null) {
                throw new Cli.CommandFailedException(waited
                    ? "attach: process " + pid + " exited while starting up, before it could be attached"
                    : "attach: no process " + pid + " (has it exited already?)");
            }
            if ((signalMask(status, "SigCgt:") & SIGQUIT_BIT) != 0 || Files.exists(listenerSocket(status))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new Cli.CommandFailedException("attach: process " + pid + " has not installed a SIGQUIT handler "
                    + "after " + READY_TIMEOUT_MILLIS / 1000 + " s" + ((signalMask(status, "SigIgn:") & SIGQUIT_BIT) != 0
                    ? " (it ignores SIGQUIT)" : "") + ": not a JVM, or one started with -Xrs; it was not signalled (SIGQUIT "
                    + "kills a process that does not handle it). A JVM with -Xrs can be attached to when started with "
                    + "-XX:+StartAttachListener; or use -javaagent");
            }
            if (!waited) {
                out.println("waiting for process " + pid + " to finish starting up (no SIGQUIT handler yet)");
                waited = true;
            }
            sleep(POLL_MILLIS);
        }
    }

    /** The lines of /proc/PID/status, null once the process is gone. */
    private @Nullable List<String> readStatus() {
        try {
            return Files.readAllLines(Path.of("/proc", pid, "status"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** A mask line of /proc/PID/status ({@code SigCgt:\t0000000101005ccd}), 0 if absent. */
    private static long signalMask(List<String> status, String key) {
        for (String line : status) {
            if (line.startsWith(key)) {
                try {
                    return Long.parseUnsignedLong(line.substring(key.length()).trim(), 16);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /** A running attach listener's socket: {@code /tmp/.java_pid<pid in its namespace>}, seen from its root. */
    private Path listenerSocket(List<String> status) {
        String namespacePid = pid;
        for (String line : status) {
            if (line.startsWith("NSpid:")) {
                String[] pids = line.substring("NSpid:".length()).trim().split("\\s+", -1);
                namespacePid = pids[pids.length - 1];
            }
        }
        return Path.of("/proc", pid, "root", "tmp", ".java_pid" + namespacePid);
    }

    /**
     * The message for a failure caused by the target exiting during the attach, if it did: the Attach API
     * reports that as an errno ("No such process") or a short read ("Premature EOF"). A JVM that is exiting
     * may linger for a moment, so this waits up to two seconds for it to go.
     */
    private Optional<String> exitedMeanwhile(Exception cause) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (isRunning()) {
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            sleep(POLL_MILLIS);
        }
        return Optional.of("attach: JVM " + pid + " exited during the attach, before the agent had finished starting in it ("
            + cause.getMessage() + "); attach to a JVM that keeps running");
    }

    /** The target exists and is not a zombie ({@code State:} of /proc/PID/status, see proc(5)). */
    private boolean isRunning() {
        List<String> status = readStatus();
        if (status == null) {
            return false;
        }
        for (String line : status) {
            if (line.startsWith("State:")) {
                String state = line.substring("State:".length()).trim();
                return !state.startsWith("Z") && !state.startsWith("X");
            }
        }
        return true;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static File agentJar() throws Cli.CommandFailedException {
        String path = System.getProperty("userevents.agent.jar");
        if (path != null) {
            return new File(path);
        }
        throw new Cli.CommandFailedException("attach: cannot tell where userevents-agent.jar is; run it as "
            + "java -jar userevents-agent.jar attach PID");
    }
}
