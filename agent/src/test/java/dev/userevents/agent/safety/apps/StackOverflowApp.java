package com.example.safety;

import dev.userevents.Tracepoint;

/**
 * Recurses through a traced method until the stack overflows, catches the StackOverflowError as an
 * application may, then calls the same method 100 more times: every one of those must still be an event
 * (the overflow is a transient fault: it drops events, it never switches the probe off).
 * <pre>java -javaagent:... com.example.safety.StackOverflowApp</pre>
 */
public final class StackOverflowApp {
    static final int CALLS_AFTER = 100;

    @Tracepoint(name = "fault_recurse")
    static int recurse(int depth, String tag) {
        return depth <= 0 ? 0 : 1 + recurse(depth - 1, tag);
    }

    public static void main(String[] args) {
        Driver.say("ready");
        Driver.await("go");
        try {
            recurse(Integer.MAX_VALUE, "deep");
            Driver.say("no overflow");
        } catch (StackOverflowError e) {
            Driver.say("caught StackOverflowError");
        }
        int sum = 0;
        for (int i = 0; i < CALLS_AFTER; i++) {
            sum += recurse(0, "after");
        }
        Driver.say("after: " + CALLS_AFTER + " calls, sum " + sum);
        Driver.say("done");
        Driver.awaitEnd();
    }
}
