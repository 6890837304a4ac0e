package com.example.safety;

import dev.userevents.Tracepoint;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An exit event with two known latencies, for {@code record --hist}: {@code nap} sleeps 1 ms and 10 ms
 * alternately, so its {@code hist_sleep_exit} durations fall into two log2 buckets far apart.
 * <pre>java -javaagent:... com.example.safety.SleepApp CALLS START_FILE</pre>
 * The event is registered when this class loads; the app then waits for START_FILE to exist (the test creates it
 * once the hist trigger is armed, so every call is counted), makes CALLS calls (1, 10, 1, 10, ... ms), then
 * {@value #THROWING} calls that throw (a negative sleep: IllegalArgumentException), prints {@code done CALLS} and
 * exits.
 */
public final class SleepApp {
    static final int THROWING = 3;

    private SleepApp() {
    }

    @Tracepoint(name = "hist_sleep", exit = true)
    static void nap(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(args[0]);
        Path start = Path.of(args[1]);
        Driver.say("waiting for " + start);
        while (!Files.exists(start)) {
            Thread.sleep(20);
        }
        for (int i = 0; i < calls; i++) {
            nap(i % 2 == 0 ? 1 : 10);
        }
        for (int i = 0; i < THROWING; i++) {
            try {
                nap(-1);
            } catch (IllegalArgumentException expected) {
                // the exit event's thrown field names it
            }
        }
        Driver.say("done " + calls);
    }
}
