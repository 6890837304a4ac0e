package dev.userevents.agent.runtime;

import dev.userevents.shim.hotpath.Errno;
import dev.userevents.shim.hotpath.EventLayout;
import dev.userevents.shim.hotpath.KernelErrors;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The calls woven into each {@code @Tracepoint} method. Only after the method's enable word reads
 * non-zero does woven code run:
 * <pre>{@code
 *   EventRecord r = ProbeRuntime.begin(probeId);
 *   r = ProbeRuntime.putInt(r, id);          // one put per parameter, in order
 *   r = ProbeRuntime.putString(r, customer);
 *   ProbeRuntime.commit(r);                   // one write() system call
 * }</pre>
 * Every method catches everything: a failure marks the record and {@link #commit} sorts it by kind. A
 * {@link VirtualMachineError} (stack overflow, out of memory) or a missing buffer drops that one event and
 * counts it ({@link DropReason}); anything else is a bug that would repeat, so the probe is switched off
 * with one log line. The woven code wraps these calls in a handler of its own ({@link #dropped}) for the
 * one place a catch in here cannot reach: a stack overflow raised while entering one of these methods.
 * Nothing here allocates unless an argument's {@code toString()} does.
 */
public final class ProbeRuntime {
    private static final byte[] TO_STRING_THREW = "(toString threw)".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TO_STRING_TOO_DEEP = "(toString nested too deep)".getBytes(StandardCharsets.US_ASCII);
    /** How many argument {@code toString()} calls may be under way at once on one thread. */
    static final int MAX_TO_STRING_NESTING = 4;
    /** Per thread: argument {@code toString()} calls under way (one int, allocated on a thread's first). */
    private static final ThreadLocal<int[]> TO_STRING_NESTING = new ThreadLocal<int[]>() {
        @Override
        protected int[] initialValue() { // a class, not a lambda: nothing to spin on an application thread
            return new int[1];
        }
    };

    private static final RecordPool POOL = new RecordPool(poolSize());

    private static volatile Probe[] probes = new Probe[64];
    /** Set when a probe counted a drop that the reporter thread has not logged yet. */
    static volatile boolean dropsToReport;
    private static boolean installed;
    private static final AtomicInteger NEXT_ID = new AtomicInteger();
    private static volatile int maxEventBytes = 4000;
    private static volatile int maxStringBytes = 1024;
    private static volatile int stackDepth = 32;

    private ProbeRuntime() {
    }

    /** Most buffers {@code -Duserevents.buffers} may ask for: 16 MiB of event buffers. */
    public static final int MAX_BUFFERS = 4096;

    private static int poolSize() {
        int cpus = Runtime.getRuntime().availableProcessors();
        int requested;
        try {
            requested = Integer.getInteger("userevents.buffers", Math.min(256, Math.max(16, cpus * 4)));
        } catch (RuntimeException e) {
            requested = 16;
        }
        return Math.max(2, Math.min(MAX_BUFFERS, requested)); // AgentInstaller warns about a value out of range
    }

    /**
     * True for the first agent installation in this JVM, false afterwards: a second {@code -javaagent} or
     * {@code attach} must not weave every probe a second time. Lives here because this class is the one
     * copy all agent loads share (the bootstrap loader's).
     *
     * @return true for the caller that is to install the agent, false when another did already
     */
    public static synchronized boolean claimInstallation() {
        if (installed) {
            return false;
        }
        installed = true;
        return true;
    }

    /**
     * Whether an agent installation claimed this JVM.
     *
     * @return true once {@link #claimInstallation()} returned true
     */
    public static synchronized boolean isInstalled() {
        return installed;
    }

    /** {@return a probe id no other probe in this JVM has: 0, 1, 2 ... in the order asked} */
    public static int nextProbeId() {
        return NEXT_ID.getAndIncrement();
    }

    /**
     * Publishes a probe so woven code can find it by id; called before the woven class is defined.
     *
     * @param probe the probe, registered with the kernel; its {@link Probe#id()} indexes the table
     */
    public static synchronized void install(Probe probe) {
        Probe[] table = probes;
        if (probe.id() >= table.length) {
            Probe[] grown = new Probe[Math.max(probe.id() + 1, table.length * 2)];
            System.arraycopy(table, 0, grown, 0, table.length);
            table = grown;
        }
        table[probe.id()] = probe;
        probes = table;
    }

    /**
     * The probe installed with an id.
     *
     * @param id a {@link Probe#id()}
     * @return that probe, or null when no probe of that id is installed
     */
    public static @Nullable Probe probe(int id) {
        Probe[] table = probes;
        return id >= 0 && id < table.length ? table[id] : null;
    }

    /** {@return most bytes one event may take, write index included; strings are cut to fit} */
    public static int maxEventBytes() {
        return maxEventBytes;
    }

    /**
     * Sets {@link #maxEventBytes()} (agent option {@code eventBytes}, 4000 by default); events begun from then
     * on follow it.
     *
     * @param bytes 64 to {@link EventLayout#MAX_RECORDED_EVENT} (the kernel drops larger events)
     * @throws IllegalArgumentException for a value out of that range
     */
    public static void setMaxEventBytes(int bytes) {
        if (bytes < 64 || bytes > EventLayout.MAX_RECORDED_EVENT) {
            throw new IllegalArgumentException("maximum event size " + bytes + ": use 64.." + EventLayout.MAX_RECORDED_EVENT
                + " (larger events are dropped by the kernel's ring buffer)");
        }
        maxEventBytes = bytes;
    }

    /** {@return most bytes of one string field, NUL excluded} */
    public static int maxStringBytes() {
        return maxStringBytes;
    }

    /**
     * Sets {@link #maxStringBytes()} (agent option {@code stringBytes}, 1024 by default); strings encoded from
     * then on follow it.
     *
     * @param bytes at least 8
     * @throws IllegalArgumentException for a smaller value
     */
    public static void setMaxStringBytes(int bytes) {
        if (bytes < 8) {
            throw new IllegalArgumentException("string bound " + bytes + ": use at least 8 bytes");
        }
        maxStringBytes = bytes;
    }

    /** {@return how many event buffers all threads share: a power of two, 2 to {@link #MAX_BUFFERS}} */
    public static int bufferCount() {
        return POOL.size();
    }

    /**
     * Loads and initialises every class the per-call path uses, so that none is first loaded or
     * initialised on an application thread: a class whose initialiser fails there (a stack overflow deep in
     * a recursion, an OutOfMemoryError) would stay unusable for the JVM's lifetime.
     */
    @SuppressWarnings("ReturnValueIgnored") // Utf8.class.getName(): the class literal loads Utf8; the name is unused
    public static void prepare() {
        DropReason.values();
        try {
            // JDK 17: what DirectByteBuffer's bounds checks load when a stack overflow passes through them;
            // loading it then runs every agent's class transformer with no stack left.
            Class.forName("jdk.internal.misc.ScopedMemoryAccess$Scope$ScopedAccessError", true, null);
        } catch (Throwable e) {
            // not on this JDK
        }
        EventRecord.NONE.length();
        Utf8.class.getName();
        DecimalText.write(0.5, DecimalText.DOUBLE_DIGITS, ByteBuffer.allocate(DecimalText.MAX_LENGTH), 0);
        KernelErrors.of(KernelErrors.Operation.WRITE, Errno.EINTR);
        LogEvents.prepare();
        CallStack.prepare();
    }

    /**
     * True when a drop was counted since the last call; clears the flag.
     *
     * @return whether any probe may hold drops not yet reported
     */
    public static boolean takeDropsToReport() {
        if (!dropsToReport) {
            return false;
        }
        dropsToReport = false;
        return true;
    }

    /**
     * Every probe installed so far, in id order.
     *
     * @return a fresh list; empty before the first probe
     */
    public static List<Probe> installedProbes() {
        Probe[] table = probes;
        List<Probe> all = new ArrayList<>();
        for (Probe probe : table) {
            if (probe != null) {
                all.add(probe);
            }
        }
        return all;
    }

    /**
     * Starts an event of a probe: takes a buffer from the pool and writes the probe's write index. Without a
     * buffer (every one in use, or a {@link VirtualMachineError} on the way) the drop is counted here and
     * the answer is a failed record every put skips and {@link #commit} ignores.
     *
     * @param probeId the probe's id, as woven into the method; the probe is installed
     * @return the record to pass to the puts, in field order, then to {@link #commit}
     */
    public static EventRecord begin(int probeId) {
        Probe probe = null;
        EventRecord record;
        try {
            probe = probes[probeId];
            record = POOL.acquire();
        } catch (Throwable e) {
            noRecord(probe, e); // a VirtualMachineError on the way to a buffer
            return EventRecord.NONE;
        }
        if (record == null) {
            noRecord(probe, null); // every buffer in use
            return EventRecord.NONE;
        }
        record.probe = probe; // a plain store, before any call that could fail: commit must see whose it is
        try {
            record.start(probe, maxEventBytes);
        } catch (Throwable e) {
            record.failure = e;
        }
        return record;
    }

    private static void noRecord(@Nullable Probe probe, @Nullable Throwable failure) {
        if (probe == null) {
            return;
        }
        try {
            probe.drop(failure == null ? DropReason.NO_BUFFER : failure instanceof StackOverflowError
                ? DropReason.STACK_OVERFLOW : failure instanceof OutOfMemoryError ? DropReason.OUT_OF_MEMORY
                : DropReason.VM_ERROR);
        } catch (Throwable e) {
            probe.racyDrops[failure == null ? 3 : failure instanceof StackOverflowError ? 0
                : failure instanceof OutOfMemoryError ? 1 : 2]++;
            dropsToReport = true;
        }
    }

    /**
     * Appends a {@code u8} field: 1 for true, 0 for false.
     *
     * @param record the event being encoded: what {@link #begin} or the previous put returned
     * @param value  the parameter's value
     * @return {@code record}, for the next put
     */
    public static EventRecord putBoolean(EventRecord record, boolean value) {
        if (record.failure == null) {
            try {
                record.putByte(value ? (byte) 1 : (byte) 0);
            } catch (Throwable e) {
                record.failure = e;
            }
        }
        return record;
    }

    /**
     * Appends an {@code s8} field.
     *
     * @param record the event being encoded: what {@link #begin} or the previous put returned
     * @param value  the parameter's value
     * @return {@code record}, for the next put
     */
    public static EventRecord putByte(EventRecord record, byte value) {
        if (record.failure == null) {
            try {
                record.putByte(value);
            } catch (Throwable e) {
                record.failure = e;
            }
        }
        return record;
    }

    /**
     * Appends an {@code s16} field, native-endian.
     *
     * @param record the event being encoded: what {@link #begin} or the previous put returned
     * @param value  the parameter's value
     * @return {@code record}, for the next put
     */
    public static EventRecord putShort(EventRecord record, short value) {
        if (record.failure == null) {
            try {
                record.putShort(value);
            } catch (Throwable e) {
                record.failure = e;
            }
        }
        return record;
    }

    /**
     * Appends a {@code u16} field, native-endian: the char's UTF-16 code unit.
     *
     * @param record the event being encoded: what {@link #begin} or the previous put returned
     * @param value  the parameter's value
     * @return {@code record}, for the next put
     */
    public static EventRecord putChar(EventRecord record, char value) {
        return putShort(record, (short) value);
    }

    /**
     * Appends an {@code s32} field, native-endian.
     *
     * @param record the event being encoded: what {@link #begin} or the previous put returned
     * @param value  the parameter's value
     * @return {@code record}, for the next put
     */
    public static EventRecord putInt(EventRecord record, int value) {
        if (record.failure == null) {
            try {
                record.putInt(value);
            } catch (Throwable e) {
                record.failure = e;
            }
        }
        return record;
    }

    /**
     * Appends an {@code s64} field, native-endian.
     *
     * @param record the event being encoded: what {@link #begin} or the previous put returned
     * @param value  the parameter's value
     * @return {@code record}, for the next put
     */
    public static EventRecord putLong(EventRecord record, long value) {
        if (record.failure == null) {
            try {
                record.putLong(value);
            } catch (Throwable e) {
                record.failure = e;
            }
        }
        return record;
    }

    /**
     * Appends a {@code __rel_loc char[]} field holding the value as decimal text with 7 significant digits
     * (the kernel's event format has no floating-point type); in an EventHeader event, the value's 4 IEEE 754
     * bytes ({@code value32}, format {@code float}).
     *
     * @param record the event being encoded: what {@link #begin} or the previous put returned
     * @param value  the parameter's value
     * @return {@code record}, for the next put
     */
    public static EventRecord putFloat(EventRecord record, float value) {
        return record.eventHeader ? putInt(record, Float.floatToRawIntBits(value))
            : putDecimal(record, value, DecimalText.FLOAT_DIGITS);
    }

    /**
     * Appends a {@code __rel_loc char[]} field holding the value as decimal text with 15 significant digits; in
     * an EventHeader event, the value's 8 IEEE 754 bytes ({@code value64}, format {@code float}).
     *
     * @param record the event being encoded: what {@link #begin} or the previous put returned
     * @param value  the parameter's value
     * @return {@code record}, for the next put
     */
    public static EventRecord putDouble(EventRecord record, double value) {
        return record.eventHeader ? putLong(record, Double.doubleToRawLongBits(value))
            : putDecimal(record, value, DecimalText.DOUBLE_DIGITS);
    }

    private static EventRecord putDecimal(EventRecord record, double value, int digits) {
        if (record.failure == null) {
            try {
                record.putDecimal(value, digits);
            } catch (Throwable e) {
                record.failure = e;
            }
        }
        return record;
    }

    /**
     * Appends a {@code __rel_loc char[]} field: UTF-8, NUL-terminated, cut to {@link #maxStringBytes()} and to
     * the room left in the event (a cut string ends in "..."); NUL and lone surrogates become '?'. In an
     * EventHeader event: a {@code u16} byte count and the UTF-8 bytes, no NUL, cut the same way; null is empty.
     *
     * @param record the event being encoded: what {@link #begin} or the previous put returned
     * @param value  the parameter's value; null is written as "(null)"
     * @return {@code record}, for the next put
     */
    public static EventRecord putString(EventRecord record, @Nullable String value) {
        if (record.failure == null) {
            try {
                record.putString(value);
            } catch (Throwable e) {
                record.failure = e;
            }
        }
        return record;
    }

    /**
     * Any other object: an enum by {@link Enum#name()} (final, so no application code runs), else
     * {@code toString()}; null (or a {@code toString()} returning null) becomes "(null)", as a null String
     * does, and a throwing {@code toString()} becomes "(toString threw)". A {@code toString()} that calls
     * traced methods whose arguments' {@code toString()} call traced methods... would let the agent recurse
     * where the application never does: past {@link #MAX_TO_STRING_NESTING} levels on one thread the text is
     * "(toString nested too deep)" instead.
     *
     * @param record the event being encoded: what {@link #begin} or the previous put returned
     * @param value  the parameter's value, or null
     * @return {@code record}, for the next put
     */
    public static EventRecord putObject(EventRecord record, @Nullable Object value) {
        if (record.failure != null) {
            return record;
        }
        String text;
        int[] nesting = null;
        try {
            if (value == null || value instanceof Enum) {
                text = value == null ? null : ((Enum<?>) value).name();
            } else {
                int[] depth = TO_STRING_NESTING.get();
                if (depth[0] >= MAX_TO_STRING_NESTING) {
                    record.putAsciiString(TO_STRING_TOO_DEEP);
                    return record;
                }
                depth[0]++;
                nesting = depth;
                text = value.toString();
            }
        } catch (Throwable e) {
            try {
                record.putAsciiString(TO_STRING_THREW);
            } catch (Throwable encodingFailure) {
                record.failure = encodingFailure;
            }
            return record;
        } finally {
            if (nesting != null) {
                nesting[0]--;
            }
        }
        return putString(record, text);
    }

    // Exit events: [ret][s64 duration_ns][__rel_loc thrown], then the context fields the probe carries
    // ([s64 java_tid][u8 virtual], [__rel_loc trace_id][__rel_loc span_id], [__rel_loc stack]), in the order
    // ProbeDefinitions builds them. The woven code calls the method of the return type's width, so nothing
    // here infers the ret field from the event's size. Each public method is small enough that the JIT
    // always inlines it: with the exit event off (start 0) a return costs its test.

    /**
     * Writes the exit event of a void method: {@code duration_ns} and {@code thrown}.
     *
     * @param probeId the exit probe's id, as woven into the method
     * @param start   {@code System.nanoTime()} at the method's entry, from which {@code duration_ns} is counted;
     *                0 when the exit event was off as the method started: then nothing is written
     * @param thrown  what the method threw, or null when it returned; the {@code thrown} field holds its class
     *                name, or an empty string
     * @param spanContext the span context current at the method's entry with {@code context=otel}
     *                ({@link #spanContext}), else null
     */
    public static void exitVoid(int probeId, long start, @Nullable Throwable thrown,
                              @Nullable Object spanContext) {
        if (start != 0L) {
            writeExitVoid(probeId, start, thrown, spanContext);
        }
    }

    private static void writeExitVoid(int probeId, long start, @Nullable Throwable thrown,
                                    @Nullable Object spanContext) {
        EventRecord record = begin(probeId);
        try {
            finishExit(record, start, thrown, spanContext);
        } catch (Throwable e) {
            abandon(record, e);
        }
    }

    /**
     * Writes the exit event of a boolean method: {@code ret} as {@code u8}, then as {@link #exitVoid}.
     *
     * @param probeId the exit probe's id, as woven into the method
     * @param start   {@code System.nanoTime()} at the method's entry, from which {@code duration_ns} is counted;
     *                0 when the exit event was off as the method started: then nothing is written
     * @param value   the returned value (zero, false or null when the method threw)
     * @param thrown  what the method threw, or null when it returned; the {@code thrown} field holds its class
     *                name, or an empty string
     * @param spanContext the span context current at the method's entry with {@code context=otel}
     *                ({@link #spanContext}), else null
     */
    public static void exitBoolean(int probeId, long start, boolean value, @Nullable Throwable thrown,
                              @Nullable Object spanContext) {
        if (start != 0L) {
            writeExitBoolean(probeId, start, value, thrown, spanContext);
        }
    }

    private static void writeExitBoolean(int probeId, long start, boolean value, @Nullable Throwable thrown,
                                    @Nullable Object spanContext) {
        EventRecord record = begin(probeId);
        try {
            finishExit(putBoolean(record, value), start, thrown, spanContext);
        } catch (Throwable e) {
            abandon(record, e);
        }
    }

    /**
     * Writes the exit event of a byte method: {@code ret} as {@code s8}, then as {@link #exitVoid}.
     *
     * @param probeId the exit probe's id, as woven into the method
     * @param start   {@code System.nanoTime()} at the method's entry, from which {@code duration_ns} is counted;
     *                0 when the exit event was off as the method started: then nothing is written
     * @param value   the returned value (zero, false or null when the method threw)
     * @param thrown  what the method threw, or null when it returned; the {@code thrown} field holds its class
     *                name, or an empty string
     * @param spanContext the span context current at the method's entry with {@code context=otel}
     *                ({@link #spanContext}), else null
     */
    public static void exitByte(int probeId, long start, byte value, @Nullable Throwable thrown,
                              @Nullable Object spanContext) {
        if (start != 0L) {
            writeExitByte(probeId, start, value, thrown, spanContext);
        }
    }

    private static void writeExitByte(int probeId, long start, byte value, @Nullable Throwable thrown,
                                    @Nullable Object spanContext) {
        EventRecord record = begin(probeId);
        try {
            finishExit(putByte(record, value), start, thrown, spanContext);
        } catch (Throwable e) {
            abandon(record, e);
        }
    }

    /**
     * Writes the exit event of a short method: {@code ret} as {@code s16}, then as {@link #exitVoid}.
     *
     * @param probeId the exit probe's id, as woven into the method
     * @param start   {@code System.nanoTime()} at the method's entry, from which {@code duration_ns} is counted;
     *                0 when the exit event was off as the method started: then nothing is written
     * @param value   the returned value (zero, false or null when the method threw)
     * @param thrown  what the method threw, or null when it returned; the {@code thrown} field holds its class
     *                name, or an empty string
     * @param spanContext the span context current at the method's entry with {@code context=otel}
     *                ({@link #spanContext}), else null
     */
    public static void exitShort(int probeId, long start, short value, @Nullable Throwable thrown,
                              @Nullable Object spanContext) {
        if (start != 0L) {
            writeExitShort(probeId, start, value, thrown, spanContext);
        }
    }

    private static void writeExitShort(int probeId, long start, short value, @Nullable Throwable thrown,
                                    @Nullable Object spanContext) {
        EventRecord record = begin(probeId);
        try {
            finishExit(putShort(record, value), start, thrown, spanContext);
        } catch (Throwable e) {
            abandon(record, e);
        }
    }

    /**
     * Writes the exit event of a char method: {@code ret} as {@code u16}, the UTF-16 code unit, then as {@link #exitVoid}.
     *
     * @param probeId the exit probe's id, as woven into the method
     * @param start   {@code System.nanoTime()} at the method's entry, from which {@code duration_ns} is counted;
     *                0 when the exit event was off as the method started: then nothing is written
     * @param value   the returned value (zero, false or null when the method threw)
     * @param thrown  what the method threw, or null when it returned; the {@code thrown} field holds its class
     *                name, or an empty string
     * @param spanContext the span context current at the method's entry with {@code context=otel}
     *                ({@link #spanContext}), else null
     */
    public static void exitChar(int probeId, long start, char value, @Nullable Throwable thrown,
                              @Nullable Object spanContext) {
        if (start != 0L) {
            writeExitChar(probeId, start, value, thrown, spanContext);
        }
    }

    private static void writeExitChar(int probeId, long start, char value, @Nullable Throwable thrown,
                                    @Nullable Object spanContext) {
        EventRecord record = begin(probeId);
        try {
            finishExit(putChar(record, value), start, thrown, spanContext);
        } catch (Throwable e) {
            abandon(record, e);
        }
    }

    /**
     * Writes the exit event of a int method: {@code ret} as {@code s32}, then as {@link #exitVoid}.
     *
     * @param probeId the exit probe's id, as woven into the method
     * @param start   {@code System.nanoTime()} at the method's entry, from which {@code duration_ns} is counted;
     *                0 when the exit event was off as the method started: then nothing is written
     * @param value   the returned value (zero, false or null when the method threw)
     * @param thrown  what the method threw, or null when it returned; the {@code thrown} field holds its class
     *                name, or an empty string
     * @param spanContext the span context current at the method's entry with {@code context=otel}
     *                ({@link #spanContext}), else null
     */
    public static void exitInt(int probeId, long start, int value, @Nullable Throwable thrown,
                              @Nullable Object spanContext) {
        if (start != 0L) {
            writeExitInt(probeId, start, value, thrown, spanContext);
        }
    }

    private static void writeExitInt(int probeId, long start, int value, @Nullable Throwable thrown,
                                    @Nullable Object spanContext) {
        EventRecord record = begin(probeId);
        try {
            finishExit(putInt(record, value), start, thrown, spanContext);
        } catch (Throwable e) {
            abandon(record, e);
        }
    }

    /**
     * Writes the exit event of a long method: {@code ret} as {@code s64}, then as {@link #exitVoid}.
     *
     * @param probeId the exit probe's id, as woven into the method
     * @param start   {@code System.nanoTime()} at the method's entry, from which {@code duration_ns} is counted;
     *                0 when the exit event was off as the method started: then nothing is written
     * @param value   the returned value (zero, false or null when the method threw)
     * @param thrown  what the method threw, or null when it returned; the {@code thrown} field holds its class
     *                name, or an empty string
     * @param spanContext the span context current at the method's entry with {@code context=otel}
     *                ({@link #spanContext}), else null
     */
    public static void exitLong(int probeId, long start, long value, @Nullable Throwable thrown,
                              @Nullable Object spanContext) {
        if (start != 0L) {
            writeExitLong(probeId, start, value, thrown, spanContext);
        }
    }

    private static void writeExitLong(int probeId, long start, long value, @Nullable Throwable thrown,
                                    @Nullable Object spanContext) {
        EventRecord record = begin(probeId);
        try {
            finishExit(putLong(record, value), start, thrown, spanContext);
        } catch (Throwable e) {
            abandon(record, e);
        }
    }

    /**
     * Writes the exit event of a float method: {@code ret} as decimal text ({@link #putFloat}), then as {@link #exitVoid}.
     *
     * @param probeId the exit probe's id, as woven into the method
     * @param start   {@code System.nanoTime()} at the method's entry, from which {@code duration_ns} is counted;
     *                0 when the exit event was off as the method started: then nothing is written
     * @param value   the returned value (zero, false or null when the method threw)
     * @param thrown  what the method threw, or null when it returned; the {@code thrown} field holds its class
     *                name, or an empty string
     * @param spanContext the span context current at the method's entry with {@code context=otel}
     *                ({@link #spanContext}), else null
     */
    public static void exitFloat(int probeId, long start, float value, @Nullable Throwable thrown,
                              @Nullable Object spanContext) {
        if (start != 0L) {
            writeExitFloat(probeId, start, value, thrown, spanContext);
        }
    }

    private static void writeExitFloat(int probeId, long start, float value, @Nullable Throwable thrown,
                                    @Nullable Object spanContext) {
        EventRecord record = begin(probeId);
        try {
            finishExit(putFloat(record, value), start, thrown, spanContext);
        } catch (Throwable e) {
            abandon(record, e);
        }
    }

    /**
     * Writes the exit event of a double method: {@code ret} as decimal text ({@link #putDouble}), then as {@link #exitVoid}.
     *
     * @param probeId the exit probe's id, as woven into the method
     * @param start   {@code System.nanoTime()} at the method's entry, from which {@code duration_ns} is counted;
     *                0 when the exit event was off as the method started: then nothing is written
     * @param value   the returned value (zero, false or null when the method threw)
     * @param thrown  what the method threw, or null when it returned; the {@code thrown} field holds its class
     *                name, or an empty string
     * @param spanContext the span context current at the method's entry with {@code context=otel}
     *                ({@link #spanContext}), else null
     */
    public static void exitDouble(int probeId, long start, double value, @Nullable Throwable thrown,
                              @Nullable Object spanContext) {
        if (start != 0L) {
            writeExitDouble(probeId, start, value, thrown, spanContext);
        }
    }

    private static void writeExitDouble(int probeId, long start, double value, @Nullable Throwable thrown,
                                    @Nullable Object spanContext) {
        EventRecord record = begin(probeId);
        try {
            finishExit(putDouble(record, value), start, thrown, spanContext);
        } catch (Throwable e) {
            abandon(record, e);
        }
    }

    /**
     * Writes the exit event of a reference-returning method: {@code ret} as text ({@link #putObject}), then as {@link #exitVoid}.
     *
     * @param probeId the exit probe's id, as woven into the method
     * @param start   {@code System.nanoTime()} at the method's entry, from which {@code duration_ns} is counted;
     *                0 when the exit event was off as the method started: then nothing is written
     * @param value   the returned value (zero, false or null when the method threw)
     * @param thrown  what the method threw, or null when it returned; the {@code thrown} field holds its class
     *                name, or an empty string
     * @param spanContext the span context current at the method's entry with {@code context=otel}
     *                ({@link #spanContext}), else null
     */
    public static void exitObject(int probeId, long start, @Nullable Object value, @Nullable Throwable thrown,
                              @Nullable Object spanContext) {
        if (start != 0L) {
            writeExitObject(probeId, start, value, thrown, spanContext);
        }
    }

    private static void writeExitObject(int probeId, long start, @Nullable Object value, @Nullable Throwable thrown,
                                    @Nullable Object spanContext) {
        EventRecord record = begin(probeId);
        try {
            finishExit(putObject(record, value), start, thrown, spanContext);
        } catch (Throwable e) {
            abandon(record, e);
        }
    }

    /**
     * An exit event whose encoding was cut short by a throwable raised while entering one of our own
     * methods (a stack overflow): counts the drop and gives the buffer back unless commit already did.
     */
    private static void abandon(EventRecord record, Throwable failure) {
        Probe probe = record.probe;
        if (probe == null) {
            return; // NONE, or commit released it already
        }
        try {
            if (record.delivered) {
                return; // commit wrote and counted it, then overflowed releasing the buffer
            }
            faulted(probe, failure);
        } catch (Throwable e) {
            probe.racyDrops[e instanceof StackOverflowError ? 0 : e instanceof OutOfMemoryError ? 1 : 2]++;
            dropsToReport = true;
        } finally {
            POOL.release(record);
        }
    }

    private static void finishExit(EventRecord record, long start, @Nullable Throwable thrown,
                                   @Nullable Object spanContext) {
        putLong(record, System.nanoTime() - start);
        // Class.getName() caches its result: no allocation after the first time a class is thrown.
        putString(record, thrown == null ? "" : thrown.getClass().getName());
        Probe probe = record.probe;
        if (probe != null && probe.threadContext()) {
            putThreadContext(record);
        }
        if (probe != null && probe.otel()) {
            putSpanIds(record, spanContext);
        }
        if (probe != null && probe.stack() && record.failure == null) {
            try {
                // Left by a throwable, the method's frame is at our handler, which has no line of its own: the
                // line the JVM would name is the method's last, so it is left out.
                record.putString(CallStack.text(stackDepth, thrown != null));
            } catch (Throwable e) {
                record.failure = e;
            }
        }
        commit(record);
    }

    /**
     * The current OpenTelemetry span's context for a probe's event ({@code context=otel}), asked of the API its
     * class sees ({@code Span.current().getSpanContext()}) before the event's buffer is taken: asking runs the
     * application's context storage, which may itself call traced methods. A thread already asking gets null,
     * so this never recurses. Woven before {@link #begin} of an entry event with the ids, and at the entry of
     * a method whose exit event is on.
     *
     * @param probeId the probe whose event carries the ids
     * @return an {@code io.opentelemetry.api.trace.SpanContext} as Object; null when there is none to be had
     */
    public static @Nullable Object spanContext(int probeId) {
        try {
            Probe[] table = probes;
            Probe probe = probeId >= 0 && probeId < table.length ? table[probeId] : null;
            OtelSpans spans = probe == null ? null : probe.otelSpans();
            return spans == null ? null : spans.currentContext();
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * Appends the OpenTelemetry ids ({@code context=otel}) as two {@code __rel_loc char[]} fields,
     * {@code trace_id} (32 lowercase hex characters) then {@code span_id} (16), both empty without a valid span.
     *
     * @param record      the event, as the previous put returned it
     * @param spanContext what {@link #spanContext} gave for it, or null
     * @return {@code record}
     */
    public static EventRecord putSpanIds(EventRecord record, @Nullable Object spanContext) {
        Probe probe = record.probe;
        OtelSpans spans = probe == null ? null : probe.otelSpans();
        putString(record, spans == null ? "" : spans.traceId(spanContext));
        return putString(record, spans == null ? "" : spans.spanId(spanContext));
    }

    /** Bytes {@link #putThreadContext} appends: {@code java_tid} (s64) and {@code virtual} (u8). */
    public static final int THREAD_CONTEXT_BYTES = 9;
    /** {@code Thread.threadId()} (JDK 19+: final, unlike {@code getId()}), else {@code getId()}; (Thread)long. */
    private static final MethodHandle THREAD_ID = threadMethod("threadId", long.class, "getId", null);
    /** {@code Thread.isVirtual()} (JDK 21+), else false; (Thread)boolean. */
    private static final MethodHandle IS_VIRTUAL = threadMethod("isVirtual", boolean.class, null, false);

    /** Whether {@code thread} is virtual ({@code Thread.isVirtual()}, JDK 21+; false before and on any failure). */
    static boolean isVirtual(Thread thread) {
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * Appends the thread context ({@code context=thread}): {@code java_tid} as {@code s64}, the current
     * thread's {@code threadId()} ({@code getId()} before JDK 19), then {@code virtual} as {@code u8}, 1 on a
     * virtual thread (always 0 before JDK 21). Kernel tools show a virtual thread's carrier as {@code common_pid}.
     *
     * @param record the event, as the previous put returned it
     * @return {@code record}
     */
    public static EventRecord putThreadContext(EventRecord record) {
        if (record.failure == null) {
            try {
                Thread thread = Thread.currentThread();
                record.putLong((long) THREAD_ID.invokeExact(thread));
                record.putByte((boolean) IS_VIRTUAL.invokeExact(thread) ? (byte) 1 : (byte) 0);
            } catch (Throwable e) {
                record.failure = e;
            }
        }
        return record;
    }

    /**
     * Appends the calling Java stack ({@code @Tracepoint(stack = true)}) as a {@code __rel_loc char[]} field:
     * the frames below the agent's runtime, innermost first (the traced method), each {@code pkg.Class.method:line}
     * ({@code :line} left out where the class has no line numbers), separated by {@code ;}, at most
     * {@link #stackDepth()} frames, cut like any string ({@link #putString}). Allocates: a stack walk creates
     * its frame objects, and the text is built before it is encoded.
     *
     * @param record the event, as the previous put returned it
     * @return {@code record}
     */
    public static EventRecord putStack(EventRecord record) {
        if (record.failure == null) {
            try {
                record.putString(CallStack.text(stackDepth, false));
            } catch (Throwable e) {
                record.failure = e;
            }
        }
        return record;
    }

    /**
     * The most frames {@link #putStack} writes.
     *
     * @return the agent option {@code stackDepth}, 32 by default
     */
    public static int stackDepth() {
        return stackDepth;
    }

    /**
     * Sets {@link #stackDepth()} (agent option {@code stackDepth}).
     *
     * @param frames at least 1
     * @throws IllegalArgumentException if {@code frames} is less than 1
     */
    public static void setStackDepth(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("stack depth " + frames + ": at least 1 frame");
        }
        stackDepth = frames;
    }

    /** A {@code Thread} method of this JDK as (Thread)type: {@code name}, else {@code fallback}, else a constant. */
    private static MethodHandle threadMethod(String name, Class<?> type, @Nullable String fallback,
                                             @Nullable Object constant) {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        for (String candidate : new String[] {name, fallback}) {
            if (candidate != null) {
                try {
                    return lookup.findVirtual(Thread.class, candidate, MethodType.methodType(type));
                } catch (ReflectiveOperationException e) {
                    // older JDK: the next candidate
                }
            }
        }
        return MethodHandles.dropArguments(MethodHandles.constant(type, constant), 0, Thread.class);
    }

    /**
     * Writes the event (one {@code write()} system call) and gives the buffer back. A record a put marked
     * failed is not written: its failure is sorted by kind (a counted drop, or the probe switched off).
     *
     * @param record the event, as the last put returned it
     */
    public static void commit(EventRecord record) {
        Probe probe = record.probe;
        if (probe == null) {
            return; // EventRecord.NONE: begin() had no buffer and counted the drop
        }
        try {
            try {
                Throwable failure = record.failure;
                if (failure != null) {
                    faulted(probe, failure);
                } else if (!probe.isOff()) {
                    probe.write(record);
                }
            } catch (Throwable e) {
                if (record.delivered) {
                    probe.racyWritten++; // the write went through; counting it overflowed the stack
                } else {
                    faulted(probe, e);
                }
            }
        } catch (Throwable e) {
            // no stack left even to count: an array increment and a static store make no call
            probe.racyDrops[e instanceof StackOverflowError ? 0 : e instanceof OutOfMemoryError ? 1 : 2]++;
            dropsToReport = true;
        } finally {
            POOL.release(record);
        }
    }

    /** Sorts a failure by kind: a transient one drops this event, anything else switches the probe off. */
    private static void faulted(Probe probe, Throwable failure) {
        DropReason reason = DropReason.of(failure);
        if (reason != null) {
            probe.drop(reason);
        } else {
            probe.fail("encoding or writing an event threw", failure, "report it with this line");
        }
    }

    /**
     * The woven code's exception handler: a throwable escaped one of the calls above, which can only be a
     * {@link VirtualMachineError} raised while entering it (the calls catch everything inside). Drops the
     * event, counts it, and gives back the buffer this thread held for the probe. Never throws; if even this
     * call overflows the stack, the woven code's second handler drops the event uncounted.
     *
     * @param failure what escaped
     * @param probeId the probe whose event was being encoded
     */
    public static void dropped(Throwable failure, int probeId) {
        Probe probe = null;
        try {
            probe = probes[probeId];
            if (POOL.reclaim(Thread.currentThread(), probe)) {
                return; // commit wrote and counted the event, then overflowed releasing its buffer
            }
            faulted(probe, failure);
        } catch (Throwable e) {
            if (probe != null) {
                probe.racyDrops[e instanceof StackOverflowError ? 0 : e instanceof OutOfMemoryError ? 1 : 2]++;
                dropsToReport = true;
            }
        }
    }
}
