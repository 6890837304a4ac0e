package dev.userevents.agent.weave;

import dev.userevents.Tracepoint;
import java.util.List;

/** Methods for the weaver: every kind of method and every parameter type. Compiled with -parameters. */
public class TracedSample {
    public enum Color { RED, GREEN }

    private int greetings;

    @Tracepoint
    public static int add(int a, int b) {
        return a + b;
    }

    @Tracepoint
    public String greet(String name) {
        greetings++;
        return "hello " + name + " #" + greetings;
    }

    @Tracepoint
    private long twice(long value) {
        return value * 2;
    }

    public long callTwice(long value) {
        return twice(value);
    }

    @Tracepoint
    public static String everyType(boolean flag, byte small, short medium, char letter, int count, long total,
                                   float ratio, double amount, String text, Color color, Object other) {
        return flag + "|" + small + "|" + medium + "|" + letter + "|" + count + "|" + total + "|" + ratio + "|"
            + amount + "|" + text + "|" + color + "|" + other;
    }

    @Tracepoint
    public double wide(long first, double second, int third) {
        return first + second + third;
    }

    /** javac puts the loop test first, so the method's first instruction is a jump target with a frame. */
    @Tracepoint
    public static int countDown(int n) {
        while (n > 0) {
            n--;
        }
        return n;
    }

    @Tracepoint
    public static void rethrow(RuntimeException exception) {
        throw exception;
    }

    @Tracepoint
    public static String overloaded(int x) {
        return "int " + x;
    }

    @Tracepoint
    public static String overloaded(String x) {
        return "String " + x;
    }

    @Tracepoint
    public static String overloaded(long x, long y) {
        return "long " + (x + y);
    }

    @Tracepoint(name = "custom_name")
    public static int named(int id) {
        return -id;
    }

    @Tracepoint
    public static String noArguments() {
        return "done";
    }

    /** An empty body needs no stack of its own: the probe's loads must fit the declared maximum. */
    @Tracepoint
    public static void emptyWide(long first, double second) {
    }

    /** The try block starts at the first original instruction. */
    @Tracepoint
    public static int parse(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Tracepoint
    public static synchronized int locked(int x) {
        return x + 100;
    }

    public static List<Integer> untraced(int x) {
        return List.of(x);
    }

    public static class Nested {
        @Tracepoint
        public int run(int x) {
            return x + 1;
        }
    }
}
