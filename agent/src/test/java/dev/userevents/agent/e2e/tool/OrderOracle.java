package dev.userevents.agent.e2e.tool;

import dev.userevents.testing.TracedEvent;
import java.util.Locale;

/**
 * What {@code examples/.../OrderService.java} does with order number {@code id}, recomputed: where every
 * expected field value comes from. Keep it in step with {@code OrderService.handle}.
 */
final class OrderOracle {
    private static final String[] CUSTOMERS = {"alice", "bob", "chloé", "dmitrí", "eve"};
    private static final String[] ITEMS = {"coffee", "tea", "croissant", "bagel", "juice", "muffin"};
    private static final String[] PAYMENTS = {"CARD", "INVOICE", "VOUCHER"};

    private OrderOracle() {
    }

    static String item(int id) {
        return ITEMS[id % ITEMS.length];
    }

    static long cents(int id) {
        return (150 + item(id).length() * 25L) * (1 + id % 3);
    }

    /** {@code charge()} throws IllegalStateException for every 7th order, which is then rejected, not placed. */
    static boolean declined(int id) {
        return id % 7 == 0;
    }

    /** What {@code charge()} returns when it does not throw. */
    static long authorization(int id) {
        return 100_000L + id * 7L + cents(id);
    }

    /** {@code order_placed}'s fields as {@code trace_pipe} prints them (integers as {@code 0xHEX (DEC)}). */
    static String placedInTrace(int id) {
        return "orderId=" + TracedEvent.hexDec(id) + " customer=" + CUSTOMERS[id % CUSTOMERS.length] + " item=" + item(id)
            + " quantity=" + TracedEvent.hexDec(1 + id % 3) + " cents=" + TracedEvent.hexDec(cents(id))
            + " payment=" + PAYMENTS[id % PAYMENTS.length];
    }

    /** {@code order_placed}'s fields as {@code record} prints them (integers in decimal only). */
    static String placedInRecord(int id) {
        return "orderId=" + id + " customer=" + CUSTOMERS[id % CUSTOMERS.length] + " item=" + item(id)
            + " quantity=" + (1 + id % 3) + " cents=" + cents(id) + " payment=" + PAYMENTS[id % PAYMENTS.length];
    }

    /** {@code payment_charged}'s fields as {@code record} prints them. */
    static String chargedInRecord(int id) {
        return "orderId=" + id + " cents=" + cents(id);
    }

    /** The line {@code OrderService.main} prints after {@code orders} orders. */
    static String summary(int orders) {
        long revenueCents = 0;
        int placed = 0;
        for (int id = 1; id <= orders; id++) {
            if (declined(id)) {
                continue;
            }
            placed++;
            revenueCents += cents(id);
            if (id % 5 == 0) {
                revenueCents -= Math.round(revenueCents * 0.1 / 100);
            }
        }
        return String.format(Locale.ROOT, "handled %d orders: %d placed, %d rejected, revenue %d cents",
            orders, placed, orders - placed, revenueCents);
    }
}
