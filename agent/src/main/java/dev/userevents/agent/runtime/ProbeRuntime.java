package dev.userevents.agent.runtime;

import java.nio.charset.StandardCharsets;

/**
 * The calls woven into each {@code @Tracepoint} method. Only after the method's enable word reads
 * non-zero does woven code run:
 * <pre>{@code
 *   EventRecord r = ProbeRuntime.begin(probeId);
 *   r = ProbeRuntime.putInt(r, id);          // one put per parameter, in order
 *   r = ProbeRuntime.putString(r, customer);
 *   ProbeRuntime.commit(r);                   // one write() system call
 * }</pre>
 * Every method catches everything: a failure marks the record, {@link #commit} then switches the probe
 * off and logs once, and the application never sees it. Nothing here allocates unless an argument's
 * {@code toString()} does.
 */
public final class ProbeRuntime {
    private static final byte[] TO_STRING_THREW = "(toString threw)".getBytes(StandardCharsets.US_ASCII);

    private static final RecordPool POOL = new RecordPool(poolSize());

    private static volatile Probe[] probes = new Probe[64];
    private static boolean installed;
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_ID = new java.util.concurrent.atomic.AtomicInteger();
    private static volatile int maxEventBytes = 4000;
    private static volatile int maxStringBytes = 1024;

    private ProbeRuntime() {
    }

    private static int poolSize() {
        int cpus = Runtime.getRuntime().availableProcessors();
        return Integer.getInteger("userevents.buffers", Math.min(256, Math.max(16, cpus * 4)));
    }

    /**
     * True for the first agent installation in this JVM, false afterwards: a second {@code -javaagent} or
     * {@code attach} must not weave every probe a second time. Lives here because this class is the one
     * copy all agent loads share (the bootstrap loader's).
     */
    public static synchronized boolean claimInstallation() {
        if (installed) {
            return false;
        }
        installed = true;
        return true;
    }

    /** A probe id no other probe in this JVM has. */
    public static int nextProbeId() {
        return NEXT_ID.getAndIncrement();
    }

    /** Publishes a probe so woven code can find it by id; called before the woven class is defined. */
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

    public static Probe probe(int id) {
        Probe[] table = probes;
        return id >= 0 && id < table.length ? table[id] : null;
    }

    /** Most bytes one event may take, write index included; strings are cut to fit. */
    public static int maxEventBytes() {
        return maxEventBytes;
    }

    public static void setMaxEventBytes(int bytes) {
        if (bytes < 64 || bytes > EventRecord.MAX_RECORDED_EVENT) {
            throw new IllegalArgumentException("maximum event size " + bytes + ": use 64.." + EventRecord.MAX_RECORDED_EVENT
                + " (larger events are dropped by the kernel's ring buffer)");
        }
        maxEventBytes = bytes;
    }

    /** Most bytes of one string field, NUL excluded. */
    public static int maxStringBytes() {
        return maxStringBytes;
    }

    public static void setMaxStringBytes(int bytes) {
        if (bytes < 8) {
            throw new IllegalArgumentException("string bound " + bytes + ": use at least 8 bytes");
        }
        maxStringBytes = bytes;
    }

    /** Buffers shared by all threads. */
    public static int bufferCount() {
        return POOL.size();
    }

    public static EventRecord begin(int probeId) {
        EventRecord record = POOL.acquire();
        try {
            record.start(probes[probeId], maxEventBytes);
        } catch (Throwable e) {
            record.failure = e;
        }
        return record;
    }

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

    public static EventRecord putChar(EventRecord record, char value) {
        return putShort(record, (short) value);
    }

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

    public static EventRecord putFloat(EventRecord record, float value) {
        return putDecimal(record, value, DecimalText.FLOAT_DIGITS);
    }

    public static EventRecord putDouble(EventRecord record, double value) {
        return putDecimal(record, value, DecimalText.DOUBLE_DIGITS);
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

    public static EventRecord putString(EventRecord record, String value) {
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
     * does, and a throwing {@code toString()} becomes "(toString threw)".
     */
    public static EventRecord putObject(EventRecord record, Object value) {
        if (record.failure != null) {
            return record;
        }
        String text;
        try {
            text = value == null ? null : value instanceof Enum ? ((Enum<?>) value).name() : value.toString();
        } catch (Throwable e) {
            try {
                record.putAsciiString(TO_STRING_THREW);
            } catch (Throwable encodingFailure) {
                record.failure = encodingFailure;
            }
            return record;
        }
        return putString(record, text);
    }

    // Exit events: [ret][s64 duration_ns][__rel_loc thrown]. A record's fixed part is the return value's
    // size plus 12, which is how exitInt tells an s8, s16/u16 or s32 return field apart.
    private static final int EXIT_TRAILER_BYTES = 12;

    public static void exitVoid(int probeId, long start, Throwable thrown) {
        finishExit(begin(probeId), start, thrown);
    }

    public static void exitBoolean(int probeId, long start, boolean value, Throwable thrown) {
        finishExit(putBoolean(begin(probeId), value), start, thrown);
    }

    /** byte, short, char and int returns, widened to int by the advice. */
    public static void exitInt(int probeId, long start, int value, Throwable thrown) {
        EventRecord record = begin(probeId);
        Probe probe = record.probe;
        int size = probe == null ? 4 : probe.fixedSize() - EXIT_TRAILER_BYTES;
        if (size == 1) {
            putByte(record, (byte) value);
        } else if (size == 2) {
            putShort(record, (short) value);
        } else {
            putInt(record, value);
        }
        finishExit(record, start, thrown);
    }

    public static void exitLong(int probeId, long start, long value, Throwable thrown) {
        finishExit(putLong(begin(probeId), value), start, thrown);
    }

    public static void exitFloat(int probeId, long start, float value, Throwable thrown) {
        finishExit(putFloat(begin(probeId), value), start, thrown);
    }

    public static void exitDouble(int probeId, long start, double value, Throwable thrown) {
        finishExit(putDouble(begin(probeId), value), start, thrown);
    }

    public static void exitObject(int probeId, long start, Object value, Throwable thrown) {
        finishExit(putObject(begin(probeId), value), start, thrown);
    }

    private static void finishExit(EventRecord record, long start, Throwable thrown) {
        putLong(record, System.nanoTime() - start);
        // Class.getName() caches its result: no allocation after the first time a class is thrown.
        putString(record, thrown == null ? "" : thrown.getClass().getName());
        commit(record);
    }

    /** Writes the event (one system call) and gives the buffer back. */
    public static void commit(EventRecord record) {
        Probe probe = record.probe;
        try {
            if (probe == null) {
                return; // begin() failed before it knew the probe: nothing to switch off
            }
            if (record.failure != null) {
                probe.fail("encoding an event failed", record.failure);
            } else if (!probe.isOff()) {
                probe.write(record);
            }
        } catch (Throwable e) {
            if (probe != null) {
                probe.fail("writing an event failed", e);
            }
        } finally {
            POOL.release(record);
        }
    }
}
