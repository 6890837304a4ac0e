package dev.userevents.agent.e2e;

import static dev.userevents.agent.e2e.OrderEvent.DISCOUNT;
import static dev.userevents.agent.e2e.OrderEvent.PLACED;
import static dev.userevents.agent.e2e.OrderEvent.REJECTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertIterableEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.testing.GuestTracefs;
import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.Wait;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The example order service, run under the shipped agent jar as a user runs it, seen through the kernel's
 * own tools: tracefs ({@code enable}, {@code filter}, {@code trace}), {@code /proc/PID/io} and perf. Every
 * field value is compared with what the application computed for that order ({@link Order}).
 *
 * <p>One application per JDK serves all tests of this class (a JVM start under emulation costs 10 to 60
 * s); each test starts and ends with the example's events disabled, unfiltered and the trace empty, and
 * checks the application still runs and has printed nothing on standard error but the agent's INFO lines.
 */
@KernelTest
@ParameterizedClass(name = "{0}")
@EnumSource(Jdk.class)
class OrderEventsKernelTest {
    /** An order every 20 ms: dozens of events a second, never enough to wrap the trace buffer. */
    private static final long PAUSE_MILLIS = 20;
    /** Hours at that pace: the application outlives the tests and is stopped after them. */
    private static final int ORDERS = 1_000_000;
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);
    /** Consecutive orders a test sees: every customer, item and payment, both kinds of discount, rejections. */
    private static final int ORDERS_TO_SEE = 35;

    private static OrderServiceProcess app;

    /** The JDK the shared application runs on; it names each invocation of this class. */
    @Parameter
    Jdk jdk;

    @BeforeParameterizedClassInvocation
    static void startApplication(Jdk jdk) throws Exception {
        GuestTracefs.clearTrace();
        app = OrderServiceProcess.start(jdk, ORDERS, PAUSE_MILLIS);
        app.awaitRegistration();
    }

    @AfterParameterizedClassInvocation
    static void stopApplication() throws Exception {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    @BeforeEach
    void applicationRunsWithTraceEmpty() {
        app.assertRunning();
        GuestTracefs.clearTrace();
    }

    @AfterEach
    void leaveEventsDisabledAndTraceEmpty() {
        OrderEvent.disableAllThatExist();
        GuestTracefs.clearTrace();
        app.assertRunning();
        assertEquals(List.of(), app.complaints(),
            () -> "standard error holds more than the agent's INFO lines; " + app);
    }

    /** The default sink is the fastest the JDK has: an FFM downcall on JDK 22+, the JDK's pwrite stub before. */
    @Test
    void writesThroughTheFastestSinkOfItsJdk() {
        String expected = jdk == Jdk.JDK_25 ? "writes through downcall" : "writes through pwrite";
        assertTrue(app.stderr().lines().anyMatch(line -> line.startsWith("[userevents] INFO ") && line.contains(expected)),
            () -> "no start line saying '" + expected + "': " + app.stderr());
    }

    /** (a) The enable check keeps disabled probes from calling write() at all, not just from being traced. */
    @Test
    void disabledEventsAreNeitherWrittenNorTraced() throws Exception {
        int firstOrder = latestOrderId();
        Thread.sleep(200); // a probe that passed its enable check just before the disable may still write once
        long writesBefore = app.writeCalls();
        Thread.sleep(2_000);
        long writesAfter = app.writeCalls();
        List<EventLine> traced = EventLine.inTrace();
        int lastOrder = latestOrderId();

        assertTrue(lastOrder - firstOrder >= 2 * 7,
            "the application handled orders " + firstOrder + " to " + lastOrder + " while we watched: too few to tell");
        assertEquals(0, writesAfter - writesBefore, "write() calls while every event was disabled");
        assertEquals(List.of(), traced, "events in trace while every event was disabled");
    }

    /** (b) Every field of every event, strings in UTF-8, enum by name, double as text, boolean as u8. */
    @Test
    void enabledEventsCarryEveryFieldExactly() throws Exception {
        OrderEvent.enable(OrderEvent.values());
        Wait.until(EVENT_TIMEOUT, () -> ORDERS_TO_SEE + " orders in trace",
            () -> orderSpan(EventLine.of(PLACED, EventLine.inTrace())) >= ORDERS_TO_SEE);
        OrderEvent.disable(OrderEvent.values());
        List<EventLine> traced = EventLine.inTrace();

        List<String> placed = assertEveryOrderInRange(PLACED, traced, PLACED::traceText);
        List<String> discounts = assertEveryOrderInRange(DISCOUNT, traced, DISCOUNT::traceText);
        List<String> rejections = assertEveryOrderInRange(REJECTED, traced, REJECTED::traceText);
        assertSeen(placed, " customer=chloé ", " customer=dmitrí ", " payment=CARD", " payment=INVOICE", " payment=VOUCHER",
            " item=croissant ");
        assertSeen(discounts, " rate=0.1 loyal=(0)", " rate=0.1 loyal=(1)");
        assertSeen(rejections, " reason=card declined");
    }

    /**
     * (c) A kernel filter on a numeric field ({@code echo 'orderId < LIMIT' > .../order_placed/filter}) passes
     * every order below the limit and none above, while the application goes on past it. The limit is set
     * ahead of the order being handled now (the shared application is past order 10 by the time this runs);
     * order_rejected, unfiltered, shows when the application has passed it.
     */
    @Test
    void filterOnOrderIdPassesOnlyOrdersBelowTheLimit() throws Exception {
        OrderEvent.enable(REJECTED);
        int now = awaitRejectionAtOrAfter(0);
        int limit = now + 70;
        String expression = "orderId < " + limit;
        GuestTracefs.setFilter(PLACED.eventName(), expression);
        assertEquals(expression, GuestTracefs.filter(PLACED.eventName()));
        OrderEvent.enable(PLACED);
        awaitRejectionAtOrAfter(limit + 14);
        OrderEvent.disable(PLACED, REJECTED);
        List<Integer> ids = EventLine.of(PLACED, EventLine.inTrace()).stream().map(EventLine::orderId)
            .collect(Collectors.toList());

        assertFalse(ids.isEmpty(), "no order_placed below " + limit + " passed the filter");
        assertIterableEquals(PLACED.idsBetween(ids.get(0), limit - 1), ids,
            "orders that passed '" + expression + "' from the first one traced on");
        GuestTracefs.clearFilter(PLACED.eventName());
        assertEquals("none", GuestTracefs.filter(PLACED.eventName()));
    }

    /**
     * (d) perf enables the same events through perf_event_open and decodes them with the format's
     * {@code print fmt}; the values are the application's, the pid is the application's.
     */
    @Test
    void perfRecordsAndDecodesTheSameFieldValues() throws Exception {
        List<EventLine> recorded = Perf.record(Duration.ofSeconds(4), OrderEvent.values());

        assertTrue(orderSpan(EventLine.of(PLACED, recorded)) >= ORDERS_TO_SEE / 2,
            "perf recorded too few orders in 4 s: " + recorded);
        for (EventLine line : recorded) {
            assertEquals(app.pid(), line.pid(), () -> "pid of " + line);
        }
        List<String> placed = assertEveryOrderInRange(PLACED, recorded, PLACED::perfText);
        assertEveryOrderInRange(DISCOUNT, recorded, DISCOUNT::perfText);
        assertEveryOrderInRange(REJECTED, recorded, REJECTED::perfText);
        assertSeen(placed, " customer=chloé ", " customer=dmitrí ", " payment=VOUCHER");
        assertEquals(List.of(), EventLine.inTrace(), "a perf session must not feed the ftrace buffer");
    }

    /**
     * The lines of {@code event} cover every order from the first to the last one traced that fires it, in
     * order, each with exactly the text {@code rendering} expects. Returns the texts.
     */
    private static List<String> assertEveryOrderInRange(OrderEvent event, List<EventLine> lines,
                                                        Function<Order, String> rendering) {
        List<EventLine> ofEvent = EventLine.of(event, lines);
        assertFalse(ofEvent.isEmpty(), () -> "no " + event.eventName() + " among " + lines);
        List<String> actual = ofEvent.stream().map(EventLine::text).collect(Collectors.toList());
        List<String> expected = event.idsBetween(ofEvent.get(0).orderId(), ofEvent.get(ofEvent.size() - 1).orderId())
            .stream().map(id -> rendering.apply(Order.number(id))).collect(Collectors.toList());
        assertIterableEquals(expected, actual, event.eventName() + " lines");
        return actual;
    }

    private static void assertSeen(List<String> texts, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(texts.stream().anyMatch(text -> (text + " ").contains(fragment)),
                () -> "no line with '" + fragment + "' in " + texts);
        }
    }

    /** How many orders lie between the first and the last line (inclusive); 0 for none. */
    private static int orderSpan(List<EventLine> lines) {
        return lines.isEmpty() ? 0 : lines.get(lines.size() - 1).orderId() - lines.get(0).orderId() + 1;
    }

    /** The order being handled about now: the next rejection, seen through order_rejected; leaves it disabled. */
    private static int latestOrderId() throws InterruptedException {
        OrderEvent.enable(REJECTED);
        try {
            return awaitRejectionAtOrAfter(0);
        } finally {
            OrderEvent.disable(REJECTED);
            GuestTracefs.clearTrace();
        }
    }

    private static int awaitRejectionAtOrAfter(int orderId) throws InterruptedException {
        return Wait.forValue(EVENT_TIMEOUT, () -> "order_rejected for an order >= " + orderId + " in trace; " + app, () -> {
            app.assertRunning();
            List<EventLine> rejections = EventLine.of(REJECTED, EventLine.inTrace());
            return rejections.isEmpty() ? Optional.empty()
                : Optional.of(rejections.get(rejections.size() - 1).orderId()).filter(id -> id >= orderId);
        });
    }
}
