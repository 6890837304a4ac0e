package dev.userevents.agent.runtime;

import dev.userevents.shim.hotpath.Errno;
import dev.userevents.shim.hotpath.EventSink;
import dev.userevents.shim.hotpath.KernelErrors;
import dev.userevents.shim.hotpath.NativeWords;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * One woven method's event: its kernel write index, its enable word, the size of its fixed fields and
 * where its writes go. Immutable but for the failure state and counters.
 *
 * <p>Faults, by kind: a transient one ({@link DropReason}, and a write that found no tracer) loses that one
 * event, is counted here and changes nothing else; a permanent one ({@link #fail}) switches the probe off
 * with one ERROR line naming the probe, the cause and the fix.
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
    /** -1 until the kernel registered the event ({@link #registeredAt}); written before the probe is installed. */
    private int writeIndex;
    private final long enableWordAddress;
    /** The probe's own bit in its enable word. */
    private final int enableMask;
    private final int fixedSize;
    private final int stringFields;
    /** Written once before {@link ProbeRuntime#install} publishes the probe, like {@link #writeIndex}. */
    private boolean threadContext;
    /** Written once before {@link ProbeRuntime#install} publishes the probe, like {@link #writeIndex}. */
    private boolean stack;
    /** Written once before {@link ProbeRuntime#install} publishes the probe, like {@link #writeIndex}. */
    private @Nullable OtelSpans otelSpans;
    /**
     * The EventHeader prefix every event of the probe starts with after the write index (header, metadata
     * extension), or null for a tracefs event; written once before {@link ProbeRuntime#install}.
     */
    private byte @Nullable [] eventHeader;
    /** The EventHeader tracepoint the event shares, {@code <provider>_L<level>K<keyword>}; null for tracefs. */
    private @Nullable String tracepoint;
    /** The fields, for status under multiFormat ({@link #describeFields}); null otherwise. */
    private @Nullable String fields;
    private final EventSink sink;
    private final LongAdder written = new LongAdder();
    private final LongAdder raced = new LongAdder();
    private final AtomicLongArray drops = new AtomicLongArray(DropReason.values().length);
    /**
     * Drops counted when even {@link #drops} could not be (a stack overflow inside the counting call), by
     * {@link DropReason} ordinal: an array increment needs no call, so it works with no stack left. Racy on
     * purpose: exact unless two threads fall back here at the same instant. Callers index it with an
     * {@code instanceof} chain, also call-free: 0 stack overflow, 1 out of memory, 2 other.
     */
    final long[] racyDrops = new long[DropReason.values().length];
    /**
     * Events the kernel accepted whose counting in {@link #written} overflowed the stack; racy like
     * {@link #racyDrops} and for the same reason.
     */
    long racyWritten;
    /** Bit per {@link DropReason} already reported in the log (by the agent's reporter thread). */
    private int reportedReasons;
    /** Set once the ERROR line of the failure that switched the probe off was logged. */
    private final AtomicBoolean failed = new AtomicBoolean();
    private volatile @Nullable String failureWhat;
    private @Nullable Throwable failureCause;
    private @Nullable String failureFix;
    private volatile boolean off;
    /** Racy on purpose: a best-effort clock for unexplained failures, touched only when writes fail. */
    private long firstUnexplainedFailureNanos;
    private long writtenAtFirstUnexplainedFailure;

    /**
     * A probe whose event owns bit 0 of its enable word.
     *
     * @param id                {@link ProbeRuntime#nextProbeId()}: the probe's index in ProbeRuntime's table, which
     *                          woven code passes to {@link ProbeRuntime#begin}
     * @param eventName         the event's name as registered: the first word of its format command
     * @param methodName        what the probe traces, for log lines: {@code Class.method}, or "log bridge"
     * @param writeIndex        the kernel's write index of the event, or -1 until {@link #registeredAt}
     * @param enableWordAddress native address of the event's 4-byte enable word, which the kernel writes
     * @param fixedSize         bytes of the fixed fields after the write index, 4 per {@code __rel_loc} string
     *                          field included
     * @param stringFields      how many of those fields are {@code __rel_loc} strings
     * @param sink              where the event's writes go
     */
    public Probe(int id, String eventName, String methodName, int writeIndex, long enableWordAddress,
                 int fixedSize, int stringFields, EventSink sink) {
        this(id, eventName, methodName, writeIndex, enableWordAddress, 0, fixedSize, stringFields, sink);
    }

    /**
     * A probe whose event owns bit {@code enableBit} of a 4-byte enable word other events may share.
     *
     * @param id                {@link ProbeRuntime#nextProbeId()}: the probe's index in ProbeRuntime's table, which
     *                          woven code passes to {@link ProbeRuntime#begin}
     * @param eventName         the event's name as registered: the first word of its format command
     * @param methodName        what the probe traces, for log lines: {@code Class.method}, or "log bridge"
     * @param writeIndex        the kernel's write index of the event, or -1 until {@link #registeredAt}
     * @param enableWordAddress native address of the event's 4-byte enable word, which the kernel writes
     * @param enableBit         0 to 31: the bit the kernel sets while this event is traced
     * @param fixedSize         bytes of the fixed fields after the write index, 4 per {@code __rel_loc} string
     *                          field included
     * @param stringFields      how many of those fields are {@code __rel_loc} strings
     * @param sink              where the event's writes go
     */
    public Probe(int id, String eventName, String methodName, int writeIndex, long enableWordAddress, int enableBit,
                 int fixedSize, int stringFields, EventSink sink) {
        this.enableMask = 1 << enableBit;
        this.id = id;
        this.eventName = eventName;
        this.methodName = methodName;
        this.writeIndex = writeIndex;
        this.enableWordAddress = enableWordAddress;
        this.fixedSize = fixedSize;
        this.stringFields = stringFields;
        this.sink = sink;
    }

    /** {@return the probe's index in ProbeRuntime's table, as woven code passes it} */
    public int id() {
        return id;
    }

    /** {@return the event's name as registered: the first word of its format command} */
    public String eventName() {
        return eventName;
    }

    /** {@return what the probe traces, for log lines: {@code Class.method}, or "log bridge"} */
    public String methodName() {
        return methodName;
    }

    /** {@return the kernel's write index of the event, the first 4 bytes of each write; -1 until registered} */
    public int writeIndex() {
        return writeIndex;
    }

    /**
     * Records the write index the kernel gave the probe's event. Called once, before
     * {@link ProbeRuntime#install} publishes the probe (a volatile store) to woven code.
     *
     * @param index the write index from {@code DIAG_IOCSREG}, at least 0
     */
    public void registeredAt(int index) {
        this.writeIndex = index;
    }

    /**
     * Marks the event as ending with the thread context's fields ({@code java_tid} s64, {@code virtual} u8,
     * {@link ProbeRuntime#putThreadContext}), which the exit methods then write. Called once, before
     * {@link ProbeRuntime#install} publishes the probe.
     */
    public void carryThreadContext() {
        this.threadContext = true;
    }

    /** {@return whether the event ends with the thread context's fields} */
    public boolean threadContext() {
        return threadContext;
    }

    /**
     * Marks the event as ending with the calling stack ({@code stack}, {@link ProbeRuntime#putStack}), which the
     * exit methods then write. Called once, before {@link ProbeRuntime#install} publishes the probe.
     */
    public void carryStack() {
        this.stack = true;
    }

    /**
     * Marks the event as carrying the OpenTelemetry ids ({@code trace_id}, {@code span_id}) of the API
     * {@code loader} sees ({@link ProbeRuntime#spanContext}, {@link ProbeRuntime#putSpanIds}); nothing of the
     * API is looked at before the event is first traced. Called once, before {@link ProbeRuntime#install}
     * publishes the probe.
     *
     * @param loader the traced class's defining loader
     */
    public void carryOtelContext(ClassLoader loader) {
        this.otelSpans = OtelSpans.of(loader);
    }

    /**
     * Marks the event as EventHeader-encoded (agent option {@code format=eventheader}): each event is the write
     * index, then {@code prefix} as is, then the fields one after another, strings counted (u16 length, UTF-8)
     * and floats as IEEE 754 bits; {@link #fixedSize()} then counts the fixed-width bytes, 2 per string
     * included. Called once, before {@link ProbeRuntime#install} publishes the probe.
     *
     * @param prefix     the eventheader, its metadata extension and the event's metadata, as the
     *                   {@code eventheader.h} convention of microsoft/LinuxTracepoints lays them out; kept, not copied
     * @param tracepoint the tracepoint the event shares, {@code <provider>_L<level>K<keyword>}: {@code status PID}
     *                   names it ({@code probe NAME on TRACEPOINT: ...}), so that {@code list PID} finds the counters
     */
    public void encodeAsEventHeader(byte[] prefix, String tracepoint) {
        this.eventHeader = prefix;
        this.tracepoint = tracepoint;
    }

    /** {@return the EventHeader tracepoint given to {@link #encodeAsEventHeader}, or null for a tracefs event} */
    public @Nullable String tracepoint() {
        return tracepoint;
    }

    /**
     * Names the event's fields in {@code status PID}, where one event name carries several formats
     * ({@code multiFormat=true}): its counters line reads {@code probe NAME [FIELDS]: ...}, so that
     * {@code list PID} shows each format's tracepoint its own probe's counters. Called once, before
     * {@link ProbeRuntime#install} publishes the probe.
     *
     * @param fields the fields as registered, {@code "s32 count"} (the format command without its name)
     */
    public void describeFields(String fields) {
        this.fields = fields;
    }

    /** {@return the fields given to {@link #describeFields}, or null} */
    public @Nullable String fields() {
        return fields;
    }

    /** {@return the EventHeader prefix of each event, or null for a tracefs event; not a copy} */
    public byte @Nullable [] eventHeader() {
        return eventHeader;
    }

    /** {@return whether the event carries the OpenTelemetry ids} */
    public boolean otel() {
        return otelSpans != null;
    }

    /** The spans the event's ids come from; null without {@code context=otel}. */
    @Nullable OtelSpans otelSpans() {
        return otelSpans;
    }

    /** {@return whether the event ends with the calling stack} */
    public boolean stack() {
        return stack;
    }

    /** {@return the native address of the event's 4-byte enable word} */
    public long enableWordAddress() {
        return enableWordAddress;
    }

    /** {@return the event's bit in its enable word: {@code 1 << enableBit}} */
    public int enableMask() {
        return enableMask;
    }

    /** {@return bytes of the fixed fields after the write index, 4 per {@code __rel_loc} string field included} */
    public int fixedSize() {
        return fixedSize;
    }

    /** {@return how many {@code __rel_loc} string fields the event has (each needs room in the payload)} */
    public int stringFields() {
        return stringFields;
    }

    /** {@return events written successfully} */
    public long written() {
        return written.sum() + racyWritten;
    }

    /** {@return writes that found no tracer: the tracer detached between our bit check and the write} */
    public long raced() {
        return raced.sum();
    }

    /**
     * Events of this probe lost to {@code reason}.
     *
     * @param reason the kind of transient fault
     * @return how many events it dropped since the probe was registered
     */
    @SuppressWarnings("EnumOrdinal") // arrays by ordinal: ProbeRuntime's call-free fallbacks need them (see DropReason)
    public long dropped(DropReason reason) {
        return drops.get(reason.ordinal()) + racyDrops[reason.ordinal()];
    }

    /**
     * Events of this probe lost to any transient fault.
     *
     * @return the sum over every {@link DropReason}, plus drops counted after a stack overflow in counting
     */
    public long dropped() {
        long sum = 0;
        for (int i = 0; i < drops.length(); i++) {
            sum += drops.get(i) + racyDrops[i];
        }
        return sum;
    }

    /**
     * Counts one event lost to a transient fault; the probe's state does not change. Called on the
     * application's thread, from a catch block: never throws.
     */
    @SuppressWarnings("EnumOrdinal") // arrays by ordinal: ProbeRuntime's call-free fallbacks need them (see DropReason)
    void drop(DropReason reason) {
        try {
            drops.getAndIncrement(reason.ordinal());
            ProbeRuntime.dropsToReport = true;
        } catch (Throwable e) {
            racyDrops[reason == null ? DropReason.VM_ERROR.ordinal() : reason.ordinal()]++;
            ProbeRuntime.dropsToReport = true;
        }
    }

    /**
     * The reasons that dropped events and were not yet reported, marked reported now. Called by one
     * thread only (the agent's reporter).
     *
     * @return the reasons to log, possibly empty
     */
    @SuppressWarnings("EnumOrdinal") // a bit per ordinal, an order DropReason fixes; an EnumSet changes the bytecode
    public List<DropReason> takeUnreportedDropReasons() {
        List<DropReason> reasons = new ArrayList<>();
        for (DropReason reason : DropReason.values()) {
            int bit = 1 << reason.ordinal();
            if ((reportedReasons & bit) == 0 && dropped(reason) > 0) {
                reportedReasons |= bit;
                reasons.add(reason);
            }
        }
        return reasons;
    }

    /** {@return true once a failure switched this probe off for good} */
    public boolean isOff() {
        return off;
    }

    /**
     * A permanent fault: switches the probe off (the enable check still runs, nothing is written) and logs
     * one ERROR line, at once when it can, else from the agent's reporter thread ({@link #reportFailure}):
     * the thread that failed may have no stack left to build the line. Never throws.
     *
     * @param what  the cause, one clause
     * @param cause what was thrown, or null
     * @param fix   what the user can do, one clause
     */
    public void fail(String what, @Nullable Throwable cause, String fix) {
        off = true;
        if (failureWhat == null) { // plain stores: the first failure is the one reported
            failureCause = cause;
            failureFix = fix;
            failureWhat = what;
        }
        ProbeRuntime.dropsToReport = true;
        try {
            reportFailure();
        } catch (Throwable e) {
            // the reporter thread logs it
        }
    }

    /**
     * Logs the ERROR line of the failure that switched this probe off, if not logged yet.
     *
     * @return true when this call logged it
     */
    public boolean reportFailure() {
        String what = failureWhat;
        if (what == null || !failed.compareAndSet(false, true)) {
            return false;
        }
        boolean logged = false;
        try {
            Throwable cause = failureCause;
            logged = AgentLog.error("probe " + eventName + " (" + methodName + ") switched off: " + what
                + (cause == null ? "" : ": " + cause) + "; " + failureFix
                + ". The application continues untraced by this probe.");
            return logged;
        } finally {
            if (!logged) {
                failed.set(false); // try again later
            }
        }
    }

    void write(EventRecord record) {
        long result = sink.write(record.buffer(), record.address(), record.length());
        if (result >= 0) {
            record.delivered = true; // a plain store: from here on a throwable must not count a drop
            written.increment();
            return;
        }
        writeFailed(record, result);
    }

    /** Off the per-call path: sorts a failed write into the fault kinds of {@code KernelErrors}. */
    // record is unused, but dropping it would change write(), the per-event caller (package-info).
    private void writeFailed(@SuppressWarnings("UnusedVariable") EventRecord record, long result) {
        // EBADF is the kernel saying nobody traces this event any more: the tracer detached after our
        // bit check. Any failure while our bit reads clear is that same race, whatever the sink reports.
        if (result == -Errno.EBADF || (NativeWords.loInt(enableWordAddress) & enableMask) == 0) {
            firstUnexplainedFailureNanos = 0; // explained: unexplained failures must be continuous to count
            raced.increment();
            return;
        }
        if (result == EventSink.UNKNOWN_ERROR) {
            if (!unexplainedFailuresOutlastedGrace()) {
                raced.increment();
                return;
            }
            fail("write() to user_events_data kept failing for over a second through the " + sink.name()
                + " sink, which reports no errno, while the event stayed enabled", null,
                "restart with the agent option sink=jna to learn the errno");
            return;
        }
        int errno = (int) -result;
        KernelErrors.Meaning meaning = KernelErrors.of(KernelErrors.Operation.WRITE, errno);
        if (meaning.isTransient()) {
            drop(DropReason.WRITE_INTERRUPTED);
            return;
        }
        fail("write() to user_events_data failed with " + Errno.describe(errno) + " through the " + sink.name()
            + " sink: " + meaning.cause(), null, meaning.fix());
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
