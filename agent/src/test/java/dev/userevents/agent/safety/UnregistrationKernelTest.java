package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.backend.EventBackend;
import dev.userevents.agent.backend.KernelBackend;
import dev.userevents.agent.config.AgentOptions;
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
 * {@code KernelBackend.close()} unregisters every enable word, after which the kernel never sets it again,
 * even while a tracer enables the event. (The agent does not call it at JVM exit: the application's own
 * shutdown hooks may still emit events, and the kernel drops an exiting process's enable words by itself;
 * see {@code FaultModelKernelTest}.)
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
}
