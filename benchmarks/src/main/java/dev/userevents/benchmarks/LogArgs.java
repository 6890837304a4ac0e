package dev.userevents.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The arguments of every log call in the log bridge benchmarks: an order id and a 16-character customer.
 * Read from fields, so the JIT cannot fold them into constants. The id is outside {@code Integer}'s cache
 * (-128..127), as real ids are: boxing it for the call allocates unless the JIT inlines the whole call and
 * removes the box by escape analysis, so B/op shows whether a woven logger method still inlines.
 */
@State(Scope.Thread)
public class LogArgs {
    /** The order id, 100042. */
    public int id = 100_042;
    /** The customer, 16 characters. */
    public String customer = "customer-0000001";
}
