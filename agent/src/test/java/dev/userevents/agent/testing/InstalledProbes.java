package dev.userevents.agent.testing;

import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeRuntime;

/**
 * Probes published in {@link ProbeRuntime}'s table as the registrar would, each with its own enable word.
 * Ids come from the same JVM-wide counter the registrar uses, so hand-made probes never replace a woven
 * method's probe in the shared table.
 */
public final class InstalledProbes {


    private InstalledProbes() {
    }

    /** An enabled probe whose events have {@code fixedSize} bytes of fixed fields and {@code stringFields} strings. */
    public static Probe enabled(int fixedSize, int stringFields, CapturingSink sink) {
        return install(EnableWords.allocateEnabled(), fixedSize, stringFields, sink);
    }

    public static Probe install(long enableWord, int fixedSize, int stringFields, CapturingSink sink) {
        int id = ProbeRuntime.nextProbeId();
        // The write index is what the kernel hands back at registration; any distinct number will do here.
        Probe probe = new Probe(id, "test_event_" + id, "TestClass.method" + id, 70_000 + id, enableWord,
            fixedSize, stringFields, sink);
        ProbeRuntime.install(probe);
        return probe;
    }
}
