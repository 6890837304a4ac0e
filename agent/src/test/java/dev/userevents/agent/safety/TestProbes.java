package dev.userevents.agent.safety;

import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.shim.EnableWordArena;
import dev.userevents.shim.EnableWordStores;
import dev.userevents.shim.hotpath.EventSink;
import java.nio.ByteBuffer;

/**
 * Probes published in {@link ProbeRuntime}'s table as the agent's registrar would, for encoding without
 * weaving. Ids come from the JVM-wide counter the registrar uses, so no other probe is replaced.
 */
final class TestProbes {
    private static final EnableWordArena WORDS = new EnableWordArena();

    private TestProbes() {
    }

    /** An enabled probe (its word reads 1) for events of {@code call}'s shape, writing to {@code sink}. */
    static Probe install(WovenCall call, int writeIndex, EventSink sink) {
        return install(call.fixedSize(), call.stringFields(), writeIndex, enabledWord(), sink);
    }

    static Probe install(int fixedSize, int stringFields, int writeIndex, long enableWord, EventSink sink) {
        int id = ProbeRuntime.nextProbeId();
        Probe probe = new Probe(id, "safety_" + id, "Safety.call" + id, writeIndex, enableWord, fixedSize, stringFields,
            sink);
        ProbeRuntime.install(probe);
        return probe;
    }

    static long enabledWord() {
        long address = WORDS.allocate(4, 0).address();
        EnableWordStores.storeInt(address, 1);
        return address;
    }

    /** Keeps a copy of the last event written, as the kernel would receive it, and answers with its length. */
    static final class LastEvent implements EventSink {
        private byte[] last;
        private int writes;

        @Override
        public synchronized long write(ByteBuffer buffer, long address, int length) {
            last = new byte[length];
            buffer.get(0, last, 0, length);
            writes++;
            return length;
        }

        @Override
        public String name() {
            return "last-event";
        }

        synchronized byte[] takeLast() {
            byte[] event = last;
            last = null;
            return event;
        }

        synchronized int writes() {
            return writes;
        }
    }
}
