package dev.userevents.shim.hotpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class UpgradingEventSinkTest {
    /** Answers a fixed number for every write and counts them. */
    private static final class Counting implements EventSink {
        private final String name;
        private final long answer;
        int writes;

        Counting(String name, long answer) {
            this.name = name;
            this.answer = answer;
        }

        @Override
        public long write(ByteBuffer buffer, long address, int length) {
            writes++;
            return answer;
        }

        @Override
        public String name() {
            return name;
        }
    }

    @Test
    void writesThroughTheFirstSinkUntilUpgradedThenThroughTheFasterOne() {
        Counting first = new Counting("pwrite", 11);
        Counting faster = new Counting("downcall", 22);
        UpgradingEventSink sink = new UpgradingEventSink(first, "downcall");
        ByteBuffer buffer = ByteBuffer.allocateDirect(16);

        assertEquals(11, sink.write(buffer, 0, 16));
        assertEquals("downcall (pwrite until linked)", sink.name());
        assertFalse(sink.upgraded());

        sink.upgrade(faster);
        assertEquals(22, sink.write(buffer, 0, 16));
        assertEquals(22, sink.write(buffer, 0, 16));
        assertEquals("downcall", sink.name());
        assertTrue(sink.upgraded());
        assertEquals(1, first.writes);
        assertEquals(2, faster.writes);
    }
}
