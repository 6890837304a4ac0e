package dev.userevents.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code status PID}: the counters of the agent running in another JVM, read through the Attach API. The
 * agent there writes them to a file this command names ({@code countsTo=FILE}, see the agent's
 * {@code CountsRequest}) and installs nothing; this command prints the file.
 */
final class ProbeCountsCommand {
    /** How the agent's answer starts when the JVM runs no agent ({@code ProbeCounts.write}). */
    static final String NO_AGENT = "no userevents agent";

    private final String pid;
    private final PrintStream out;

    private ProbeCountsCommand(String pid, PrintStream out) {
        this.pid = pid;
        this.out = out;
    }

    static ProbeCountsCommand parse(String[] args, PrintStream out) throws Cli.UsageException {
        if (args.length != 1 || !args[0].matches("[0-9]+")) {
            throw new Cli.UsageException("usage: status [PID]");
        }
        return new ProbeCountsCommand(args[0], out);
    }

    int run() throws Cli.CommandFailedException {
        List<String> lines = fetch(pid, out);
        out.println("JVM " + pid + ":");
        for (String line : lines) {
            out.println("  " + line);
        }
        return lines.get(0).startsWith(NO_AGENT) ? 1 : 0;
    }

    /**
     * Asks the agent in JVM {@code pid} for its counters (Attach API, {@code countsTo=FILE}).
     *
     * @return its lines: {@code "totals: ..."} then {@code "probe NAME: ..."} each, or one line starting
     *     {@link #NO_AGENT}; never empty
     * @throws Cli.CommandFailedException if the JVM cannot be attached to or wrote nothing
     */
    static List<String> fetch(String pid, PrintStream out) throws Cli.CommandFailedException {
        Path answer;
        try {
            answer = Files.createTempFile("userevents-counts-" + pid + "-", ".txt");
            answer.toFile().setWritable(true, false); // the target JVM may run as another user
        } catch (IOException e) {
            throw new Cli.CommandFailedException("status: cannot create a temporary file: " + e.getMessage());
        }
        try {
            AttachCommand.parse(new String[] {pid, "countsTo=" + answer}, out).load();
            List<String> lines = Files.readAllLines(answer, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                throw new Cli.CommandFailedException("status: JVM " + pid + " did not write its counters (an agent"
                    + " older than this command?)");
            }
            return lines;
        } catch (Cli.UsageException e) {
            throw new IllegalStateException(e); // the arguments were checked above
        } catch (IOException e) {
            throw new Cli.CommandFailedException("status: cannot read the counters of JVM " + pid + ": " + e.getMessage());
        } finally {
            answer.toFile().delete();
        }
    }
}
