package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.testing.KernelTest;
import dev.userevents.testing.TraceInstance;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Load in the guest: four threads call one probe flat out while another thread switches its event on and off
 * 1,000 times through tracefs: no exception reaches them, no thread hangs (every join is bounded), the app
 * exits 0, and no write fails for good (a write that meets a disable half done is counted as raced, the
 * probe stays on). Then, with the event left on and a ring buffer large enough for everything, every call
 * must be one event in {@code trace}.
 *
 * <p>Under emulation the threads share one host CPU and each toggle waits for RCU, so the toggling phase lasts
 * as long as the 1,000 tracefs writes take (at least 10 s; about 90 s here) and the counting phase 5 s; the
 * numbers are printed. While toggling, far fewer events are recorded than written: a write that arrives while
 * a tracer's enable is half done (before it sets, or after it cleared, its instance's enabled flag) is
 * accepted by the kernel and recorded nowhere. That is no loss: nobody was listening yet, or any more.
 */
@KernelTest
class LoadKernelTest {
    private static final int TOGGLES = 1000;
    private static final int MIN_SECONDS = 10;
    private static final int COUNT_SECONDS = 5;
    /** Per CPU: at about 24 bytes an event, room for over a million events on each CPU. */
    private static final int BUFFER_KB = 32 * 1024;

    @Test
    void fourThreadsFlatOutWhileTheEventIsToggled1000TimesThenEveryCallIsOneEventInTrace() throws Exception {
        try (TraceInstance trace = TraceInstance.create("safety_load", BUFFER_KB);
             AppProcess app = AppProcess.start("LoadApp", SafetyApps.java(SafetyApps.currentJava(), "",
                 SafetyApps.appClassPath(), "LoadApp", trace.enableFile("user_events", "load_tick").toString(),
                 Integer.toString(TOGGLES), Integer.toString(MIN_SECONDS), Integer.toString(COUNT_SECONDS)))) {
            app.awaitLine("ready", Duration.ofSeconds(150));
            app.send("toggle");
            AppNumbers toggling = new AppNumbers(app.awaitValue("toggle phase: ", Duration.ofSeconds(600)));
            long toggledEvents = trace.countLines("load_tick");
            long toggledOverrun = trace.stat("overrun"); // events the full ring buffer overwrote

            trace.enable("user_events", "load_tick"); // left on: the event, and its enable bit, stay
            trace.clear();
            app.send("count");
            AppNumbers counting = new AppNumbers(app.awaitValue("count phase: ", Duration.ofSeconds(120)));
            long counted = trace.countLines("load_tick");
            long overrun = trace.stat("overrun");
            int status = app.awaitExit(Duration.ofSeconds(60));

            System.out.printf("load: toggling: %d calls by 4 threads in %.1f s (%.0f/s; most found the event off), %d"
                    + " toggles, %d events written, %d writes raced a disable, %d events recorded (%d in trace, %d"
                    + " overwritten by the full ring buffer), %d exceptions%n",
                toggling.get("calls"), toggling.decimal("seconds"), toggling.get("calls") / toggling.decimal("seconds"),
                toggling.get("toggles"), toggling.get("written"), toggling.get("raced"), toggledEvents + toggledOverrun,
                toggledEvents, toggledOverrun, toggling.get("exceptions"));
            System.out.printf("load: counting: %d calls in %.1f s (%.0f/s), %d written, %d events in trace, %d overrun,"
                    + " exit %d%n",
                counting.get("calls"), counting.decimal("seconds"), counting.get("calls") / counting.decimal("seconds"),
                counting.get("written"), counted, overrun, status);
            String transcript = app.transcript();
            assertEquals(0, status, "exit status" + transcript);
            assertEquals(TOGGLES, toggling.get("toggles"), "toggles done" + transcript);
            assertEquals(0, toggling.get("exceptions") + counting.get("exceptions"), "exceptions in the app" + transcript);
            assertTrue(toggling.get("calls") > 0 && toggledEvents > 0, "calls and events while toggling" + transcript);
            assertTrue(toggledEvents + toggledOverrun <= toggling.get("written"),
                "no more events recorded than writes that succeeded");
            assertEquals(0, overrun, "the ring buffer lost events: make it larger or the phase shorter");
            assertTrue(counting.get("calls") > 0, "calls while counting" + transcript);
            assertEquals(counting.get("calls"), counting.get("written"), "every call with the event on was written"
                + transcript);
            assertEquals(counting.get("calls"), counted, "every call is one event in trace");
            assertEquals(java.util.List.of(), app.agentComplaints(), "agent errors or warnings" + transcript);
        }
    }
}
