package dev.userevents.agent.weave;

import static dev.userevents.agent.weave.WovenClasses.BACKEND;
import static dev.userevents.agent.weave.WovenClasses.call;
import static dev.userevents.agent.weave.WovenClasses.enable;
import static dev.userevents.agent.weave.WovenClasses.eventsOf;
import static dev.userevents.agent.weave.WovenClasses.onlyEventOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.agent.testing.EventPayload;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @Tracepoint(stack = true)}: the entry and exit events end with {@code stack}, the calling Java stack,
 * innermost frame first, {@code pkg.Class.method:line}, {@code ;}-separated, at most {@code stackDepth} frames.
 */
class StackWeavingTest {
    private static final String SAMPLE = StackSample.class.getName();
    private final Class<?> woven = WovenClasses.of(StackSample.class);

    @AfterEach
    void reset() {
        BACKEND.disableAll();
        BACKEND.sink().clear();
        ProbeRuntime.setStackDepth(32);
    }

    @Test
    void formatEndsWithTheStack() {
        assertEquals("StackSample_c s32 x; __rel_loc char[] stack", BACKEND.format("StackSample_c").command());
        assertEquals("StackSample_c_exit s32 ret; s64 duration_ns; __rel_loc char[] thrown; __rel_loc char[] stack",
            BACKEND.format("StackSample_c_exit").command());
    }

    @Test
    void entryAndExitEventsNameTheCallChainWithLines() throws Throwable {
        enable("StackSample_c");
        enable("StackSample_c_exit");

        assertEquals(9, call(woven, null, "a", new Class<?>[] {int.class}, 3));

        EventPayload entry = onlyEventOf("StackSample_c");
        assertEquals(3, entry.s32());
        String entryStack = entry.string();
        // c at its first line (the probe's code has it), b and a at their calls, then this test's frames
        String chain = SAMPLE + ".c:17;" + SAMPLE + ".b:12;" + SAMPLE + ".a:8;";
        assertTrue(entryStack.startsWith(chain), entryStack);
        assertTrue(entryStack.contains(StackWeavingTest.class.getName() + ".entryAndExitEventsNameTheCallChainWithLines:"),
            entryStack);
        EventPayload exit = onlyEventOf("StackSample_c_exit");
        assertEquals(4, exit.s32(), "ret, one int wide though a string field follows");
        exit.s64();
        assertEquals("", exit.string());
        assertTrue(exit.string().startsWith(chain), "the stack of the call that returned");
    }

    @Test
    void anExitByAThrowableNamesTheMethodWithoutALineThatDidNotRun() throws Throwable {
        enable("StackSample_fails_exit");

        assertThrows(IllegalStateException.class, () -> call(woven, null, "fails", new Class<?>[] {int.class}, 1));
        assertEquals(0, call(woven, null, "fails", new Class<?>[] {int.class}, 0));

        List<EventPayload> exits = eventsOf("StackSample_fails_exit");
        assertEquals(2, exits.size());
        EventPayload thrown = exits.get(0);
        thrown.s32();
        thrown.s64();
        assertEquals(IllegalStateException.class.getName(), thrown.string());
        String stack = thrown.string();
        assertTrue(stack.startsWith(SAMPLE + ".fails;" + WovenClasses.class.getName() + ".call:"), stack);
        EventPayload returned = exits.get(1);
        returned.s32();
        returned.s64();
        assertEquals("", returned.string());
        assertTrue(returned.string().startsWith(SAMPLE + ".fails:25;"), "a return names its line");
    }

    @Test
    void stackDepthBoundsTheFrames() throws Throwable {
        ProbeRuntime.setStackDepth(2);
        enable("StackSample_c");

        call(woven, null, "a", new Class<?>[] {int.class}, 1);

        EventPayload entry = onlyEventOf("StackSample_c");
        entry.s32();
        assertEquals(SAMPLE + ".c:17;" + SAMPLE + ".b:12", entry.string());
    }

    @Test
    void offTheStackIsNeverWalked() throws Throwable {
        assertEquals(5, call(woven, null, "a", new Class<?>[] {int.class}, 1));

        assertEquals(List.of(), BACKEND.sink().events());
    }
}
