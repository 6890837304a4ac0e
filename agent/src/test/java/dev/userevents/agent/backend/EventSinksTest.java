package dev.userevents.agent.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.config.AgentOptions.Sink;
import dev.userevents.agent.testing.CapturedLog;
import dev.userevents.shim.DevNullEventSink;
import dev.userevents.shim.hotpath.EventSink;
import dev.userevents.shim.hotpath.NativeWords;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Sink choice on the test JVM (JDK 17, with java.io and sun.nio.ch opened as the agent opens them). */
class EventSinksTest {
    private final DevNullEventSink jna = DevNullEventSink.open();

    @Test
    void autoPicksTheFastestThisJdkHas() {
        String expected = Runtime.version().feature() >= 22 ? "downcall (pwrite until linked)" : "pwrite";
        assertEquals(expected, writesThrough(EventSinks.open(Sink.AUTO, jna.fd(), jna)));
    }

    @Test
    void eachSinkAskedForIsTheOneUsed() {
        assertEquals("pwrite", writesThrough(EventSinks.open(Sink.PWRITE, jna.fd(), jna)));
        assertEquals("channel", writesThrough(EventSinks.open(Sink.CHANNEL, jna.fd(), jna)));
        assertSame(jna, EventSinks.open(Sink.JNA, jna.fd(), jna));
    }

    @Test
    void aSinkThisJdkLacksFallsToTheNextFastestWithOneWarning() {
        if (Runtime.version().feature() >= 22) {
            return; // the JDK 25 end-to-end kernel tests see downcall chosen
        }
        try (CapturedLog log = CapturedLog.start()) {
            assertEquals("pwrite", writesThrough(EventSinks.open(Sink.DOWNCALL, jna.fd(), jna)));
            assertEquals(1, log.linesWith("WARN sink=downcall is not available on this JDK (needs JDK 22 or later)").size(),
                log.lines().toString());
            assertTrue(log.linesWith("WARN").get(0).contains("Fix: use sink=auto"));
        }
    }

    /** The sink's name, after checking it writes a whole event. */
    private static String writesThrough(EventSink sink) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64);
        assertEquals(37, sink.write(buffer, NativeWords.addressOf(buffer), 37), sink.name());
        return sink.name();
    }
}
