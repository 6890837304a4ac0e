package dev.userevents.agent.weave.ondemand;

import java.util.function.IntSupplier;

/** Candidate material for the pattern tests: what a pattern must select, and what it must leave alone. */
public class Checkout implements Comparable<Checkout> {
    private final int base;

    public Checkout(int base) {
        this.base = base;
    }

    public int total(int items) {
        IntSupplier lambda = () -> base * items; // a lambda body: lambda$total$0, never a candidate
        return lambda.getAsInt();
    }

    public int totalWithTax(int items) {
        return total(items) + 1;
    }

    @Audited
    public String refund(String reason) {
        return reason;
    }

    public static native long nativeClock();

    @Override
    public int compareTo(Checkout other) { // javac adds a bridge compareTo(Object)
        return Integer.compare(base, other.base);
    }
}
