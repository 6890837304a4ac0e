package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.runtime.EventRecord;
import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.agent.safety.RandomCall.Kind;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The encoder's bad-input events written to the real kernel: a registered user_event with a field of every
 * kind, random arguments from {@link RandomInputs} encoded by {@link ProbeRuntime} and written through the
 * agent's two sinks (JNA's {@code write()} and the JDK's FileChannel). Every write must return the event's
 * length (no EINVAL from {@code user_event_validate()}, no EFAULT), every event must be in {@code trace}, and
 * sampled events must print exactly the values the encoder's model says, cut strings included.
 */
@KernelTest
class KernelAcceptsEncodedEventsKernelTest {
    private static final Kind[] KINDS = {Kind.INT, Kind.BOOLEAN, Kind.BYTE, Kind.SHORT, Kind.CHAR, Kind.LONG, Kind.STRING,
        Kind.DOUBLE, Kind.FLOAT, Kind.OBJECT, Kind.STRING};
    private static final String[] NAMES = {"seq", "flag", "small", "medium", "letter", "big", "text", "ratio", "share",
        "thing", "more"};
    private static final int EVENTS = 1000;
    private static final int SAMPLE_EVERY = 20;

    private final EnableWordArena arena = new EnableWordArena();

    @AfterEach
    void restoreDefaultBounds() {
        ProbeRuntime.setMaxEventBytes(4000);
        ProbeRuntime.setMaxStringBytes(1024);
    }

    @Test
    void everyRandomEventWrittenThroughJnaIsAcceptedAndPrintsItsValues_1000Events() throws Exception {
        writeRandomEvents("safety_fuzz_jna", DataFileEventSink::new, 4000, 1024, RandomInputs.SEED);
    }

    @Test
    void everyRandomEventWrittenThroughTheChannelIsAcceptedAndPrintsItsValues_1000Events() throws Exception {
        writeRandomEvents("safety_fuzz_channel", file -> ChannelEventSink.wrap(file.fd()), 4000, 1024, RandomInputs.SEED + 1);
    }

    /** Strings may take the whole default event bound: events up to 4000 bytes. */
    @Test
    void eventsFilledToTheDefault4000ByteBoundAreAcceptedAndPrintItsValues_1000Events() throws Exception {
        writeRandomEvents("safety_fuzz_full", DataFileEventSink::new, 4000, 4000, RandomInputs.SEED + 2);
    }

    private void writeRandomEvents(String eventName, Function<UserEventsDataFile, EventSink> sinkFor, int maxEventBytes,
                                   int maxStringBytes, long seed) throws Exception {
        ProbeRuntime.setMaxEventBytes(maxEventBytes);
        ProbeRuntime.setMaxStringBytes(maxStringBytes);
        EventFormat format = new RandomCall(KINDS, new Object[KINDS.length]).format(eventName, NAMES);
        try (UserEventsDataFile file = UserEventsDataFile.open(Tracefs.at(GuestTracefs.ROOT));
             TraceInstance trace = TraceInstance.create(eventName, 16 * 1024)) {
            EnableWord word = arena.allocate(4, 0);
            Registration registration = file.register(format, word);
            EventSink inner = sinkFor.apply(file);
            assertNotNull(inner, "the JDK refused a FileChannel on user_events_data (JVM options of the module?)");
            LengthCheckingSink sink = new LengthCheckingSink(inner);
            Probe probe = TestProbes.install(format.fixedSize(), 5, registration.writeIndex(), word.address(), sink);
            trace.enable("user_events", eventName);
            trace.clear();

            RandomInputs in = new RandomInputs(seed);
            List<RandomCall> calls = new ArrayList<>();
            for (int seq = 0; seq < EVENTS; seq++) {
                RandomCall call = RandomCall.withKinds(KINDS, in);
                call.values[0] = seq;
                calls.add(call);
                call.encode(probe.id());
            }
            byte[] traced = trace.readTrace();
            long overrun = trace.stat("overrun");
            file.unregister(word);

            assertEquals(List.of(), sink.refused, "writes that did not return the event's length");
            assertFalse(probe.isOff(), "the probe switched itself off");
            assertEquals(EVENTS, probe.written());
            assertEquals(0, overrun, "ring buffer overrun");
            Map<Integer, Integer> lineAt = linesBySeq(traced, eventName);
            assertEquals(EVENTS, lineAt.size(), "events in trace");
            int sampled = 0;
            int longest = 0;
            for (int seq = 0; seq < EVENTS; seq++) {
                byte[] event = sink.events.get(seq);
                longest = Math.max(longest, event.length);
                if (seq % SAMPLE_EVERY != 0) {
                    continue;
                }
                RandomCall call = calls.get(seq);
                List<Object> decoded = call.verify(event, registration.writeIndex(), maxEventBytes, maxStringBytes);
                byte[] expected = call.traceLine(eventName, NAMES, decoded);
                int at = lineAt.get(seq);
                assertTrue(at + expected.length <= traced.length && ByteBuffer.wrap(traced, at, expected.length)
                        .equals(ByteBuffer.wrap(expected)),
                    "event " + seq + " in trace:\n  expected " + new String(expected, StandardCharsets.UTF_8) + "  but was  "
                        + new String(traced, at, Math.min(expected.length + 40, traced.length - at), StandardCharsets.UTF_8));
                sampled++;
            }
            System.out.printf("kernel fuzz: %s through %s: %d random events (stringBytes %d, eventBytes %d, longest %d"
                    + " bytes) all accepted (write returned the length) and in trace; %d sampled print exactly the"
                    + " model's values%n", eventName, inner.name(), EVENTS, maxStringBytes, maxEventBytes, longest, sampled);
        }
    }

    /**
     * Every event size the agent allows is recorded: events of 3996 bytes up to
     * {@link EventLayout#MAX_RECORDED_EVENT} (the most the eventBytes option takes), written one by one, each
     * accepted by write() and each in trace. The kernel's ring buffer silently drops larger events (4072 bytes
     * and up, measured), which is why the agent caps eventBytes there.
     */
    @Test
    void everyEventSizeTheAgentAllowsIsRecordedByTheKernel() throws Exception {
        String eventName = "safety_fuzz_size";
        Kind[] kinds = {Kind.INT, Kind.STRING};
        String[] names = {"seq", "text"};
        ProbeRuntime.setMaxStringBytes(EventRecord.CAPACITY);
        try (UserEventsDataFile file = UserEventsDataFile.open(Tracefs.at(GuestTracefs.ROOT));
             TraceInstance trace = TraceInstance.create(eventName, 1024)) {
            EnableWord word = arena.allocate(4, 0);
            Registration registration = file.register(new RandomCall(kinds, new Object[2]).format(eventName, names), word);
            LengthCheckingSink sink = new LengthCheckingSink(new DataFileEventSink(file));
            Probe probe = TestProbes.install(8, 1, registration.writeIndex(), word.address(), sink);
            trace.enable("user_events", eventName);
            trace.clear();
            String text = "x".repeat(5000);
            for (int size = 3996; size <= EventLayout.MAX_RECORDED_EVENT; size += 4) {
                ProbeRuntime.setMaxEventBytes(size);
                new RandomCall(kinds, new Object[] {size, text}).encode(probe.id());
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

    /** Formats the builder accepts, with random fields of every type, are accepted by the kernel's parser. */
    @Test
    void randomFormatsTheBuilderAcceptsAreRegisteredByTheKernel_200Formats() throws Exception {
        Random random = new Random(RandomInputs.SEED);
        RandomInputs in = new RandomInputs(RandomInputs.SEED + 3);
        List<EnableWord> words = new ArrayList<>();
        int fields = 0;
        try (UserEventsDataFile file = UserEventsDataFile.open(Tracefs.at(GuestTracefs.ROOT))) {
            for (int i = 0; i < 200; i++) {
                EventFormat format = EventFormat.named("safety_fmt_" + i);
                int wanted = random.nextInt(40);
                for (int attempt = 0; attempt < 200 && format.fields().size() < wanted; attempt++) {
                    // Field names from the builder's own property test, minus the long random texts (slow here)
                    String name = random.nextBoolean() ? "f" + i + "_" + attempt : EventFormatPropertyTest.name(in);
                    FieldType type = FieldType.values()[random.nextInt(FieldType.values().length)];
                    try {
                        format = type == FieldType.CHAR_ARRAY ? format.charArray(name, 1 + random.nextInt(1024))
                            : format.with(type, name);
                    } catch (IllegalArgumentException refusedByTheBuilder) {
                        // the builder's own property test checks these
                    }
                }
                EventFormatPropertyTest.checkBuildable(format);
                EnableWord word = arena.allocate(4, 0);
                file.register(format, word);
                words.add(word);
                fields += format.fields().size();
            }
            for (EnableWord word : words) {
                file.unregister(word);
            }
        }
        System.out.printf("kernel fuzz: 200 random formats (%d fields) built and registered by the kernel%n", fields);
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
