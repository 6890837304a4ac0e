package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.config.AgentOptions;
import dev.userevents.agent.registry.EventBackend;
import dev.userevents.agent.registry.KernelBackend;
import dev.userevents.shim.EventFormat;
import dev.userevents.shim.hotpath.NativeWords;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.TraceInstance;
import dev.userevents.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When the agent stops, the kernel stops writing into the application's memory: every enable word is
 * unregistered ({@code KernelBackend.close()}, run by the agent's shutdown hook at JVM exit), after which the
 * kernel never sets it again, even while a tracer enables the event.
 */
@KernelTest
class UnregistrationKernelTest {
    private static final long SETTLE_MILLIS = 500;

    /** In this JVM: the backend the agent uses, three events registered, closed while a tracer listens. */
    @Test
    void afterCloseTheKernelNeverSetsAnyEnableWordAgainEvenWhenTheEventIsEnabled() throws Exception {
        String stem = "safety_unreg_" + ProcessHandle.current().pid() + "_";
        KernelBackend backend = KernelBackend.open(AgentOptions.defaults());
        List<String> names = List.of(stem + "a", stem + "b", stem + "c");
        List<Long> words = new ArrayList<>();
        for (String name : names) {
            EventBackend.Registered registered = backend.register(EventFormat.named(name).s32("x").string("s"));
            words.add(registered.enableWordAddress);
        }
        try (TraceInstance trace = TraceInstance.create("safety_unreg", 64)) {
            for (String name : names) {
                trace.enable("user_events", name);
            }
            for (int i = 0; i < words.size(); i++) {
                long word = words.get(i);
                String name = names.get(i);
                Wait.until(Duration.ofSeconds(5), () -> name + ": the kernel to set the word when a tracer enabled it",
                    () -> NativeWords.loInt(word) == 1);
            }

            backend.close();
            for (int i = 0; i < words.size(); i++) {
                assertEquals(0, NativeWords.loInt(words.get(i)), names.get(i) + ": unregister clears the bit");
            }
            for (String name : names) {
                trace.disable("user_events", name);
                trace.enable("user_events", name);
            }
            Thread.sleep(SETTLE_MILLIS);
            for (int i = 0; i < words.size(); i++) {
                assertEquals(0, NativeWords.loInt(words.get(i)), names.get(i) + ": the kernel set an unregistered word");
            }
        }
        System.out.printf("unregistration: %d enable words read 1 while traced, 0 right after KernelBackend.close(), and"
            + " stayed 0 for %d ms while the events were enabled again%n", words.size(), SETTLE_MILLIS);
    }

    /**
     * A real JVM exit with the agent: the app's own shutdown hook watches its four enable words (three entry
     * events and one exit event) go from 1 to 0 while the test keeps every event enabled.
     */
    @Test
    void atJvmExitTheAgentUnregistersEveryEnableWordWhileTracersStillListen() throws Exception {
        List<String> events = List.of("unreg_a", "unreg_b", "unreg_c", "unreg_c_exit");
        try (TraceInstance trace = TraceInstance.create("safety_unreg_exit", 64);
             AppProcess app = AppProcess.start("UnregisterApp", SafetyApps.java(SafetyApps.currentJava(), "",
                 SafetyApps.appClassPath(), "UnregisterApp"))) {
            app.awaitLine("ready", Duration.ofSeconds(150));
            for (String event : events) {
                trace.enable("user_events", event);
            }
            app.send("go");
            String traced = app.awaitValue("words while traced: ", Duration.ofSeconds(60));
            app.awaitLine("done", Duration.ofSeconds(60));
            long written = 0;
            for (String event : events) {
                written += trace.countLines(event);
            }
            int status = app.awaitExit(Duration.ofSeconds(60));
            String atExit = app.awaitValue("words at exit: ", Duration.ofSeconds(5));

            assertEquals(0, status, "exit status" + app.transcript());
            assertEquals("unreg_a=1 unreg_b=1 unreg_c=1 unreg_c_exit=1", traced, app.transcript());
            assertTrue(atExit.startsWith("unreg_a=0 unreg_b=0 unreg_c=0 unreg_c_exit=0 after "), atExit + app.transcript());
            assertEquals(4, written, "one event each while traced");
            System.out.printf("unregistration: at JVM exit with 4 events still enabled, the app's enable words went from"
                + " '%s' to '%s'%n", traced, atExit);
        }
    }
}
