package dev.userevents.examples;

import dev.userevents.Tracepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A small order service handling requests in a loop. Run it under the agent and every
 * {@code @Tracepoint} method below becomes a user_event:
 * <pre>
 *   java -javaagent:agent/target/userevents-agent.jar -jar examples/target/order-service.jar [orders] [pauseMillis]
 * </pre>
 * With no arguments it runs until stopped, one order every 200 ms; {@code orders} bounds the run and
 * {@code pauseMillis} sets the pause between orders (0 runs flat out). It prints a summary at the end.
 */
public final class OrderService {
    /** How an order is paid: an enum argument, traced by name. */
    public enum Payment {
        /** Paid by card at once. */
        CARD,
        /** Billed later. */
        INVOICE,
        /** Paid with a voucher. */
        VOUCHER
    }

    private static final String[] CUSTOMERS = {"alice", "bob", "chloé", "dmitrí", "eve"};
    private static final String[] ITEMS = {"coffee", "tea", "croissant", "bagel", "juice", "muffin"};

    private final List<String> audit = new ArrayList<>();
    private long revenueCents;
    private int rejected;

    /**
     * Handles orders 1, 2, 3, ... and prints the summary.
     *
     * @param args {@code [orders] [pauseMillis]}: how many orders (default: no end) and the pause after each, in
     *     ms (default 200; 0 for none)
     * @throws InterruptedException if interrupted during a pause
     * @throws NumberFormatException if an argument is not a whole number
     */
    public static void main(String[] args) throws InterruptedException {
        long orders = args.length > 0 ? Long.parseLong(args[0]) : Long.MAX_VALUE;
        long pauseMillis = args.length > 1 ? Long.parseLong(args[1]) : 200;
        OrderService service = new OrderService();
        for (int id = 1; id <= orders; id++) {
            service.handle(id);
            if (pauseMillis > 0) {
                Thread.sleep(pauseMillis);
            }
        }
        System.out.println(service.summary(orders));
    }

    void handle(int id) {
        String customer = CUSTOMERS[id % CUSTOMERS.length];
        String item = ITEMS[id % ITEMS.length];
        int quantity = 1 + id % 3;
        long cents = priceCents(item) * quantity;
        Payment payment = Payment.values()[id % Payment.values().length];
        try {
            charge(id, cents);
        } catch (IllegalStateException declined) {
            reject(id, customer, declined.getMessage());
            return;
        }
        placeOrder(id, customer, item, quantity, cents, payment);
        if (id % 5 == 0) {
            applyDiscount(id, 0.1, id % 10 == 0);
        }
    }

    @Tracepoint(name = "order_placed")
    void placeOrder(int orderId, String customer, String item, int quantity, long cents, Payment payment) {
        revenueCents += cents;
        audit.add(orderId + ":" + customer);
    }

    @Tracepoint
    void applyDiscount(int orderId, double rate, boolean loyal) {
        revenueCents -= Math.round(revenueCents * rate / 100);
    }

    /**
     * Also traced on exit: {@code payment_charged_exit} carries the returned authorization code as
     * {@code ret}, the time taken as {@code duration_ns}, and the exception class in {@code thrown}.
     */
    @Tracepoint(name = "payment_charged", exit = true)
    long charge(int orderId, long cents) {
        if (orderId % 7 == 0) {
            throw new IllegalStateException("card declined");
        }
        return 100_000L + orderId * 7L + cents;
    }

    /** {@code reason} is the exception's message, null if it has none: the event then carries "(null)". */
    @Tracepoint(name = "order_rejected")
    private void reject(int orderId, String customer, @Nullable String reason) {
        rejected++;
    }

    private static long priceCents(String item) {
        return 150 + item.length() * 25L;
    }

    String summary(long orders) {
        return String.format(Locale.ROOT, "handled %d orders: %d placed, %d rejected, revenue %d cents",
            orders, audit.size(), rejected, revenueCents);
    }
}
