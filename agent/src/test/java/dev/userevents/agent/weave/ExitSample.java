package dev.userevents.agent.weave;

import dev.userevents.Tracepoint;

/** Methods with exit events, one per kind of return value. Compiled with -parameters. */
public class ExitSample {
    public enum Outcome { ACCEPTED, REJECTED }

    @Tracepoint(exit = true)
    public static int square(int x) {
        return x * x;
    }

    @Tracepoint(exit = true)
    public static void nothing(int x) {
    }

    @Tracepoint(exit = true)
    public static String upper(String text) {
        return text == null ? null : text.toUpperCase(java.util.Locale.ROOT);
    }

    @Tracepoint(exit = true)
    public static long fail(RuntimeException exception) {
        throw exception;
    }

    @Tracepoint(exit = true)
    public static byte asByte(int x) {
        return (byte) x;
    }

    @Tracepoint(exit = true)
    public static short asShort(int x) {
        return (short) x;
    }

    @Tracepoint(exit = true)
    public static char asChar(int x) {
        return (char) x;
    }

    @Tracepoint(exit = true)
    public static boolean isEven(int x) {
        return x % 2 == 0;
    }

    @Tracepoint(exit = true)
    public static double half(double x) {
        return x / 2;
    }

    @Tracepoint(exit = true)
    public static float third(float x) {
        return x / 3;
    }

    @Tracepoint(exit = true)
    public static long negate(long x) {
        return -x;
    }

    @Tracepoint(exit = true)
    public static Outcome decide(int score) {
        return score >= 50 ? Outcome.ACCEPTED : Outcome.REJECTED;
    }

    @Tracepoint(exit = true)
    public int countDown(int n) {
        while (n > 0) {
            n--;
        }
        return n;
    }

    @Tracepoint(exit = true)
    public static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    @Tracepoint(name = "checkout", exit = true)
    public static int named(int x) {
        return x;
    }
}
