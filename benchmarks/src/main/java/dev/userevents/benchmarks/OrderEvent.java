package dev.userevents.benchmarks;

import jdk.jfr.Category;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.jspecify.annotations.Nullable;

/**
 * The JFR counterpart of the {@code bench_order} user_event: the same three fields. Off unless a recording
 * enables it. No stack trace, since a user_event carries none either.
 */
@Name("dev.userevents.benchmarks.Order")
@Label("Order")
@Category("userevents benchmarks")
@Enabled(false)
@StackTrace(false)
final class OrderEvent extends Event {
    @Label("Id")
    int id;

    @Label("Cents")
    long cents;

    @Label("Customer")
    @Nullable String customer;
}
