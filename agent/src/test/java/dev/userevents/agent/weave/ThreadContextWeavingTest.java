package dev.userevents.agent.weave;

import static dev.userevents.agent.weave.WovenClasses.BACKEND;
import static dev.userevents.agent.weave.WovenClasses.call;
import static dev.userevents.agent.weave.WovenClasses.onlyEventOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userevents.agent.probe.EventContext;
import dev.userevents.agent.testing.EnableWords;
import dev.userevents.agent.testing.EventPayload;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code context=thread}: entry and exit events end with {@code java_tid} (s64) and {@code virtual} (u8); a
 * parameter of either name falls back to {@code argN}; an exit event's narrow return field keeps its width.
 */
class ThreadContextWeavingTest {
    private static final Class<?> WOVEN = WovenClasses.wovenWith(ThreadContextSample.class, new EventContext(true, false));

    @AfterEach
    void disableProbes() {
        BACKEND.disableAll();
        BACKEND.sink().clear();
    }

    @Test
    void formatsEndWithTheThreadContext() {
        assertEquals("ThreadContextSample_narrow s32 value; __rel_loc char[] arg1; s64 java_tid; u8 virtual",
            BACKEND.format("ThreadContextSample_narrow").command());
        assertEquals("ThreadContextSample_narrow_exit s8 ret; s64 duration_ns; __rel_loc char[] thrown; s64 java_tid;"
            + " u8 virtual", BACKEND.format("ThreadContextSample_narrow_exit").command());
        assertEquals("ThreadContextSample_fail_exit s64 duration_ns; __rel_loc char[] thrown; s64 java_tid; u8 virtual",
            BACKEND.format("ThreadContextSample_fail_exit").command());
    }

    @Test
    void entryAndExitEventsCarryTheCallingThread() throws Throwable {
        for (String event : List.of("ThreadContextSample_narrow", "ThreadContextSample_narrow_exit",
                "ThreadContextSample_fail_exit")) {
            EnableWords.enable(BACKEND.enableWord(event));
        }
        long[] tid = new long[1];
        Thread caller = new Thread(() -> {
            tid[0] = Thread.currentThread().getId();
            try {
                call(WOVEN, null, "narrow", new Class<?>[] {int.class, String.class}, 300, "t");
                assertThrows(IllegalStateException.class,
                    () -> call(WOVEN, null, "fail", new Class<?>[] {String.class}, "no"));
            } catch (Throwable e) {
                throw new AssertionError(e);
            }
        }, "context-caller");
        caller.start();
        caller.join();

        EventPayload entry = onlyEventOf("ThreadContextSample_narrow");
        assertEquals(300, entry.s32());
        entry.relLoc();
        assertEquals(tid[0], entry.s64());
        assertEquals(0, entry.u8());
        EventPayload exit = onlyEventOf("ThreadContextSample_narrow_exit");
        assertEquals(44, exit.s8(), "(byte) 300: one byte, though context fields follow");
        exit.s64();
        exit.relLoc();
        assertEquals(tid[0], exit.s64());
        assertEquals(0, exit.u8());
        EventPayload failed = onlyEventOf("ThreadContextSample_fail_exit");
        failed.s64();
        failed.relLoc();
        assertEquals(tid[0], failed.s64());
        assertEquals(0, failed.u8());
    }
}
