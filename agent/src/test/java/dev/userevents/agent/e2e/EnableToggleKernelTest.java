package dev.userevents.agent.e2e;

import static dev.userevents.agent.e2e.OrderEvent.PLACED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.testing.GuestTracefs;
import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An administrator switching an event on and off hundreds of times while the application runs flat out
 * (compiled code, the enable word read in a hot loop) changes nothing the application can see: it
 * finishes normally, with the same result as untraced, and the agent reports no error. Every event written
 * meanwhile is exact, and off means off again once the toggling stops.
 */
@KernelTest
class EnableToggleKernelTest {
    /**
     * Enough orders to outlast registration, warm-up and the toggling at 100 to 200 thousand orders a second
     * under emulation. The example keeps every order in a list: about 60 bytes each, hence the larger heap.
     */
    private static final int ORDERS = 10_000_000;
    private static final String HEAP = "-Xmx1536m";
    private static final int TOGGLES = 300;
    /** Long enough for the JIT to compile the order loop with its woven enable checks. */
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(300);

    private OrderServiceProcess app;

    @AfterEach
    void stopApplicationAndLeaveEventsDisabled() throws Exception {
        OrderEvent.disableAllThatExist();
        GuestTracefs.clearTrace();
        if (app != null) {
            app.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Jdk.class)
    void hundredsOfEnableTogglesUnderLoadLeaveTheApplicationUnharmed(Jdk jdk, TestReporter reporter) throws Exception {
        GuestTracefs.clearTrace();
        app = OrderServiceProcess.start(jdk, ORDERS, 0, HEAP);
        app.awaitRegistration();
        Thread.sleep(WARM_UP.toMillis());

        long togglingStarted = System.nanoTime();
        for (int i = 0; i < TOGGLES; i++) {
            OrderEvent.enable(PLACED);
            OrderEvent.disable(PLACED);
        }
        long togglingMillis = (System.nanoTime() - togglingStarted) / 1_000_000;
        assertTrue(app.isAlive(), () -> "the application finished before the toggling did, raise ORDERS; " + app);
        assertEquals(List.of(), app.complaints(), () -> "standard error after the toggling; " + app);
        List<EventLine> traced = EventLine.inTrace();
        for (EventLine line : traced) {
            assertEquals(PLACED.traceText(Order.number(line.orderId())), line.text(), () -> "traced while toggling: " + line);
        }
        int windows = windowsSeen(traced);
        reporter.publishEntry("toggling", TOGGLES + " enable/disable pairs in " + togglingMillis + " ms; " + traced.size()
            + " events in trace from " + windows + " windows" + (traced.isEmpty() ? "" : ", up to order "
            + traced.get(traced.size() - 1).orderId() + " of " + ORDERS));
        // Under emulation many windows pass before the application's CPU runs again: 70 to 210 of 300 left
        // events in trace; ten are enough to show compiled code sees the bit set again after a disable.
        assertTrue(windows >= TOGGLES / 30,
            "only " + windows + " of " + TOGGLES + " enable windows left events in trace (" + traced.size() + " events)");

        GuestTracefs.clearTrace();
        Thread.sleep(100); // a probe that passed its enable check just before the last disable may still write once
        long writesBefore = app.writeCalls();
        Thread.sleep(1_000);
        if (app.isAlive()) {
            assertEquals(writesBefore, app.writeCalls(), "write() calls in the second after the last disable");
        }
        assertEquals(List.of(), EventLine.inTrace(), "events traced after the last disable");

        assertEquals(0, app.awaitExit(EXIT_TIMEOUT), () -> "exit status; " + app);
        assertEquals(Order.summary(ORDERS), app.stdout().strip(), () -> "standard output; " + app);
        assertEquals(List.of(), app.complaints(), () -> "standard error holds more than the agent's INFO lines; " + app);
    }

    /** Runs of consecutive orders in the trace: each is one enable window (orders flow on between windows). */
    private static int windowsSeen(List<EventLine> traced) {
        int windows = 0;
        int previous = -1;
        for (EventLine line : traced) {
            if (previous < 0 || line.orderId() != nextPlacedAfter(previous)) {
                windows++;
            }
            previous = line.orderId();
        }
        return windows;
    }

    private static int nextPlacedAfter(int id) {
        int next = id + 1;
        while (!PLACED.firesFor(Order.number(next))) {
            next++;
        }
        return next;
    }
}
