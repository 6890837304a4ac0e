package dev.userevents.agent.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /** One sample's raw tracepoint record and the pid perf saw. */
    public record Sample(int pid, byte[] raw) {
        /** {@return common_pid of the record} */
        public int commonPid() {
            return ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder()).getInt(4);
        }
    }

    /**
     * Every sample of the file, oldest first (perf writes them in time order per round; one CPU's are ordered).
     *
     * @param file a perf.data file of tracepoint samples from one event (one attribute)
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
        long attrSize = in.getLong(16);
        long attrsOffset = in.getLong(24);
        long attrsSize = in.getLong(32);
        long dataOffset = in.getLong(40);
        long dataSize = in.getLong(48);
        if (attrsSize / attrSize != 1) {
            throw new IllegalArgumentException(file + " has " + attrsSize / attrSize + " events: record one");
        }
        long sampleType = in.getLong((int) attrsOffset + 24); // perf_event_attr: type u32, size u32, config u64, period u64
        List<Sample> samples = new ArrayList<>();
        int position = (int) dataOffset;
        int end = (int) (dataOffset + dataSize);
        while (position < end) {
            int type = in.getInt(position);
            int size = in.getShort(position + 6) & 0xFFFF;
            if (size == 0) {
                break;
            }
            if (type == PERF_RECORD_SAMPLE) {
                samples.add(sample(in, position + 8, sampleType));
            }
            position += size;
        }
        return samples;
    }

    private static Sample sample(ByteBuffer in, int at, long sampleType) {
        int p = at;
        int pid = -1;
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
            p += 8;
        }
        if ((sampleType & SAMPLE_TIME) != 0) {
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
        return new Sample(pid, raw);
    }
}
