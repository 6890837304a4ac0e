package dev.userevents.agent.install;

import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's side of {@code java -jar userevents-agent.jar status PID}: that command attaches to the JVM
 * with the argument {@code countsTo=FILE}, and the agent already running there writes its probe counters to
 * FILE instead of starting again. A JVM without the agent answers so, and nothing is installed in it.
 */
public final class CountsRequest {
    /** The attach argument's key: {@code countsTo=/path/of/a/file/the/command/reads}. */
    public static final String ARGUMENT = "countsTo";

    private CountsRequest() {
    }

    /**
     * The file a counts request names, or null when {@code agentArgument} is no counts request.
     *
     * @param agentArgument the argument {@code agentmain} received
     * @return the path after {@code countsTo=}, or null
     */
    static String fileOf(String agentArgument) {
        return agentArgument != null && agentArgument.startsWith(ARGUMENT + "=")
            ? agentArgument.substring(ARGUMENT.length() + 1) : null;
    }

    /** Writes the counters (or that no agent runs here) to {@code file}; never throws. */
    static void answer(String file) {
        List<String> lines = new ArrayList<>();
        if (!ProbeRuntime.isInstalled()) {
            lines.add("no userevents agent runs in this JVM");
        } else {
            List<Probe> probes = ProbeRuntime.installedProbes();
            lines.add(FaultReporter.exitLine(probes).replaceFirst("^at exit: ", "totals: "));
            for (Probe probe : probes) {
                lines.add(FaultReporter.counts(probe));
            }
        }
        try {
            Files.write(Paths.get(file), lines, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            // the command reports a missing answer
        }
    }
}
