import dev.userevents.agent.runtime.EventRecord;
import dev.userevents.agent.runtime.LogEvents;
import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.shim.DevNullEventSink;
import dev.userevents.shim.EnableWordStores;
import dev.userevents.shim.hotpath.EventSink;
import dev.userevents.shim.hotpath.JdkPwriteEventSink;
import dev.userevents.shim.hotpath.NativeWords;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Thread CPU time per enabled-probe call: the calls woven code makes (begin, putInt, putLong, putString of
 * 16 chars, commit), with the probe id a constant as in woven code. CPU time, unlike JMH's wall time, does not
 * count the time the thread waits for a core, which on a shared 2-core machine is most of the noise. Not a
 * replacement for benchmarks/run.sh: a way to compare two builds of the runtime on a busy machine.
 * See benchmarks/cputime/run.sh and docs/NOTES.md.
 *
 * <p>Args: mode rounds callsPerRound warmupRounds. Modes: empty (begin + commit), fixed (+ int, long),
 * null (+ 16-char string; sink does nothing), str0 / str64 (empty / 64-char string), pwrite (the whole probe
 * through JdkPwriteEventSink to /dev/null), pwriteAlone (the sink alone, an encoded 37-byte event); log
 * (a log bridge's write: {@code LogEvents.write} of a DEBUG record, logger, message, this thread's name and no
 * throwable, null sink), logNoThread (the same, run on a thread named "t"), fourStrings (the log event's four
 * strings as woven code writes a probe's), fourEmpty (four empty strings), loggerOnly, messageOnly, threadOnly and
 * oneLong (the int-long-string probe with the logger name, the message, the thread's name, or a 121-char string).
 */
public final class CpuTimeLoop {
    static final class NullSink implements EventSink {
        @Override
        public long write(ByteBuffer buffer, long address, int length) {
            return length;
        }

        @Override
        public String name() {
            return "null";
        }
    }

    static final ByteBuffer WORD_MEMORY = ByteBuffer.allocateDirect(8);
    static final long WORD = NativeWords.addressOf(WORD_MEMORY);
    static final DevNullEventSink JNA = DevNullEventSink.open();
    static final EventSink PWRITE = JdkPwriteEventSink.wrap(JNA.fd(), JNA);
    static final int NULL_PROBE = install(new NullSink());
    static final int PWRITE_PROBE = install(PWRITE);
    static final String CUSTOMER = "customer-0000001";
    /** The benchmarks' logger and message (LogCalls): a 44-char logger name, a 33-char message. */
    static final String LOGGER = "dev.userevents.benchmarks.LogCalls.Logback.x";
    static final String MESSAGE = "order 1234567 for customer-000001";
    static final int LOG_PROBE = installLog();
    static final int FOUR_STRINGS_PROBE = installFourStrings();
    static final String LONG_CUSTOMER = CUSTOMER + CUSTOMER + CUSTOMER + CUSTOMER;

    static {
        EnableWordStores.storeInt(WORD, 0xff); // every probe's bit, the log events' five included
        if (PWRITE == null) {
            throw new IllegalStateException("JdkPwriteEventSink refused: needs --add-opens java.base/java.io and sun.nio.ch");
        }
    }

    int id = 42;
    long cents = 1_999L;
    String customer = CUSTOMER;
    final ByteBuffer buffer = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
    final long address = NativeWords.addressOf(buffer);

    static int installFourStrings() {
        int id = ProbeRuntime.nextProbeId();
        ProbeRuntime.install(new Probe(id, "four", "four", 9, WORD, 16, 4, new NullSink()));
        return id;
    }

    /** The log event's four strings written as woven code writes a probe's: begin, four puts, commit. */
    static long fourStrings(String logger, String message) {
        if (NativeWords.loInt(WORD) != 0) {
            EventRecord r = ProbeRuntime.begin(FOUR_STRINGS_PROBE);
            r = ProbeRuntime.putString(r, logger);
            r = ProbeRuntime.putString(r, message);
            r = ProbeRuntime.putString(r, Thread.currentThread().getName());
            r = ProbeRuntime.putString(r, "");
            ProbeRuntime.commit(r);
        }
        return message.length();
    }

    static long fourEmpty() {
        if (NativeWords.loInt(WORD) != 0) {
            EventRecord r = ProbeRuntime.begin(FOUR_STRINGS_PROBE);
            r = ProbeRuntime.putString(r, "");
            r = ProbeRuntime.putString(r, "");
            r = ProbeRuntime.putString(r, "");
            r = ProbeRuntime.putString(r, "");
            ProbeRuntime.commit(r);
        }
        return 1;
    }

    static int installLog() {
        int id = ProbeRuntime.nextProbeId();
        LogEvents.install(LogEvents.DEBUG, new Probe(id, "log_debug", "log bridge", 8, WORD, LogEvents.DEBUG, 16, 4,
            new NullSink()));
        return id;
    }

    static int install(EventSink sink) {
        int id = ProbeRuntime.nextProbeId();
        ProbeRuntime.install(new Probe(id, "bench", "place", 7, WORD, 16, 1, sink));
        return id;
    }

    // What EntryProbeWeaver emits into Orders.place, once per sink.
    static long placeNull(int id, long cents, String customer) {
        if (NativeWords.loInt(WORD) != 0) {
            EventRecord r = ProbeRuntime.begin(NULL_PROBE);
            r = ProbeRuntime.putInt(r, id);
            r = ProbeRuntime.putLong(r, cents);
            r = ProbeRuntime.putString(r, customer);
            ProbeRuntime.commit(r);
        }
        return id * 31L + cents + customer.length();
    }

    static long placeNullFixed(int id, long cents, String customer) {
        if (NativeWords.loInt(WORD) != 0) {
            EventRecord r = ProbeRuntime.begin(NULL_PROBE);
            r = ProbeRuntime.putInt(r, id);
            r = ProbeRuntime.putLong(r, cents);
            ProbeRuntime.commit(r);
        }
        return id * 31L + cents + customer.length();
    }

    static long placeNullEmpty(int id, long cents, String customer) {
        if (NativeWords.loInt(WORD) != 0) {
            ProbeRuntime.commit(ProbeRuntime.begin(NULL_PROBE));
        }
        return id * 31L + cents + customer.length();
    }

    static long placePwrite(int id, long cents, String customer) {
        if (NativeWords.loInt(WORD) != 0) {
            EventRecord r = ProbeRuntime.begin(PWRITE_PROBE);
            r = ProbeRuntime.putInt(r, id);
            r = ProbeRuntime.putLong(r, cents);
            r = ProbeRuntime.putString(r, customer);
            ProbeRuntime.commit(r);
        }
        return id * 31L + cents + customer.length();
    }

    static long log(String logger, String message) {
        LogEvents.write(LogEvents.DEBUG, logger, message, null);
        return message.length();
    }

    public static void main(String[] args) {
        String mode = args[0];
        // JMH's worker thread's name is about this long; the log modes write the thread's name
        Thread.currentThread().setName(mode.equals("logNoThread") ? "t"
            : "dev.userevents.benchmarks.LogBridgeEnabledBenchmark.logbackDevnull-jmh-worker-1");
        int rounds = Integer.parseInt(args[1]);
        int calls = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        CpuTimeLoop state = new CpuTimeLoop();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] cpu = new double[rounds];
        long sum = 0;
        for (int round = -warmup; round < rounds; round++) {
            long start = threads.getCurrentThreadCpuTime();
            sum += run(mode, state, calls);
            long end = threads.getCurrentThreadCpuTime();
            if (round >= 0) {
                cpu[round] = (end - start) / (double) calls;
            }
        }
        double[] sorted = cpu.clone();
        Arrays.sort(sorted);
        System.out.printf("%s cpu_median=%.1f cpu_min=%.1f access=%s%n", mode, sorted[rounds / 2], sorted[0],
            NativeWords.accessName());
        if (sum == 42) {
            System.out.println();
        }
    }

    static long run(String mode, CpuTimeLoop s, int calls) {
        long sum = 0;
        switch (mode) {
            case "empty": for (int i = 0; i < calls; i++) sum += placeNullEmpty(s.id, s.cents, s.customer); break;
            case "fixed": for (int i = 0; i < calls; i++) sum += placeNullFixed(s.id, s.cents, s.customer); break;
            case "null": for (int i = 0; i < calls; i++) sum += placeNull(s.id, s.cents, s.customer); break;
            case "str0": for (int i = 0; i < calls; i++) sum += placeNull(s.id, s.cents, ""); break;
            case "str64": for (int i = 0; i < calls; i++) sum += placeNull(s.id, s.cents, LONG_CUSTOMER); break;
            case "pwrite": for (int i = 0; i < calls; i++) sum += placePwrite(s.id, s.cents, s.customer); break;
            case "pwriteAlone": for (int i = 0; i < calls; i++) sum += PWRITE.write(s.buffer, s.address, 37); break;
            case "log": case "logNoThread": for (int i = 0; i < calls; i++) sum += log(LOGGER, MESSAGE); break;
            case "fourStrings": for (int i = 0; i < calls; i++) sum += fourStrings(LOGGER, MESSAGE); break;
            case "loggerOnly": for (int i = 0; i < calls; i++) sum += placeNull(s.id, s.cents, LOGGER); break;
            case "messageOnly": for (int i = 0; i < calls; i++) sum += placeNull(s.id, s.cents, MESSAGE); break;
            case "threadOnly": for (int i = 0; i < calls; i++) sum += placeNull(s.id, s.cents, Thread.currentThread().getName()); break;
            case "fourEmpty": for (int i = 0; i < calls; i++) sum += fourEmpty(); break;
            case "oneLong": for (int i = 0; i < calls; i++) sum += placeNull(s.id, s.cents, LOGGER + MESSAGE + LOGGER); break;
            default: throw new IllegalArgumentException("unknown mode " + mode);
        }
        return sum;
    }
}
