package dev.userevents.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The arguments of every call: an int, a long and a 16-character string. Read from fields, so the JIT
 * cannot fold them into constants.
 */
@State(Scope.Thread)
public class Order {
    /** The order id, 42. */
    public int id = 42;
    /** The amount in cents, 1999. */
    public long cents = 1_999L;
    /** The customer, 16 characters. */
    public String customer = "customer-0000001";
}
