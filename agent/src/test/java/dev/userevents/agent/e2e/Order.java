package dev.userevents.agent.e2e;

import java.util.Locale;

/**
 * What {@code examples/.../OrderService.java} does with order number {@code id}, recomputed here: the
 * oracle every expected field value comes from. Keep it in step with {@code OrderService.handle}.
 */
record Order(int id, String customer, String item, int quantity, long cents, String payment) {
    private static final String[] CUSTOMERS = {"alice", "bob", "chloé", "dmitrí", "eve"};
    private static final String[] ITEMS = {"coffee", "tea", "croissant", "bagel", "juice", "muffin"};
    private static final String[] PAYMENTS = {"CARD", "INVOICE", "VOUCHER"};

    static final String REJECTION_REASON = "card declined";
    static final double DISCOUNT_RATE = 0.1;

    static Order number(int id) {
        String item = ITEMS[id % ITEMS.length];
        int quantity = 1 + id % 3;
        return new Order(id, CUSTOMERS[id % CUSTOMERS.length], item, quantity, (150 + item.length() * 25L) * quantity,
            PAYMENTS[id % PAYMENTS.length]);
    }

    /** Every 7th order is rejected instead of placed. */
    boolean rejected() {
        return id % 7 == 0;
    }

    /** Every 5th order that is placed gets a discount. */
    boolean discounted() {
        return !rejected() && id % 5 == 0;
    }

    /** Every 10th order's discount is a loyalty discount. */
    boolean loyal() {
        return id % 10 == 0;
    }

    /** The line {@code OrderService.main} prints after {@code orders} orders. */
    static String summary(int orders) {
        long revenueCents = 0;
        int placed = 0;
        for (int id = 1; id <= orders; id++) {
            Order order = number(id);
            if (order.rejected()) {
                continue;
            }
            placed++;
            revenueCents += order.cents();
            if (order.discounted()) {
                revenueCents -= Math.round(revenueCents * DISCOUNT_RATE / 100);
            }
        }
        return String.format(Locale.ROOT, "handled %d orders: %d placed, %d rejected, revenue %d cents",
            orders, placed, orders - placed, revenueCents);
    }
}
