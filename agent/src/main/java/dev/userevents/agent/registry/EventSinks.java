package dev.userevents.agent.registry;

import dev.userevents.agent.config.AgentOptions.Sink;
import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.shim.ForeignWrite;
import dev.userevents.shim.hotpath.ChannelEventSink;
import dev.userevents.shim.hotpath.DowncallEventSink;
import dev.userevents.shim.hotpath.EventSink;
import dev.userevents.shim.hotpath.JdkPwriteEventSink;

/**
 * Picks the write() path for a descriptor: the one asked for, else the next fastest this JDK allows, in the
 * order {@code downcall, pwrite, channel, jna}. JNA always works and is also every other sink's errno source.
 * Measured in benchmarks/RESULTS.md (SinkBenchmark).
 */
final class EventSinks {
    private static final Sink[] FASTEST_FIRST = {Sink.DOWNCALL, Sink.PWRITE, Sink.CHANNEL, Sink.JNA};

    private EventSinks() {
    }

    /** A sink writing to {@code fd}; {@code jna} writes to the same descriptor through JNA. */
    static EventSink open(Sink wanted, int fd, EventSink jna) {
        boolean asked = wanted != Sink.AUTO;
        int start = asked ? indexOf(wanted) : 0;
        for (int i = start; i < FASTEST_FIRST.length; i++) {
            Sink candidate = FASTEST_FIRST[i];
            EventSink sink = make(candidate, fd, jna);
            if (sink != null) {
                return sink;
            }
            if (asked && i == start) {
                AgentLog.warn("sink=" + name(wanted) + " is not available on this JDK (" + unavailableReason(candidate)
                    + "); writing through the next fastest instead. Fix: use sink=auto");
            }
        }
        return jna;
    }

    private static EventSink make(Sink sink, int fd, EventSink jna) {
        switch (sink) {
            case DOWNCALL:
                try {
                    return DowncallEventSink.wrap(ForeignWrite.linkWrite(true), fd, jna);
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    AgentLog.debug("no downcall sink: " + e);
                    return null;
                }
            case PWRITE:
                return JdkPwriteEventSink.wrap(fd, jna);
            case CHANNEL:
                return ChannelEventSink.wrap(fd, jna);
            default:
                return jna;
        }
    }

    private static String unavailableReason(Sink sink) {
        switch (sink) {
            case DOWNCALL:
                return Runtime.version().feature() < 22 ? "needs JDK 22 or later" : "the JDK refused the downcall";
            case PWRITE:
                return "the JDK's pwrite stub was not found or not accessible";
            default:
                return "the JDK refused a FileChannel on the descriptor";
        }
    }

    private static int indexOf(Sink sink) {
        for (int i = 0; i < FASTEST_FIRST.length; i++) {
            if (FASTEST_FIRST[i] == sink) {
                return i;
            }
        }
        return FASTEST_FIRST.length - 1;
    }

    private static String name(Sink sink) {
        return sink.name().toLowerCase(java.util.Locale.ROOT);
    }
}
