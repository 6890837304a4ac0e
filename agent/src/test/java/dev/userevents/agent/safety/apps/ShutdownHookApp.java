package com.example.safety;

import dev.userevents.Tracepoint;

/**
 * Traced calls from main (10) and from the application's own shutdown hook (50), with a tracer listening
 * throughout: all 60 must arrive, so the agent's exit work may not switch anything off while application
 * hooks run. The hook waits for the test's {@code end} after its calls, so the test can read the trace
 * while the events still exist.
 * <pre>java -javaagent:... com.example.safety.ShutdownHookApp</pre>
 */
public final class ShutdownHookApp {
    static final int MAIN_CALLS = 10;
    static final int HOOK_CALLS = 50;

    @Tracepoint(name = "fault_hook")
    static void record(int seq, String where) {
    }

    public static void main(String[] args) {
        Driver.say("ready");
        Driver.await("go");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int i = 0; i < HOOK_CALLS; i++) {
                record(MAIN_CALLS + i, "hook");
            }
            Driver.say("hook done");
            Driver.await("end");
        }, "app-shutdown-hook"));
        for (int i = 0; i < MAIN_CALLS; i++) {
            record(i, "main");
        }
        Driver.say("main done");
        // returning from main starts the JVM's shutdown: the hooks run
    }
}
