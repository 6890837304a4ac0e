package dev.userevents.agent.install;

import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.agent.runtime.DropReason;
import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeRuntime;
import java.util.List;

/**
 * Reports transient faults from a thread of the agent's own, never from the application's: a thread that
 * just overflowed its stack or ran out of memory is the worst place to format a log line. Once a second it
 * looks whether any probe counted a drop ({@link ProbeRuntime#takeDropsToReport()}, one volatile read) and
 * logs one WARN line per probe and {@link DropReason} the first time that reason drops an event of that
 * probe. At JVM exit it logs the counts ({@link #exitLine}).
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
        String line = exitLine(probes);
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
                AgentLog.debug(counts(probe));
            }
        }
    }

    /**
     * One line with the totals: {@code "at exit: 60 event(s) written, 2 found no tracer, 3 dropped
     * (stack overflow 3); 0 probe(s) switched off"}.
     */
    static String exitLine(List<Probe> probes) {
        long written = 0;
        long raced = 0;
        long[] dropped = new long[DropReason.values().length];
        long droppedTotal = 0;
        int off = 0;
        for (Probe probe : probes) {
            written += probe.written();
            raced += probe.raced();
            for (DropReason reason : DropReason.values()) {
                dropped[reason.ordinal()] += probe.dropped(reason);
            }
            droppedTotal += probe.dropped();
            off += probe.isOff() ? 1 : 0;
        }
        return "at exit: " + written + " event(s) written, " + raced + " found no tracer, " + droppedTotal
            + " dropped" + reasons(dropped) + "; " + off + " of " + probes.size() + " probe(s) switched off";
    }

    /** {@code "probe NAME: 5 written, 0 found no tracer, 1 dropped (stack overflow 1)"}. */
    static String counts(Probe probe) {
        long[] dropped = new long[DropReason.values().length];
        for (DropReason reason : DropReason.values()) {
            dropped[reason.ordinal()] = probe.dropped(reason);
        }
        return "probe " + probe.eventName() + ": " + probe.written() + " written, " + probe.raced()
            + " found no tracer, " + probe.dropped() + " dropped" + reasons(dropped)
            + (probe.isOff() ? ", switched off" : "");
    }

    private static String reasons(long[] dropped) {
        StringBuilder text = new StringBuilder();
        for (DropReason reason : DropReason.values()) {
            if (dropped[reason.ordinal()] > 0) {
                text.append(text.length() == 0 ? " (" : ", ")
                    .append(reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
                    .append(' ').append(dropped[reason.ordinal()]);
            }
        }
        return text.length() == 0 ? "" : text.append(')').toString();
    }
}
