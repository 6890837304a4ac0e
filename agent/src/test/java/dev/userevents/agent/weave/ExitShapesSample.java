package dev.userevents.agent.weave;

import dev.userevents.Tracepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Method bodies whose control flow an exit probe must survive: several returns, returns inside try, catch
 * and finally, exceptions caught inside the method, wide arguments and locals, locks, lambdas, loops.
 * Every method computes its result from its arguments only, so a woven copy must return what this class does.
 */
public final class ExitShapesSample {
    private final List<String> seen = new ArrayList<>();

    @Tracepoint(exit = true)
    public static int classify(int x) {
        if (x < 0) {
            return -1;
        }
        switch (x % 4) {
            case 0:
                return 10;
            case 1:
                return 11 + x;
            default:
                break;
        }
        for (int i = 0; i < 3; i++) {
            if (x == i * 7) {
                return 100 + i;
            }
        }
        return x > 1000 ? 1000 : x;
    }

    /** A finally block that javac copies onto every path out of the try, one of them a return. */
    @Tracepoint(exit = true)
    public static long tryFinally(long a, double b, int mode) {
        long total = a;
        try {
            if (mode == 0) {
                return total + (long) b;
            }
            if (mode == 1) {
                throw new IllegalStateException("mode 1");
            }
            total += 5;
        } finally {
            total *= 2;
        }
        return total;
    }

    /** The method catches what it throws: the exit event shows a return, never a throwable. */
    @Tracepoint(exit = true)
    public static String caughtInside(String text) {
        try {
            return Integer.toString(Integer.parseInt(text) * 2);
        } catch (NumberFormatException e) {
            return "not a number: " + text;
        }
    }

    /** A throwable raised inside a catch block leaves the method. */
    @Tracepoint(exit = true)
    public static double rethrows(double value) {
        try {
            if (value < 0) {
                throw new IllegalArgumentException("negative");
            }
            return Math.sqrt(value);
        } catch (IllegalArgumentException e) {
            throw new ArithmeticException("wrapped: " + e.getMessage());
        }
    }

    /** Wide arguments then wide locals: every local slot after the arguments is moved by the weaver. */
    @Tracepoint(exit = true)
    public static double wide(long a, double b, long c) {
        double sum = 0;
        long count = 0;
        for (long i = a; i < c; i++) {
            sum += b * i;
            count++;
        }
        float ratio = count == 0 ? 0f : (float) (sum / count);
        return sum + ratio;
    }

    @Tracepoint(exit = true)
    public synchronized int locked(int x) {
        int result;
        synchronized (seen) {
            seen.add("x" + x);
            result = seen.size() > 0 ? x * 3 : 0;
        }
        return result;
    }

    @Tracepoint(exit = true)
    public int lambda(int base) {
        int offset = base * 2;
        IntSupplier supplier = () -> offset + 1;
        return supplier.getAsInt();
    }

    @Tracepoint(exit = true)
    public static boolean flag(byte b, short s, char c) {
        boolean result = b > 0 && s > 0;
        return result || c == 'y';
    }

    @Tracepoint(exit = true)
    public static char letter(int index) {
        return "abcdef".charAt(index);
    }

    @Tracepoint(exit = true)
    public static int[] array(int size) {
        if (size == 0) {
            return null;
        }
        int[] values = new int[size];
        for (int i = 0; i < size; i++) {
            values[i] = i * i;
        }
        return values;
    }

    @Tracepoint(exit = true)
    public static void sideEffect(List<String> into, String value) {
        if (value.isEmpty()) {
            return;
        }
        into.add(value);
    }
}
