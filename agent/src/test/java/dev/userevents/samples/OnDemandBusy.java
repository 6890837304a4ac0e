package dev.userevents.samples;

/** Recursion and exceptions, for on-demand weaving and restoring while threads run it. */
public class OnDemandBusy {
    public static int depth(int n) {
        return n <= 0 ? 0 : 1 + depth(n - 1);
    }

    public static int fail(int n) {
        if (n % 2 == 1) {
            throw new IllegalArgumentException("odd " + n);
        }
        return n;
    }
}
