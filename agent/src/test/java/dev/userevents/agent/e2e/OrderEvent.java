package dev.userevents.agent.e2e;

import static dev.userevents.testing.TracedEvent.hexDec;

import dev.userevents.testing.GuestTracefs;
import java.util.ArrayList;
import java.util.List;

/**
 * The example's three user_events and the exact text each prints for an order, in both renderings:
 * <ul>
 *   <li>{@code trace} prints with {@code print_event_fields()} (kernel/trace/trace_output.c), not with the
 *       format's {@code print fmt}: 4- and 8-byte integers as {@code 0xHEX (DEC)}, 1-byte ones as
 *       {@code (DEC)} (a character in quotes first when printable; 0 and 1 are not);</li>
 *   <li>{@code perf script} prints with the {@code print fmt} of the event's {@code format} file:
 *       {@code %d}, {@code %lld}, {@code %u}, {@code %s}.</li>
 * </ul>
 * Strings ({@code __rel_loc char[]}) print as their UTF-8 bytes in both; doubles arrive as decimal text.
 */
enum OrderEvent {
    /** {@code @Tracepoint(name = "order_placed") placeOrder(int, String, String, int, long, Payment)}. */
    PLACED("order_placed") {
        @Override
        boolean firesFor(Order order) {
            return !order.rejected();
        }

        @Override
        String traceText(Order order) {
            return "orderId=" + hexDec(order.id()) + " customer=" + order.customer() + " item=" + order.item()
                + " quantity=" + hexDec(order.quantity()) + " cents=" + hexDec(order.cents())
                + " payment=" + order.payment();
        }

        @Override
        String perfText(Order order) {
            return "orderId=" + order.id() + " customer=" + order.customer() + " item=" + order.item()
                + " quantity=" + order.quantity() + " cents=" + order.cents() + " payment=" + order.payment();
        }
    },

    /** {@code @Tracepoint applyDiscount(int, double, boolean)}: the default name, class_method. */
    DISCOUNT("OrderService_applyDiscount") {
        @Override
        boolean firesFor(Order order) {
            return order.discounted();
        }

        @Override
        String traceText(Order order) {
            return "orderId=" + hexDec(order.id()) + " rate=" + Order.DISCOUNT_RATE + " loyal=(" + (order.loyal() ? 1 : 0) + ")";
        }

        @Override
        String perfText(Order order) {
            return "orderId=" + order.id() + " rate=" + Order.DISCOUNT_RATE + " loyal=" + (order.loyal() ? 1 : 0);
        }
    },

    /** {@code @Tracepoint(name = "order_rejected") reject(int, String, String)}, a private method. */
    REJECTED("order_rejected") {
        @Override
        boolean firesFor(Order order) {
            return order.rejected();
        }

        @Override
        String traceText(Order order) {
            return "orderId=" + hexDec(order.id()) + " customer=" + order.customer() + " reason=" + Order.REJECTION_REASON;
        }

        @Override
        String perfText(Order order) {
            return "orderId=" + order.id() + " customer=" + order.customer() + " reason=" + Order.REJECTION_REASON;
        }
    };

    private final String eventName;

    OrderEvent(String eventName) {
        this.eventName = eventName;
    }

    /** The name under events/user_events/ and in {@code perf -e user_events:NAME}. */
    String eventName() {
        return eventName;
    }

    /** Whether handling this order calls the traced method. */
    abstract boolean firesFor(Order order);

    /** What {@code trace} prints after {@code "NAME: "}. */
    abstract String traceText(Order order);

    /** What {@code perf script} prints after {@code "user_events:NAME: "}. */
    abstract String perfText(Order order);

    /** The orders in {@code [from, to]} that fire this event, in the order the application handles them. */
    List<Integer> idsBetween(int from, int to) {
        List<Integer> ids = new ArrayList<>();
        for (int id = from; id <= to; id++) {
            if (firesFor(Order.number(id))) {
                ids.add(id);
            }
        }
        return ids;
    }

    static OrderEvent named(String eventName) {
        for (OrderEvent event : values()) {
            if (event.eventName.equals(eventName)) {
                return event;
            }
        }
        return null;
    }

    /** Whether the event is registered: its folder exists while a process holds it (or a tracer enables it). */
    boolean registered() {
        return GuestTracefs.eventExists(eventName);
    }

    /** {@code echo 1 > events/user_events/NAME/enable} for each event. */
    static void enable(OrderEvent... events) {
        for (OrderEvent event : events) {
            GuestTracefs.enable(event.eventName);
        }
    }

    /** {@code echo 0 > events/user_events/NAME/enable} for each event. */
    static void disable(OrderEvent... events) {
        for (OrderEvent event : events) {
            GuestTracefs.disable(event.eventName);
        }
    }

    /** Disables and unfilters whichever of the events still exist: cleanup after a test, whatever state it left. */
    static void disableAllThatExist() {
        for (OrderEvent event : values()) {
            if (event.registered()) {
                GuestTracefs.disable(event.eventName);
                GuestTracefs.clearFilter(event.eventName);
            }
        }
    }
}
