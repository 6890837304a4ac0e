package dev.userevents.agent.install;

import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.agent.runtime.DropReason;
import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeCounts;
import dev.userevents.agent.runtime.ProbeRuntime;
import java.util.List;

/**
 * Reports transient faults from a thread of the agent's own, never from the application's: a thread that
 * just overflowed its stack or ran out of memory is the worst place to format a log line. Once a second it
 * looks whether any probe counted a drop ({@link ProbeRuntime#takeDropsToReport()}, one volatile read) and
 * logs one WARN line per probe and {@link DropReason} the first time that reason drops an event of that
 * probe. At JVM exit it logs the counts ({@link ProbeCounts}).
 */
final class FaultReporter implements Runnable {
    private static final long PERIOD_MILLIS = 1_000;

    private FaultReporter() {
    }

    /** Starts the reporter thread (a daemon: it never keeps the JVM alive). */
    static void start() {
        Thread thread = new Thread(new FaultReporter(), "userevents-fault-reporter");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        while (true) {
            try {
                Thread.sleep(PERIOD_MILLIS);
                reportNewDrops();
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) {
                // a failed report must not end the reporting
            }
        }
    }

    static void reportNewDrops() {
        if (!ProbeRuntime.takeDropsToReport()) {
            return;
        }
        for (Probe probe : ProbeRuntime.installedProbes()) {
            probe.reportFailure(); // logged here when the failing thread could not
            for (DropReason reason : probe.takeUnreportedDropReasons()) {
                AgentLog.warn("probe " + probe.eventName() + " (" + probe.methodName() + ") dropped "
                    + probe.dropped(reason) + " event(s): " + reason.cause() + "; " + reason.fix()
                    + ". The probe stays on; later drops are counted, not logged (see the counts at exit).");
            }
        }
    }

    /**
     * The counts over every probe, for the log at JVM exit: WARN when an event was dropped or a probe was
     * switched off, else DEBUG (with one line per probe).
     */
    static void logAtExit() {
        reportNewDrops();
        List<Probe> probes = ProbeRuntime.installedProbes();
        String line = "at exit: " + ProbeCounts.totals(probes);
        boolean faults = false;
        for (Probe probe : probes) {
            faults |= probe.dropped() > 0 || probe.isOff();
        }
        if (faults) {
            AgentLog.warn(line);
        } else {
            AgentLog.debug(line);
        }
        if (AgentLog.enabled(AgentLog.DEBUG)) {
            for (Probe probe : probes) {
                AgentLog.debug(ProbeCounts.of(probe));
            }
        }
    }
}
