package com.example.safety;

import dev.userevents.Tracepoint;

/**
 * One event with a field of every kind the agent writes, for the collectors' tests (trace-cmd, persistent
 * events): integers of each width, booleans, a UTF-16 char, a double, strings with non-ASCII text, an enum.
 * <pre>java -javaagent:... com.example.safety.CollectorApp</pre>
 * Prints {@code ready}; on {@code go} writes the two events of {@link #emitAll()}, prints {@code done} and
 * waits for its input to end. Input ending before {@code go} ends it at once (a run that only registers).
 */
public final class CollectorApp {
    /** An enum field is written as its name. */
    public enum Payment { CARD, CASH }

    @Tracepoint(name = "collect_all")
    static void all(byte tiny, short small, int medium, long big, boolean yes, boolean no, char letter,
                    double ratio, String who, Payment payment) {
    }

    /** The values the tests expect, in this order. */
    static void emitAll() {
        all((byte) -128, (short) -300, -70_000, -5_000_000_000L, true, false, '\u00e9', 0.25, "who-\u00e9-29-\u2713",
            Payment.CARD);
        all((byte) 65, Short.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, false, true, 'Z', -1.5, null, Payment.CASH);
    }

    public static void main(String[] args) {
        Driver.say("ready");
        if (!Driver.await("go")) {
            return;
        }
        emitAll();
        Driver.say("done");
        Driver.awaitEnd();
    }
}
