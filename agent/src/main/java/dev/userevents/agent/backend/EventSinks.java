package dev.userevents.agent.backend;

import dev.userevents.agent.config.AgentOptions.Sink;
import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.shim.ForeignWrite;
import dev.userevents.shim.hotpath.ChannelEventSink;
import dev.userevents.shim.hotpath.DowncallEventSink;
import dev.userevents.shim.hotpath.EventSink;
import dev.userevents.shim.hotpath.JdkPwriteEventSink;
import dev.userevents.shim.hotpath.UpgradingEventSink;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Picks the write() path for a descriptor: the one asked for, else the next fastest this JDK allows, in the
 * order {@code downcall, pwrite, channel, jna}. By default (auto) on JDK 22+ the downcall is linked in the
 * background and taken over from pwrite once ready. JNA always works and is also every other sink's errno source.
 * Measured in benchmarks/RESULTS.md (SinkBenchmark).
 */
final class EventSinks {
    private static final Sink[] FASTEST_FIRST = {Sink.DOWNCALL, Sink.PWRITE, Sink.CHANNEL, Sink.JNA};

    private EventSinks() {
    }

    /** A sink writing to {@code fd}; {@code jna} writes to the same descriptor through JNA. */
    static EventSink open(Sink wanted, int fd, EventSink jna) {
        if (wanted != Sink.AUTO) {
            return fastestFrom(indexOf(wanted), fd, jna, true);
        }
        return Runtime.version().feature() >= 22 ? linkingInBackground(fd, jna) : fastestFrom(1, fd, jna, false);
    }

    /** The first sink from {@code FASTEST_FIRST[start]} on that this JDK allows; warns if the asked one is not. */
    private static EventSink fastestFrom(int start, int fd, EventSink jna, boolean asked) {
        for (int i = start; i < FASTEST_FIRST.length; i++) {
            Sink candidate = FASTEST_FIRST[i];
            EventSink sink = make(candidate, fd, jna);
            if (sink != null) {
                return sink;
            }
            if (asked && i == start) {
                AgentLog.warn("sink=" + name(candidate) + " is not available on this JDK (" + unavailableReason(candidate)
                    + "); writing through the next fastest instead. Fix: use sink=auto");
            }
        }
        return jna;
    }

    /**
     * The downcall, linked on a daemon thread so the application's start does not wait for it (some 70 ms
     * of generated classes on JDK 25); until then writes go through the next fastest sink. A link that fails
     * leaves that sink in place, with a debug line.
     */
    private static EventSink linkingInBackground(int fd, EventSink jna) {
        UpgradingEventSink sink = new UpgradingEventSink(fastestFrom(1, fd, jna, false), "downcall");
        Thread linker = new Thread(() -> {
            try {
                EventSink downcall = make(Sink.DOWNCALL, fd, jna);
                if (downcall != null) {
                    sink.upgrade(downcall);
                    AgentLog.debug("writes go through the downcall from now on");
                }
            } catch (Throwable e) {
                // e.g. no heap left to link: writes stay on the sink they have; nothing of ours on stderr
                AgentLog.debug("the downcall was not linked (" + e + "); writes stay on " + sink.name());
            }
        }, "userevents-downcall-link");
        linker.setDaemon(true);
        linker.start();
        return sink;
    }

    /** The sink of that kind over {@code fd}, or null when this JDK cannot make it. */
    private static @Nullable EventSink make(Sink sink, int fd, EventSink jna) {
        return switch (sink) {
            case DOWNCALL -> downcall(fd, jna);
            case PWRITE -> JdkPwriteEventSink.wrap(fd, jna);
            case CHANNEL -> ChannelEventSink.wrap(fd, jna);
            default -> jna;
        };
    }

    private static @Nullable EventSink downcall(int fd, EventSink jna) {
        try {
            return DowncallEventSink.wrap(ForeignWrite.linkWrite(false), fd, jna);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            AgentLog.debug("no downcall sink: " + e);
            return null;
        }
    }

    private static String unavailableReason(Sink sink) {
        return switch (sink) {
            case DOWNCALL -> Runtime.version().feature() < 22 ? "needs JDK 22 or later" : "the JDK refused the downcall";
            case PWRITE -> "the JDK's pwrite stub was not found or not accessible";
            default -> "the JDK refused a FileChannel on the descriptor";
        };
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
        return sink.name().toLowerCase(Locale.ROOT);
    }
}
