package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.runtime.EventRecord;
import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.agent.safety.WovenCall.Kind;
import dev.userevents.shim.DataFileEventSink;
import dev.userevents.shim.EnableWord;
import dev.userevents.shim.EnableWordArena;
import dev.userevents.shim.EventFormat;
import dev.userevents.shim.FieldType;
import dev.userevents.shim.Registration;
import dev.userevents.shim.Tracefs;
import dev.userevents.shim.UserEventsDataFile;
import dev.userevents.shim.hotpath.ChannelEventSink;
import dev.userevents.shim.hotpath.EventLayout;
import dev.userevents.shim.hotpath.EventSink;
import dev.userevents.testing.GuestTracefs;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.TraceInstance;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jspecify.annotations.Nullable;

/**
 * The encoder's bad-input events written to the real kernel: a registered user_event with a field of every
 * kind, random arguments from {@link BadInputs} encoded by {@link ProbeRuntime} and written through the agent's
 * two sinks (JNA's {@code write()} and the JDK's FileChannel). jqwik properties, one event per try: every write
 * must return the event's length (no EINVAL from {@code user_event_validate()}, no EFAULT), and every event must be
 * in {@code trace}, once, printing exactly the values the encoder's model says, cut strings included.
 *
 * <p>Shrinking is off: a try writes to the kernel and reads {@code trace}, slow under emulation, so shrinking ran
 * into jqwik's 10-second bound, and the shrinking thread it leaves running went on setting the runtime's string and
 * event bounds while the next properties ran (a CI run failed three of them for one double the encoder rounded
 * wrong). A failure reports its sample as generated; the encoder's host properties shrink.
 */
@KernelTest
class KernelAcceptsEncodedEventsKernelTest {
    private static final Kind[] KINDS = {Kind.INT, Kind.BOOLEAN, Kind.BYTE, Kind.SHORT, Kind.CHAR, Kind.LONG, Kind.STRING,
        Kind.DOUBLE, Kind.FLOAT, Kind.OBJECT, Kind.STRING};
    private static final String[] NAMES = {"seq", "flag", "small", "medium", "letter", "big", "text", "ratio", "share",
        "thing", "more"};
    /**
     * Tries per sink: each event is checked whole against its trace line (the loop this replaced wrote 1,000 and
     * checked 1 in 20). 300 keeps the class at about its old guest time (~40 s under emulation; 1,000 took 128 s).
     */
    private static final int EVENTS = 300;

    private final EnableWordArena arena = new EnableWordArena();
    /** The event a random-event property writes, registered at its first try. */
    private RandomEvents events;
    /** The formats a format property registered, unregistered after it. */
    private UserEventsDataFile formatsFile;
    private final List<EnableWord> formatWords = new ArrayList<>();
    private int formatsTried;
    private int formatFields;

    private static final Path USER_EVENTS_MAX = Path.of("/proc/sys/kernel/user_events_max");
    /** The limit found before this class, when it had to raise it; null when it did not. */
    private static @Nullable String limitRaisedFrom;

    /**
     * Makes room for this class's events under the machine-wide {@code kernel.user_events_max}, whatever an
     * earlier class left (FaultModelKernelTest once left 3: see {@code GuestTracefs.readSysctl}); the line printed
     * says what was found.
     */
    @BeforeContainer
    static void roomForTheseEvents() throws Exception {
        String limit = GuestTracefs.readSysctl(USER_EVENTS_MAX);
        long listed = Files.readAllLines(GuestTracefs.ROOT.resolve("dynamic_events")).stream()
            .filter(line -> line.startsWith("u:")).count();
        System.out.printf("kernel fuzz: user_events_max %s, %d user events listed in dynamic_events%n", limit, listed);
        if (Long.parseLong(limit) < listed + 1024) {
            limitRaisedFrom = limit;
            Files.writeString(USER_EVENTS_MAX, Long.toString(listed + 1024));
        }
    }

    @AfterContainer
    static void restoreTheLimit() throws Exception {
        if (limitRaisedFrom != null) {
            Files.writeString(USER_EVENTS_MAX, limitRaisedFrom);
        }
    }

    @AfterTry
    void restoreDefaultBounds() {
        ProbeRuntime.setMaxEventBytes(4000);
        ProbeRuntime.setMaxStringBytes(1024);
    }

    @AfterProperty
    void unregister() throws Exception {
        if (events != null) {
            events.close();
        }
        if (formatsFile != null) {
            try (UserEventsDataFile file = formatsFile) {
                for (EnableWord word : formatWords) {
                    file.unregister(word);
                }
            }
            System.out.printf("kernel fuzz: %d random formats (%d fields) built and registered by the kernel%n",
                formatWords.size(), formatFields);
        }
    }

    @Property(tries = EVENTS, shrinking = ShrinkingMode.OFF)
    void everyRandomEventWrittenThroughJnaIsAcceptedAndPrintsItsValues(@ForAll("calls") WovenCall call) throws Exception {
        write("safety_fuzz_jna", DataFileEventSink::new, 4000, 1024, call);
    }

    @Property(tries = EVENTS, shrinking = ShrinkingMode.OFF)
    void everyRandomEventWrittenThroughTheChannelIsAcceptedAndPrintsItsValues(@ForAll("calls") WovenCall call)
            throws Exception {
        write("safety_fuzz_channel", file -> ChannelEventSink.wrap(file.fd()), 4000, 1024, call);
    }

    /** Strings may take the whole default event bound: events up to 4000 bytes. */
    @Property(tries = EVENTS, shrinking = ShrinkingMode.OFF)
    void eventsFilledToTheDefault4000ByteBoundAreAcceptedAndPrintItsValues(@ForAll("calls") WovenCall call)
            throws Exception {
        write("safety_fuzz_full", DataFileEventSink::new, 4000, 4000, call);
    }

    /** Arguments of every kind, the first (the event's seq) replaced by the try's number. */
    @Provide
    Arbitrary<WovenCall> calls() {
        return BadInputs.callsWith(KINDS);
    }

    private void write(String eventName, Function<UserEventsDataFile, EventSink> sinkFor, int maxEventBytes,
                       int maxStringBytes, WovenCall call) throws Exception {
        if (events == null) {
            events = new RandomEvents(eventName, sinkFor, maxEventBytes, maxStringBytes);
        }
        events.writeAndCheck(call);
    }

    /**
     * One registered event in a trace instance of its own. Each try gets a fresh probe and sink on it, so that a
     * probe switched off or a refused write fails that try only and shrinking compares like with like.
     */
    private final class RandomEvents implements AutoCloseable {
        private final String eventName;
        private final int maxEventBytes;
        private final int maxStringBytes;
        private final UserEventsDataFile file;
        private final TraceInstance trace;
        private final EnableWord word;
        private final Registration registration;
        private final EventSink inner;
        private int seq;
        private int longest;

        RandomEvents(String eventName, Function<UserEventsDataFile, EventSink> sinkFor, int maxEventBytes,
                     int maxStringBytes) throws Exception {
            this.eventName = eventName;
            this.maxEventBytes = maxEventBytes;
            this.maxStringBytes = maxStringBytes;
            EventFormat format = new WovenCall(KINDS, new Object[KINDS.length]).format(eventName, NAMES);
            UserEventsDataFile openedFile = UserEventsDataFile.open(Tracefs.at(GuestTracefs.ROOT));
            TraceInstance createdTrace = null;
            try {
                createdTrace = TraceInstance.create(eventName, 16 * 1024);
                word = arena.allocate(4, 0);
                registration = openedFile.register(format, word);
                inner = sinkFor.apply(openedFile);
                assertNotNull(inner, "the JDK refused a FileChannel on user_events_data (JVM options of the module?)");
                createdTrace.enable("user_events", eventName);
            } catch (Exception | Error e) {
                try (UserEventsDataFile closing = openedFile; TraceInstance closingTrace = createdTrace) {
                    throw e;
                }
            }
            file = openedFile;
            trace = createdTrace;
        }

        void writeAndCheck(WovenCall generated) {
            ProbeRuntime.setMaxEventBytes(maxEventBytes);
            ProbeRuntime.setMaxStringBytes(maxStringBytes);
            int seq = this.seq++;
            Object[] values = generated.values.clone();
            values[0] = seq;
            WovenCall call = new WovenCall(KINDS, values);
            LengthCheckingSink sink = new LengthCheckingSink(inner);
            Probe probe = TestProbes.install(call.fixedSize(), call.stringFields(), registration.writeIndex(),
                word.address(), sink);
            trace.clear();
            call.encode(probe.id());
            byte[] traced = trace.readTrace();

            assertEquals(List.of(), sink.refused, "writes that did not return the event's length");
            assertFalse(probe.isOff(), "the probe switched itself off");
            assertEquals(1, probe.written());
            assertEquals(1, sink.events.size(), "events written");
            byte[] event = sink.events.get(0);
            longest = Math.max(longest, event.length);
            List<Object> decoded = call.verify(event, registration.writeIndex(), maxEventBytes, maxStringBytes);
            Map<Integer, Integer> lineAt = linesBySeq(traced, eventName);
            assertEquals(Set.of(seq), lineAt.keySet(), "events in trace");
            byte[] expected = call.traceLine(eventName, NAMES, decoded);
            int at = lineAt.get(seq);
            assertTrue(at + expected.length <= traced.length && ByteBuffer.wrap(traced, at, expected.length)
                    .equals(ByteBuffer.wrap(expected)),
                "event " + seq + " in trace:\n  expected " + new String(expected, StandardCharsets.UTF_8) + "  but was  "
                    + new String(traced, at, Math.min(expected.length + 40, traced.length - at), StandardCharsets.UTF_8));
        }

        /** Unregisters the event; no event may have been lost to a full ring buffer. */
        @Override
        public void close() throws Exception {
            long overrun;
            try (UserEventsDataFile file = this.file; TraceInstance trace = this.trace) {
                overrun = trace.stat("overrun");
                file.unregister(word);
            }
            assertEquals(0, overrun, "ring buffer overrun");
            System.out.printf("kernel fuzz: %s through %s: %d random events (stringBytes %d, eventBytes %d, longest %d"
                    + " bytes), each accepted (write returned the length) and in trace printing exactly the model's"
                    + " values%n", eventName, inner.name(), seq, maxStringBytes, maxEventBytes, longest);
        }
    }

    /**
     * Every event size the agent allows is recorded: events of 3996 bytes up to
     * {@link EventLayout#MAX_RECORDED_EVENT} (the most the eventBytes option takes), written one by one, each
     * accepted by write() and each in trace. The kernel's ring buffer silently drops larger events (4072 bytes
     * and up, measured), which is why the agent caps eventBytes there.
     */
    @Example
    void everyEventSizeTheAgentAllowsIsRecordedByTheKernel() throws Exception {
        String eventName = "safety_fuzz_size";
        Kind[] kinds = {Kind.INT, Kind.STRING};
        String[] names = {"seq", "text"};
        ProbeRuntime.setMaxStringBytes(EventRecord.CAPACITY);
        try (UserEventsDataFile file = UserEventsDataFile.open(Tracefs.at(GuestTracefs.ROOT));
             TraceInstance trace = TraceInstance.create(eventName, 1024)) {
            EnableWord word = arena.allocate(4, 0);
            Registration registration = file.register(new WovenCall(kinds, new Object[2]).format(eventName, names), word);
            LengthCheckingSink sink = new LengthCheckingSink(new DataFileEventSink(file));
            Probe probe = TestProbes.install(8, 1, registration.writeIndex(), word.address(), sink);
            trace.enable("user_events", eventName);
            trace.clear();
            String text = "x".repeat(5000);
            for (int size = 3996; size <= EventLayout.MAX_RECORDED_EVENT; size += 4) {
                ProbeRuntime.setMaxEventBytes(size);
                new WovenCall(kinds, new Object[] {size, text}).encode(probe.id());
            }
            Map<Integer, Integer> recorded = linesBySeq(trace.readTrace(), eventName);
            file.unregister(word);

            assertEquals(List.of(), sink.refused, "writes that did not return the event's length");
            List<Integer> lost = new ArrayList<>();
            for (int size = 3996; size <= EventLayout.MAX_RECORDED_EVENT; size += 4) {
                assertEquals(size, sink.events.get((size - 3996) / 4).length, "event size");
                if (!recorded.containsKey(size)) {
                    lost.add(size);
                }
            }
            System.out.printf("kernel fuzz: events of 3996..%d bytes (write index included) all recorded in trace%n",
                EventLayout.MAX_RECORDED_EVENT);
            assertEquals(List.of(), lost, "event sizes the agent allows but the kernel did not record");
        } finally {
            ProbeRuntime.setMaxEventBytes(4000);
        }
    }

    /**
     * Formats the builder accepts, with random fields of every type, are accepted by the kernel's parser: each try
     * builds one from 0 to 70 attempted fields (those the builder refuses are left out) and registers it under a name
     * of its own; all are unregistered after the property.
     */
    @Property(tries = 200, shrinking = ShrinkingMode.OFF)
    void randomFormatsTheBuilderAcceptsAreRegisteredByTheKernel(@ForAll("fieldAttempts") List<FieldAttempt> attempts)
            throws Exception {
        if (formatsFile == null) {
            formatsFile = UserEventsDataFile.open(Tracefs.at(GuestTracefs.ROOT));
        }
        int i = formatsTried++; // a name of its own for every try, shrinking's included
        EventFormat format = EventFormat.named("safety_fmt_" + i);
        for (int attempt = 0; attempt < attempts.size(); attempt++) {
            FieldAttempt field = attempts.get(attempt);
            String name = field.plainName ? "f" + i + "_" + attempt : field.name;
            try {
                format = field.type == FieldType.CHAR_ARRAY ? format.charArray(name, field.arrayLength)
                    : format.with(field.type, name);
            } catch (IllegalArgumentException refusedByTheBuilder) {
                // the builder's own property test checks these
            }
        }
        EventFormatPropertyTest.checkBuildable(format);
        EnableWord word = arena.allocate(4, 0);
        formatsFile.register(format, word);
        formatWords.add(word);
        formatFields += format.fields().size();
    }

    /**
     * Half the time a plain name ({@code f<format>_<attempt>}), else one of the builder's property test's names; a
     * type; an array length of 1 to 1024 for char[].
     */
    @Provide
    Arbitrary<List<FieldAttempt>> fieldAttempts() {
        return Combinators.combine(Arbitraries.of(true, false), EventFormatPropertyTest.names(),
                Arbitraries.of(FieldType.class), Arbitraries.integers().between(1, 1024).withDistribution(RandomDistribution.uniform()))
            .as(FieldAttempt::new)
            .list().ofMaxSize(70).withSizeDistribution(RandomDistribution.uniform());
    }

    /** One field to add: its name (unless a plain one), type and array length. */
    static final class FieldAttempt {
        final boolean plainName;
        final String name;
        final FieldType type;
        final int arrayLength;

        FieldAttempt(boolean plainName, String name, FieldType type, int arrayLength) {
            this.plainName = plainName;
            this.name = name;
            this.type = type;
            this.arrayLength = arrayLength;
        }

        @Override
        public String toString() {
            return type + (type == FieldType.CHAR_ARRAY ? "[" + arrayLength + "] " : " ")
                + (plainName ? "plain name" : WovenCall.describe(name));
        }
    }

    /** Where each event's line starts ("NAME: seq=0x..."), by its seq field. */
    private static Map<Integer, Integer> linesBySeq(byte[] trace, String eventName) {
        byte[] marker = (eventName + ": seq=0x").getBytes(StandardCharsets.US_ASCII);
        Map<Integer, Integer> lines = new HashMap<>();
        for (int i = 0; i + marker.length <= trace.length; i++) {
            if (trace[i] != marker[0] || !ByteBuffer.wrap(trace, i, marker.length).equals(ByteBuffer.wrap(marker))) {
                continue;
            }
            int end = i + marker.length;
            while (trace[end] != ' ') {
                end++;
            }
            int seq = Integer.parseUnsignedInt(new String(trace, i + marker.length, end - i - marker.length,
                StandardCharsets.US_ASCII), 16);
            Integer previous = lines.put(seq, i);
            assertTrue(previous == null, "event " + seq + " twice in trace");
            i = end;
        }
        return lines;
    }

    /** Passes writes on, keeps a copy of each event, and notes every result that is not the event's length. */
    private static final class LengthCheckingSink implements EventSink {
        private final EventSink inner;
        final List<byte[]> events = new ArrayList<>();
        final List<String> refused = new ArrayList<>();

        LengthCheckingSink(EventSink inner) {
            this.inner = inner;
        }

        @Override
        public long write(ByteBuffer buffer, long address, int length) {
            byte[] copy = new byte[length];
            buffer.get(0, copy, 0, length);
            events.add(copy);
            long result = inner.write(buffer, address, length);
            if (result != length && refused.size() < 20) {
                refused.add("event " + (events.size() - 1) + " of " + length + " bytes: write returned " + result);
            }
            return result;
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
