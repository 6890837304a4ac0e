package dev.userevents.agent.logs;

import dev.userevents.agent.runtime.LogEvents;
import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeRuntime;
import java.util.List;

/**
 * The log events are one set per JVM ({@link LogEvents#install}): a test that registers its own keeps the ones
 * installed before ({@link #save}) and puts them back after ({@link #restore}).
 */
final class InstalledLogEvents {
    private InstalledLogEvents() {
    }

    /** {@return the log bridge's probes installed now} */
    static List<Probe> save() {
        return ProbeRuntime.installedProbes().stream().filter(probe -> probe.methodName().equals("log bridge")).toList();
    }

    /**
     * Installs each saved probe again as its level's event.
     *
     * @param saved what {@link #save} returned
     */
    static void restore(List<Probe> saved) {
        for (Probe probe : saved) {
            for (int level = LogEvents.ERROR; level <= LogEvents.TRACE; level++) {
                if (probe.eventName().endsWith(LogEvents.eventName(level))) {
                    LogEvents.install(level, probe);
                }
            }
        }
    }
}
