package dev.userevents.agent.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userevents.agent.runtime.LogEvents;
import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.agent.testing.EventPayload;
import dev.userevents.agent.testing.RecordingBackend;
import dev.userevents.shim.EnableWordStores;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With {@code context=thread}, log events end with {@code java_tid} and {@code virtual} too, after the four
 * strings. The log events are one set per JVM ({@link LogEvents}): the bridge's events installed before this
 * test are put back after it.
 */
class LogThreadContextTest {

    @Test
    void logEventsEndWithTheCallingThread() throws InterruptedException {
        List<Probe> before = ProbeRuntime.installedProbes().stream()
            .filter(probe -> probe.methodName().equals("log bridge")).toList();
        RecordingBackend backend = new RecordingBackend();
        LogBridge bridge = new LogBridge(backend, "ctx_", true);
        long word = bridge.enableWord();
        try {
            assertEquals("ctx_log_warn __rel_loc char[] logger; __rel_loc char[] message; __rel_loc char[] thread;"
                + " __rel_loc char[] thrown; s64 java_tid; u8 virtual", backend.format("ctx_log_warn").command());
            EnableWordStores.storeInt(word, 1 << LogEvents.WARN);
            long[] tid = new long[1];
            Thread logger = new Thread(() -> {
                tid[0] = Thread.currentThread().getId();
                LogEvents.write(LogEvents.WARN, "com.acme.Orders", "low stock", null);
            }, "log-context");
            logger.start();
            logger.join();

            List<EventPayload> events = backend.sink().eventsOf(backend.writeIndex("ctx_log_warn"));
            assertEquals(1, events.size());
            EventPayload event = events.get(0);
            assertEquals("com.acme.Orders", event.string());
            assertEquals("low stock", event.string());
            assertEquals("log-context", event.string());
            assertEquals("", event.string());
            assertEquals(tid[0], event.s64());
            assertEquals(0, event.u8());
        } finally {
            EnableWordStores.storeInt(word, 0);
            for (Probe probe : before) { // the other tests' log events, as they were
                LogEvents.install(levelOf(probe.eventName()), probe);
            }
        }
    }

    private static int levelOf(String eventName) {
        for (int level = LogEvents.ERROR; level <= LogEvents.TRACE; level++) {
            if (eventName.endsWith(LogEvents.eventName(level))) {
                return level;
            }
        }
        throw new IllegalArgumentException(eventName);
    }
}
