package dev.userevents.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.testing.CapturedLog;
import dev.userevents.agent.testing.CapturingSink;
import dev.userevents.agent.testing.EnableWords;
import dev.userevents.agent.testing.InstalledProbes;
import dev.userevents.shim.hotpath.EventSink;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a failed write or encoding does, by fault kind: a permanent failure switches the probe off for good
 * and logs one line; a tracer that detached between the enable check and the write is a race, counted and
 * forgotten; a transient fault (a VirtualMachineError, EINTR, EAGAIN, EFAULT) drops that one event, counts
 * it and leaves the probe on. The application never sees any of them.
 */
class ProbeFailureTest {
    private static final long EINVAL = -22;
    private static final long EBADF = -9;

    private final CapturingSink sink = new CapturingSink();

    @Test
    void failingWriteSwitchesTheProbeOffAndLogsOnce() {
        Probe probe = InstalledProbes.enabled(4, 0, sink);
        sink.answerWith(EINVAL);

        try (CapturedLog log = CapturedLog.start()) {
            writeInt(probe, 1);
            writeInt(probe, 2);

            assertTrue(probe.isOff());
            List<String> errors = log.linesWith(probe.eventName());
            assertEquals(1, errors.size(), "log lines: " + log.lines());
            assertTrue(errors.get(0).startsWith("[userevents] ERROR probe " + probe.eventName() + " ("
                + probe.methodName() + ") switched off: write() to user_events_data failed with EINVAL (22) through the"
                + " capturing sink: the event is shorter than its registered fixed fields"), errors.get(0));
        }
    }

    @Test
    void probeSwitchedOffWritesNothingMore() {
        Probe probe = InstalledProbes.enabled(4, 0, sink);
        sink.answerWith(EINVAL);
        try (CapturedLog ignored = CapturedLog.start()) {
            writeInt(probe, 1);
        }
        sink.succeed();

        writeInt(probe, 2);
        writeInt(probe, 3);

        assertEquals(1, sink.events().size(), "only the failed write reached the sink");
        assertEquals(0, probe.written());
    }

    @Test
    void unknownErrnoWhileEnabledCountsAsTheDisableRaceAtFirst() {
        // The kernel turns the tracepoint off a moment before it clears the enable bit.
        Probe probe = InstalledProbes.enabled(4, 0, sink);
        sink.answerWith(EventSink.UNKNOWN_ERROR);

        writeInt(probe, 1);
        writeInt(probe, 2);

        assertFalse(probe.isOff());
        assertEquals(2, probe.raced());
    }

    @Test
    void unknownErrnoLastingLongerThanTheGraceIsReportedAsAnIoError() throws InterruptedException {
        Probe probe = InstalledProbes.enabled(4, 0, sink);
        sink.answerWith(EventSink.UNKNOWN_ERROR);

        try (CapturedLog log = CapturedLog.start()) {
            writeInt(probe, 1);
            Thread.sleep(1_100);
            writeInt(probe, 2);

            assertTrue(probe.isOff());
            assertTrue(log.linesWith(probe.eventName()).get(0).contains("kept failing for over a second through the capturing sink, which reports no errno"), log.lines().toString());
        }
    }

    @Test
    void aSuccessfulWriteRestartsTheGraceForUnknownErrors() throws InterruptedException {
        Probe probe = InstalledProbes.enabled(4, 0, sink);
        sink.answerWith(EventSink.UNKNOWN_ERROR);
        writeInt(probe, 1);
        Thread.sleep(1_100);
        sink.succeed();
        writeInt(probe, 2);
        sink.answerWith(EventSink.UNKNOWN_ERROR);

        writeInt(probe, 3);

        assertFalse(probe.isOff());
        assertEquals(1, probe.written());
    }

    @Test
    void ebadfWhileEnabledIsARaceNotAnError() {
        Probe probe = InstalledProbes.enabled(4, 0, sink);
        sink.answerWith(EBADF);

        try (CapturedLog log = CapturedLog.start()) {
            writeInt(probe, 1);

            assertFalse(probe.isOff());
            assertEquals(1, probe.raced());
            assertEquals(0, probe.written());
            assertEquals(List.of(), log.linesWith(probe.eventName()));
        }
    }

    @Test
    void anyFailureWhileTheEnableWordReadsZeroIsARace() {
        long word = EnableWords.allocateEnabled();
        Probe probe = InstalledProbes.install(word, 4, 0, sink);
        sink.answerWith(EINVAL);

        try (CapturedLog log = CapturedLog.start()) {
            EventRecord record = ProbeRuntime.putInt(ProbeRuntime.begin(probe.id()), 1);
            EnableWords.disable(word); // the tracer detaches after the woven enable check
            ProbeRuntime.commit(record);

            assertFalse(probe.isOff());
            assertEquals(1, probe.raced());
            assertEquals(List.of(), log.linesWith(probe.eventName()));
        }
    }

    @Test
    void probeKeepsWritingAfterARace() {
        Probe probe = InstalledProbes.enabled(4, 0, sink);
        sink.answerWith(EBADF);
        writeInt(probe, 1);
        sink.succeed();

        writeInt(probe, 2);

        assertEquals(1, probe.raced());
        assertEquals(1, probe.written());
    }

    @Test
    void successfulWritesAreCounted() {
        Probe probe = InstalledProbes.enabled(4, 0, sink);

        writeInt(probe, 1);
        writeInt(probe, 2);

        assertEquals(2, probe.written());
        assertEquals(0, probe.raced());
    }

    @Test
    void sinkThrowingSwitchesTheProbeOffAndTheCallerSeesNothing() {
        Probe probe = InstalledProbes.enabled(4, 0, sink);
        sink.throwOnWrite(new IllegalStateException("sink broke"));

        try (CapturedLog log = CapturedLog.start()) {
            assertDoesNotThrow(() -> writeInt(probe, 1));

            assertTrue(probe.isOff());
            String line = log.linesWith(probe.eventName()).get(0);
            assertTrue(line.contains("encoding or writing an event threw: java.lang.IllegalStateException: sink broke; report it"), line);
        }
    }

    @Test
    void encodingFailureSwitchesTheProbeOffWithoutWriting() {
        // fixed fields larger than the buffer: the first string has nowhere to go
        Probe probe = InstalledProbes.enabled(EventRecord.CAPACITY, 1, sink);

        try (CapturedLog log = CapturedLog.start()) {
            assertDoesNotThrow(() -> ProbeRuntime.commit(ProbeRuntime.putString(ProbeRuntime.begin(probe.id()), "x")));

            assertTrue(probe.isOff());
            assertEquals(List.of(), sink.events());
            // caught before any store: the record's stores are unchecked, so a layout that cannot fit is refused
            assertTrue(log.linesWith(probe.eventName()).get(0).contains("encoding or writing an event threw: "
                + "java.lang.IllegalStateException: event of 4096 fixed bytes and 1 strings does not fit a 4096-byte buffer"),
                log.lines().toString());
        }
    }

    @Test
    void puttingAfterAnEncodingFailureDoesNothing() {
        Probe probe = InstalledProbes.enabled(EventRecord.CAPACITY, 1, sink);

        try (CapturedLog ignored = CapturedLog.start()) {
            EventRecord record = ProbeRuntime.putString(ProbeRuntime.begin(probe.id()), "x");
            assertDoesNotThrow(() -> {
                EventRecord same = ProbeRuntime.putInt(record, 1);
                same = ProbeRuntime.putLong(same, 1);
                same = ProbeRuntime.putDouble(same, 1);
                same = ProbeRuntime.putObject(same, "x");
                ProbeRuntime.commit(same);
            });
        }

        assertEquals(List.of(), sink.events());
    }

    @Test
    void probeIdWithoutAProbeWritesNothingAndThrowsNothing() {
        assertDoesNotThrow(() -> ProbeRuntime.commit(ProbeRuntime.putString(ProbeRuntime.begin(999_999), "x")));
        assertDoesNotThrow(() -> ProbeRuntime.commit(ProbeRuntime.putInt(ProbeRuntime.begin(-1), 1)));
        assertEquals(null, ProbeRuntime.probe(999), "an empty slot inside the table");
        assertDoesNotThrow(() -> ProbeRuntime.commit(ProbeRuntime.putInt(ProbeRuntime.begin(999), 1)));

        assertEquals(List.of(), sink.events());
    }

    @Test
    void recordOfAFailedBeginIsReusableForTheNextEvent() {
        Probe probe = InstalledProbes.enabled(4, 0, sink);
        ProbeRuntime.commit(ProbeRuntime.begin(999_999));

        writeInt(probe, 5);

        assertEquals(1, sink.events().size());
        assertFalse(probe.isOff());
    }

    @Test
    void stackOverflowWhileWritingDropsOneEventCountsItAndTheProbeStaysOn() {
        Probe probe = InstalledProbes.enabled(4, 0, sink);
        sink.throwOnWrite(new StackOverflowError());

        try (CapturedLog log = CapturedLog.start()) {
            assertDoesNotThrow(() -> writeInt(probe, 1));
            sink.succeed();
            writeInt(probe, 2);

            assertFalse(probe.isOff());
            assertEquals(1, probe.dropped(DropReason.STACK_OVERFLOW));
            assertEquals(1, probe.written());
            assertEquals(List.of(), log.linesWith(probe.eventName()), "a transient fault is reported by the reporter");
        }
    }

    @Test
    void outOfMemoryWhileWritingDropsOneEventAndTheProbeStaysOn() {
        Probe probe = InstalledProbes.enabled(4, 0, sink);
        sink.throwOnWrite(new OutOfMemoryError("Cannot reserve 4096 bytes of direct buffer memory"));

        assertDoesNotThrow(() -> writeInt(probe, 1));
        sink.succeed();
        writeInt(probe, 2);

        assertFalse(probe.isOff());
        assertEquals(1, probe.dropped(DropReason.OUT_OF_MEMORY));
        assertEquals(1, probe.dropped());
        assertEquals(1, probe.written());
    }

    @Test
    void transientErrnosDropOneEventEachAndTheProbeStaysOn() {
        Probe probe = InstalledProbes.enabled(4, 0, sink);
        for (long errno : new long[] {-4 /* EINTR */, -11 /* EAGAIN */, -14 /* EFAULT */}) {
            sink.answerWith(errno);
            writeInt(probe, 1);
        }
        sink.succeed();
        writeInt(probe, 2);

        assertFalse(probe.isOff());
        assertEquals(3, probe.dropped(DropReason.WRITE_INTERRUPTED));
        assertEquals(0, probe.raced());
        assertEquals(1, probe.written());
    }

    @Test
    void enoentSwitchesTheProbeOffNamingTheCauseAndTheFix() {
        Probe probe = InstalledProbes.enabled(4, 0, sink);
        sink.answerWith(-2);

        try (CapturedLog log = CapturedLog.start()) {
            writeInt(probe, 1);

            assertTrue(probe.isOff());
            String line = log.linesWith(probe.eventName()).get(0);
            assertTrue(line.contains("failed with ENOENT (2) through the capturing sink: the user_events_data descriptor"
                + " knows no event at this write index") && line.contains("; do not close file descriptors"), line);
        }
    }

    @Test
    void theWovenHandlerGivesBackTheBufferAThrowableTookOutOfTheEncoding() {
        Probe probe = InstalledProbes.enabled(4, 0, sink);
        EventRecord taken = ProbeRuntime.begin(probe.id());
        assertTrue(taken.probe == probe);

        // what the woven handler calls when entering putInt or commit overflowed the stack
        assertDoesNotThrow(() -> ProbeRuntime.dropped(new StackOverflowError(), probe.id()));

        assertEquals(null, taken.probe, "the record went back to the pool");
        assertEquals(1, probe.dropped(DropReason.STACK_OVERFLOW));
        assertFalse(probe.isOff());
        writeInt(probe, 3);
        assertEquals(1, probe.written());
    }

    @Test
    void noFreeBufferDropsTheEventCountsItAndAllocatesNothing() {
        Probe probe = InstalledProbes.enabled(4, 0, sink);
        java.util.List<EventRecord> held = new java.util.ArrayList<>();
        for (int i = 0; i < ProbeRuntime.bufferCount(); i++) {
            held.add(ProbeRuntime.begin(probe.id()));
        }

        assertDoesNotThrow(() -> writeInt(probe, 1));

        assertEquals(1, probe.dropped(DropReason.NO_BUFFER));
        for (EventRecord record : held) {
            ProbeRuntime.commit(ProbeRuntime.putInt(record, 2));
        }
        assertEquals(ProbeRuntime.bufferCount(), probe.written(), "the held buffers were written and given back");
        writeInt(probe, 3);
        assertFalse(probe.isOff());
    }

    @Test
    void aFailureMessageThatCannotBeLoggedNowIsLoggedByTheReporterLater() {
        Probe probe = InstalledProbes.enabled(4, 0, sink);
        sink.answerWith(-2); // ENOENT: permanent
        java.io.PrintStream broken = new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                throw new StackOverflowError();
            }
        });
        java.io.PrintStream before = swapLogStream(broken);
        try {
            writeInt(probe, 1);
        } finally {
            swapLogStream(before);
        }
        assertTrue(probe.isOff());

        try (CapturedLog log = CapturedLog.start()) {
            assertTrue(probe.reportFailure(), "the reporter thread's call");
            assertFalse(probe.reportFailure(), "once");
            assertEquals(1, log.linesWith(probe.eventName() + " (").size(), log.lines().toString());
        }
    }

    @Test
    void anArgumentWhoseToStringTracesItselfIsCutAfterFourLevelsInsteadOfOverflowingTheStack() {
        Probe probe = InstalledProbes.enabled(4, 1, sink);
        Object selfTracing = new Object() {
            @Override
            public String toString() {
                ProbeRuntime.commit(ProbeRuntime.putObject(ProbeRuntime.begin(probe.id()), this));
                return "x";
            }
        };

        assertDoesNotThrow(() -> ProbeRuntime.commit(ProbeRuntime.putObject(ProbeRuntime.begin(probe.id()), selfTracing)));

        List<String> texts = new java.util.ArrayList<>();
        for (byte[] event : sink.events()) {
            texts.add(new String(event, java.nio.charset.StandardCharsets.US_ASCII));
        }
        assertEquals(5, texts.size(), "four levels of toString(), then the marker");
        assertEquals(1, texts.stream().filter(text -> text.contains("(toString nested too deep)")).count(), texts.toString());
        assertFalse(probe.isOff());
    }

    @Test
    void dropsAreReportedOncePerReason() {
        Probe probe = InstalledProbes.enabled(4, 0, sink);
        sink.throwOnWrite(new StackOverflowError());
        writeInt(probe, 1);
        writeInt(probe, 2);

        assertEquals(List.of(DropReason.STACK_OVERFLOW), probe.takeUnreportedDropReasons());
        writeInt(probe, 3);
        assertEquals(List.of(), probe.takeUnreportedDropReasons(), "reported already");
        assertEquals(3, probe.dropped(DropReason.STACK_OVERFLOW));
    }

    private static java.io.PrintStream swapLogStream(java.io.PrintStream next) {
        try {
            java.lang.reflect.Field out = AgentLog.class.getDeclaredField("out");
            out.setAccessible(true);
            java.io.PrintStream current = (java.io.PrintStream) out.get(null);
            out.set(null, next);
            return current;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static void writeInt(Probe probe, int value) {
        ProbeRuntime.commit(ProbeRuntime.putInt(ProbeRuntime.begin(probe.id()), value));
    }
}
