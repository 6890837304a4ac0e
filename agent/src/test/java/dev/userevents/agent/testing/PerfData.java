package dev.userevents.agent.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The tracepoint samples of a {@code perf.data} file ({@code perf record -o FILE}, not pipe mode), read as
 * tools/perf/Documentation/perf.data-file-format.txt and include/uapi/linux/perf_event.h lay it out: the
 * header's attribute and data sections, then each {@code PERF_RECORD_SAMPLE}'s fields in {@code sample_type}
 * order up to {@code PERF_SAMPLE_RAW}, whose bytes are the tracepoint's record: the 8 bytes of common fields
 * ({@code common_type}, flags, preempt count, {@code common_pid}), then what the process wrote after the
 * write index, then padding to 8 bytes.
 */
public final class PerfData {
    private static final int PERF_RECORD_SAMPLE = 9;
    private static final int PERF_TYPE_TRACEPOINT = 2;
    private static final long SAMPLE_IP = 1L;
    private static final long SAMPLE_TID = 1L << 1;
    private static final long SAMPLE_TIME = 1L << 2;
    private static final long SAMPLE_ADDR = 1L << 3;
    private static final long SAMPLE_READ = 1L << 4;
    private static final long SAMPLE_CALLCHAIN = 1L << 5;
    private static final long SAMPLE_ID = 1L << 6;
    private static final long SAMPLE_CPU = 1L << 7;
    private static final long SAMPLE_PERIOD = 1L << 8;
    private static final long SAMPLE_STREAM_ID = 1L << 9;
    private static final long SAMPLE_RAW = 1L << 10;
    private static final long SAMPLE_IDENTIFIER = 1L << 16;
    /** Bytes of a tracepoint record's common fields before the payload. */
    public static final int COMMON_FIELDS = 8;

    private PerfData() {
    }

    /**
     * One sample's raw tracepoint record, the process and thread perf saw, and its time (ns, perf's clock; 0
     * when the file has no times).
     */
    public record Sample(int pid, int tid, long time, byte[] raw) {
        /** {@return common_pid of the record: the writing thread's id, as the kernel names it} */
        public int commonPid() {
            return ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder()).getInt(4);
        }
    }

    /**
     * Every sample of the file, oldest first: perf writes each CPU's buffer in turn, so a thread that moved to
     * another CPU can appear out of order in the file; the samples are sorted by their time.
     *
     * @param file a perf.data file of one tracepoint's samples (perf's own extra events are skipped)
     * @return the samples
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a perf.data file, or a sample has a field this reader skips not
     */
    public static List<Sample> samples(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long magic = in.getLong(0);
        if (magic != 0x32454c4946524550L) { // "PERFILE2"
            throw new IllegalArgumentException(file + " is not a perf.data file (magic " + Long.toHexString(magic) + ")");
        }
        long attrSize = in.getLong(16); // a perf_file_attr: perf_event_attr, then the section of its sample ids
        long attrsOffset = in.getLong(24);
        long attrsSize = in.getLong(32);
        long dataOffset = in.getLong(40);
        long dataSize = in.getLong(48);
        // perf adds events of its own (a dummy one for side-band records, system-wide): the tracepoint's is the
        // one of type PERF_TYPE_TRACEPOINT (2); with several, samples start with PERF_SAMPLE_IDENTIFIER
        long sampleType = -1;
        Set<Long> ids = new HashSet<>();
        int events = (int) (attrsSize / attrSize);
        for (int i = 0; i < events; i++) {
            int attr = (int) (attrsOffset + i * attrSize);
            if (in.getInt(attr) == PERF_TYPE_TRACEPOINT) {
                if (sampleType != -1) {
                    throw new IllegalArgumentException(file + " has more than one tracepoint: record one");
                }
                sampleType = in.getLong(attr + 24); // perf_event_attr: type u32, size u32, config u64, period u64
                int idsAt = attr + (int) attrSize - 16;
                long idsOffset = in.getLong(idsAt);
                long idsSize = in.getLong(idsAt + 8);
                for (long at = idsOffset; at < idsOffset + idsSize; at += 8) {
                    ids.add(in.getLong((int) at));
                }
            }
        }
        if (sampleType == -1) {
            throw new IllegalArgumentException(file + " has no tracepoint event");
        }
        if (events > 1 && (sampleType & SAMPLE_IDENTIFIER) == 0) {
            throw new IllegalArgumentException(file + " has " + events + " events and samples without an identifier");
        }
        List<Sample> samples = new ArrayList<>();
        int position = (int) dataOffset;
        int end = (int) (dataOffset + dataSize);
        while (position < end) {
            int type = in.getInt(position);
            int size = in.getShort(position + 6) & 0xFFFF;
            if (size == 0) {
                break;
            }
            if (type == PERF_RECORD_SAMPLE && (events == 1 || ids.contains(in.getLong(position + 8)))) {
                samples.add(sample(in, position + 8, sampleType));
            }
            position += size;
        }
        samples.sort(java.util.Comparator.comparingLong(Sample::time)); // stable: equal times keep file order
        return samples;
    }

    private static Sample sample(ByteBuffer in, int at, long sampleType) {
        int p = at;
        int pid = -1;
        int tid = -1;
        if ((sampleType & (SAMPLE_READ | ~((SAMPLE_IDENTIFIER << 1) - 1))) != 0) {
            throw new IllegalArgumentException("sample_type 0x" + Long.toHexString(sampleType) + " has fields this reader does not skip");
        }
        if ((sampleType & SAMPLE_IDENTIFIER) != 0) {
            p += 8;
        }
        if ((sampleType & SAMPLE_IP) != 0) {
            p += 8;
        }
        if ((sampleType & SAMPLE_TID) != 0) {
            pid = in.getInt(p);
            tid = in.getInt(p + 4);
            p += 8;
        }
        long time = 0;
        if ((sampleType & SAMPLE_TIME) != 0) {
            time = in.getLong(p);
            p += 8;
        }
        if ((sampleType & SAMPLE_ADDR) != 0) {
            p += 8;
        }
        if ((sampleType & SAMPLE_ID) != 0) {
            p += 8;
        }
        if ((sampleType & SAMPLE_STREAM_ID) != 0) {
            p += 8;
        }
        if ((sampleType & SAMPLE_CPU) != 0) {
            p += 8;
        }
        if ((sampleType & SAMPLE_PERIOD) != 0) {
            p += 8;
        }
        if ((sampleType & SAMPLE_CALLCHAIN) != 0) {
            long frames = in.getLong(p);
            p += 8 + (int) frames * 8;
        }
        if ((sampleType & SAMPLE_RAW) == 0) {
            throw new IllegalArgumentException("samples without PERF_SAMPLE_RAW: not a tracepoint recording");
        }
        int rawSize = in.getInt(p);
        byte[] raw = new byte[rawSize];
        in.get(p + 4, raw);
        return new Sample(pid, tid, time, raw);
    }
}
