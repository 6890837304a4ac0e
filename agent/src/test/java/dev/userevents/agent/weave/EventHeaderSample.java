package dev.userevents.agent.weave;

import dev.userevents.Tracepoint;

/** Methods traced with {@code format=eventheader}: every Java type, levels and keywords, exits. Compiled with -parameters. */
public class EventHeaderSample {
    public enum Color { RED, GREEN }

    @Tracepoint
    public static void everyType(boolean flag, byte small, short medium, char letter, int number, long big, float ratio,
                                 double precise, String text, Object thing, Color color) {
    }

    @Tracepoint(level = 4, keyword = 0x2a)
    public static void warning(int code) {
    }

    @Tracepoint(level = 4)
    public static void information(int code) {
    }

    @Tracepoint(level = 7)
    public static void badLevel(int code) {
    }

    @Tracepoint(exit = true)
    public static String greet(String who) {
        return who == null ? null : "hi " + who;
    }

    @Tracepoint(exit = true)
    public static double half(double value) {
        return value / 2;
    }

    @Tracepoint(exit = true)
    public static char first(String text) {
        return text.charAt(0);
    }

    @Tracepoint(exit = true)
    public static void fail(String message) {
        throw new IllegalStateException(message);
    }
}
