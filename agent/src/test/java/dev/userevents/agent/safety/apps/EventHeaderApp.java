package com.example.safety;

import dev.userevents.Tracepoint;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Events in every Java type for {@code format=eventheader}, at two levels and two keywords, with exit events
 * and a stack, and a java.util.logging record at FINE (bridged as a Common Schema log event, verbose).
 * <pre>java -javaagent:...=format=eventheader,provider=ehtest com.example.safety.EventHeaderApp</pre>
 * Prints {@code tid <main thread's id>}, {@code ready}, waits for {@code go}, makes each call once, prints {@code done}, waits for its input to end.
 */
public final class EventHeaderApp {
    public enum Color { RED, GREEN }

    @Tracepoint(name = "eh_types")
    static void types(boolean flag, byte small, short medium, char letter, int number, long big, float ratio,
                      double precise, String text, Object thing, Color color) {
    }

    @Tracepoint(name = "eh_greet", exit = true)
    static String greet(String who) {
        return "hi " + who;
    }

    @Tracepoint(name = "eh_fail", exit = true)
    static int fail(int code) {
        throw new IllegalStateException("code " + code);
    }

    @Tracepoint(name = "eh_half", exit = true, stack = true)
    static double half(double value) {
        return value / 2;
    }

    @Tracepoint(name = "eh_info", level = 4)
    static void info(int code) {
    }

    @Tracepoint(name = "eh_net", keyword = 0x2a)
    static void net(long bytes) {
    }

    public static void main(String[] args) throws Exception {
        @SuppressWarnings("deprecation") // getId(): threadId() needs JDK 19
        long tid = Thread.currentThread().getId();
        Driver.say("tid " + tid);
        Driver.say("ready");
        Driver.await("go");
        types(true, (byte) -7, (short) -300, 'é', Integer.MIN_VALUE, Long.MAX_VALUE, 1.25e-3f, Math.PI,
            "who-é-29 🎉", List.of(1, 2), Color.GREEN);
        types(false, (byte) 0, (short) 0, 'a', 0, 0L, Float.NaN, Double.NEGATIVE_INFINITY, null, null, null);
        greet("x".repeat(3000));
        try {
            fail(7);
        } catch (IllegalStateException expected) {
            // the exit event says it
        }
        half(5.0);
        info(4);
        net(1024);
        // a debug record (below JUL's default level, so printed nowhere): a Common Schema log event on L5K1
        Logger.getLogger("eh.app").log(Level.FINE, "log-é-1", new IllegalStateException("no stock"));
        Driver.say("done");
        Driver.awaitEnd();
    }
}
