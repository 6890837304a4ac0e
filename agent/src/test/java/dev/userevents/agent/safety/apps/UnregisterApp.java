package com.example.safety;

import dev.userevents.Tracepoint;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Watches its own enable words across JVM exit. The test enables all four events (a tracer keeps listening
 * while the app exits); the app reads its words (1), and a shutdown hook of its own, running beside the
 * agent's, waits for them to read 0: the kernel clears a word's bit when it is unregistered
 * ({@code user_events_ioctl_unreg()}, kernel/trace/trace_events_user.c), and nothing else clears it while
 * the events stay enabled.
 * <pre>java -javaagent:... com.example.safety.UnregisterApp</pre>
 */
public final class UnregisterApp {
    private static final String[] EVENTS = {"unreg_a", "unreg_b", "unreg_c", "unreg_c_exit"};
    private static final long WAIT_MILLIS = 10_000;

    @Tracepoint(name = "unreg_a")
    static void a(int value) {
    }

    @Tracepoint(name = "unreg_b")
    static void b(String value) {
    }

    @Tracepoint(name = "unreg_c", exit = true)
    static long c(long value) {
        return value + 1;
    }

    public static void main(String[] args) {
        Driver.say("ready");
        Driver.await("go");
        Map<String, Long> words = new LinkedHashMap<>();
        for (String event : EVENTS) {
            words.put(event, AgentProbes.enableWordAddress(event));
        }
        a(1);
        b("two");
        c(3);
        Driver.say("words while traced: " + values(words));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long start = System.nanoTime();
            while (!allZero(words) && System.nanoTime() - start < WAIT_MILLIS * 1_000_000) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    break;
                }
            }
            Driver.say("words at exit: " + values(words) + " after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }, "watch-enable-words"));
        Driver.say("done");
        Driver.awaitEnd();
    }

    private static boolean allZero(Map<String, Long> words) {
        for (long address : words.values()) {
            if (AgentProbes.enableWord(address) != 0) {
                return false;
            }
        }
        return true;
    }

    private static String values(Map<String, Long> words) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Long> word : words.entrySet()) {
            text.append(text.length() == 0 ? "" : " ").append(word.getKey()).append('=')
                .append(AgentProbes.enableWord(word.getValue()));
        }
        return text.toString();
    }
}
