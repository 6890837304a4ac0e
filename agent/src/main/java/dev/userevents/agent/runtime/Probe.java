package dev.userevents.agent.runtime;

import dev.userevents.shim.hotpath.EventSink;
import dev.userevents.shim.hotpath.NativeWords;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One woven method's event: its kernel write index, its enable word, the size of its fixed fields and
 * where its writes go. Immutable but for the failure state and counters.
 */
public final class Probe {
    /**
     * How long writes may keep failing for an unknown reason, while the enable bit reads set and no write
     * succeeds, before the probe counts them as a real failure. A disable racing writes ends within
     * milliseconds, even under emulation, when the kernel clears the bit.
     */
    private static final long UNEXPLAINED_FAILURE_GRACE_NANOS = 1_000_000_000L;

    private final int id;
    private final String eventName;
    private final String methodName;
    private final int writeIndex;
    private final long enableWordAddress;
    private final int fixedSize;
    private final int stringFields;
    private final EventSink sink;
    private final LongAdder written = new LongAdder();
    private final LongAdder raced = new LongAdder();
    private final AtomicBoolean failed = new AtomicBoolean();
    private volatile boolean off;
    /** Racy on purpose: a best-effort clock for unexplained failures, touched only when writes fail. */
    private long firstUnexplainedFailureNanos;
    private long writtenAtFirstUnexplainedFailure;

    public Probe(int id, String eventName, String methodName, int writeIndex, long enableWordAddress,
                 int fixedSize, int stringFields, EventSink sink) {
        this.id = id;
        this.eventName = eventName;
        this.methodName = methodName;
        this.writeIndex = writeIndex;
        this.enableWordAddress = enableWordAddress;
        this.fixedSize = fixedSize;
        this.stringFields = stringFields;
        this.sink = sink;
    }

    public int id() {
        return id;
    }

    public String eventName() {
        return eventName;
    }

    public String methodName() {
        return methodName;
    }

    public int writeIndex() {
        return writeIndex;
    }

    public long enableWordAddress() {
        return enableWordAddress;
    }

    public int fixedSize() {
        return fixedSize;
    }

    /** How many {@code __rel_loc} string fields the event has (each needs room in the payload). */
    public int stringFields() {
        return stringFields;
    }

    /** Events written successfully. */
    public long written() {
        return written.sum();
    }

    /** Writes that found no tracer: the tracer detached between our bit check and the write. */
    public long raced() {
        return raced.sum();
    }

    /** True once a failure switched this probe off for good. */
    public boolean isOff() {
        return off;
    }

    /** Switches the probe off (the enable check still runs, nothing is written) and logs once. */
    public void fail(String what, Throwable cause) {
        off = true;
        if (failed.compareAndSet(false, true)) {
            AgentLog.error("probe " + eventName + " (" + methodName + ") switched off: " + what
                + (cause == null ? "" : ": " + cause) + ". The application continues untraced by this probe;"
                + " report this with the line above.");
        }
    }

    void write(EventRecord record) {
        long result = sink.write(record.buffer(), record.address(), record.length());
        if (result >= 0) {
            written.increment();
            return;
        }
        writeFailed(record, result);
    }

    /** Off the per-call path: tells a write that raced a detaching tracer from one that really failed. */
    private void writeFailed(EventRecord record, long result) {
        // EBADF is the kernel saying nobody traces this event any more: the tracer detached after our
        // bit check. Any failure while our bit reads clear is that same race, whatever the sink reports.
        if (result == -9 || NativeWords.loInt(enableWordAddress) == 0) {
            firstUnexplainedFailureNanos = 0; // explained: unexplained failures must be continuous to count
            raced.increment();
            return;
        }
        if (result == EventSink.UNKNOWN_ERROR && !unexplainedFailuresOutlastedGrace()) {
            raced.increment();
            return;
        }
        fail("write() to user_events_data failed with " + (result == EventSink.UNKNOWN_ERROR ? "an I/O error"
            : "errno " + (-result)) + " through the " + sink.name() + " sink", null);
    }

    /**
     * A failure of unknown errno (a sink that cannot tell EBADF apart; the kernel backend's channel sink asks
     * JNA for the errno instead) while our bit still reads set
     * is not yet an error: on a disable the kernel turns the tracepoint off before it clears the enable bits
     * (kernel/trace/trace_events_user.c, user_event_reg(): tracepoint_probe_unregister(), then
     * update_enable_bit_for()), so writes fail for a moment while the bit reads set. Such failures count as
     * that race until they have gone on, with no write succeeding in between, for longer than
     * {@link #UNEXPLAINED_FAILURE_GRACE_NANOS}: then the failure is real. Nothing waits: each failed write
     * returns at once (its event was headed for a tracer that is leaving).
     */
    private boolean unexplainedFailuresOutlastedGrace() {
        long now = System.nanoTime();
        long first = firstUnexplainedFailureNanos;
        if (first == 0 || written.sum() != writtenAtFirstUnexplainedFailure) {
            firstUnexplainedFailureNanos = now == 0 ? 1 : now;
            writtenAtFirstUnexplainedFailure = written.sum();
            return false;
        }
        return now - first > UNEXPLAINED_FAILURE_GRACE_NANOS;
    }
}
