package com.example.safety;

import dev.userevents.Tracepoint;

/**
 * A known call chain a -> b -> c whose c is a tracepoint, called without end for {@code perf record -g}.
 * <pre>java -XX:+PreserveFramePointer -XX:CompileCommand=dontinline,com.example.safety.PerfMapApp::*
 *     -javaagent:...=perfMap=true com.example.safety.PerfMapApp</pre>
 * Calls a 50,000 times (the JIT compiles a, b and c; the dontinline keeps each a frame of its own), prints
 * {@code ready}, then calls a on thread {@code perfmap-caller}, about 10 times a millisecond, until its input
 * ends.
 */
public final class PerfMapApp {
    static int a(int x) {
        return b(x) + 1;
    }

    static int b(int x) {
        return c(x) * 2;
    }

    @Tracepoint(name = "perfmap_c")
    static int c(int x) {
        return x + 1;
    }

    public static void main(String[] args) throws Exception {
        long sum = 0;
        for (int i = 0; i < 50_000; i++) {
            sum += a(i);
        }
        Thread caller = new Thread(PerfMapApp::callForever, "perfmap-caller");
        caller.setDaemon(true);
        caller.start();
        Driver.say("ready " + sum);
        Driver.awaitEnd();
    }

    private static void callForever() {
        long sum = 0;
        for (int i = 0; ; i++) {
            sum += a(i);
            if (i % 10 == 0) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (sum == Long.MIN_VALUE) {
                Driver.say("never");
            }
        }
    }
}
