package com.example.safety;

import dev.userevents.Tracepoint;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small order book whose output depends on every traced method having run exactly as written. Run with
 * and without the agent, under faults (no tracefs, no permission, a conflicting event, ...): its standard
 * output must be the same.
 * <pre>java [-javaagent:...] com.example.safety.FaultApp ORDERS</pre>
 * Prints {@code ready}, waits for {@code go}, handles ORDERS orders, prints a summary and {@code done}, then
 * waits for its input to end.
 */
public final class FaultApp {
    private static final String[] CUSTOMERS = {"alice", "bob", "chloé", "dmitrí", "eve"};

    /** A coupon whose {@code toString()} misbehaves: throws for every 4th order, returns null for every 5th. */
    static final class Coupon {
        private final int orderId;

        Coupon(int orderId) {
            this.orderId = orderId;
        }

        @Override
        public String toString() {
            if (orderId % 4 == 0) {
                throw new IllegalStateException("coupon " + orderId + " cannot be printed");
            }
            return orderId % 5 == 0 ? null : "C" + orderId;
        }
    }

    private final Map<String, Long> centsByCustomer = new TreeMap<>();
    private int placed;
    private int shipped;
    private long shippedIdSum;

    public static void main(String[] args) {
        int orders = Integer.parseInt(args[0]);
        Driver.say("ready");
        Driver.await("go");
        FaultApp app = new FaultApp();
        for (int id = 1; id <= orders; id++) {
            app.handle(id);
        }
        Driver.say(app.summary());
        Driver.say("done");
        Driver.awaitEnd();
    }

    void handle(int id) {
        String customer = CUSTOMERS[id % CUSTOMERS.length];
        long cents = 100L * id + 7;
        placeOrder(id, customer, cents, new Coupon(id));
        if (id % 3 == 0) {
            ship(id);
        }
    }

    @Tracepoint(name = "order_placed")
    void placeOrder(int orderId, String customer, long cents, Coupon coupon) {
        centsByCustomer.merge(customer, cents, Long::sum);
        placed++;
    }

    @Tracepoint(name = "order_shipped")
    void ship(int orderId) {
        shipped++;
        shippedIdSum += orderId;
    }

    String summary() {
        return "placed " + placed + ", shipped " + shipped + " (id sum " + shippedIdSum + "), cents by customer "
            + centsByCustomer;
    }
}
