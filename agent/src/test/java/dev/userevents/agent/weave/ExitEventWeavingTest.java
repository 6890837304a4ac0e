package dev.userevents.agent.weave;

import static dev.userevents.agent.weave.WovenClasses.BACKEND;
import static dev.userevents.agent.weave.WovenClasses.call;
import static dev.userevents.agent.weave.WovenClasses.enable;
import static dev.userevents.agent.weave.WovenClasses.eventsOf;
import static dev.userevents.agent.weave.WovenClasses.onlyEventOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.testing.EnableWords;
import dev.userevents.agent.testing.EventPayload;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @Tracepoint(exit = true)}: a second event, {@code <name>_exit}, with the return value as {@code ret},
 * the time spent as {@code duration_ns} and the exception's class name as {@code thrown}. It has its own
 * enable word, independent of the entry event's.
 */
class ExitEventWeavingTest {
    private static final Class<?>[] INT = {int.class};

    private final Class<?> woven = WovenClasses.of(ExitSample.class);

    @BeforeEach
    void clearEvents() {
        BACKEND.disableAll();
        BACKEND.sink().clear();
    }

    @AfterEach
    void disableProbes() {
        BACKEND.disableAll();
    }

    @Test
    void exitFormatIsReturnDurationAndThrown() {
        assertEquals("ExitSample_square_exit s32 ret; s64 duration_ns; __rel_loc char[] thrown",
            BACKEND.format("ExitSample_square_exit").command());
        assertEquals("ExitSample_nothing_exit s64 duration_ns; __rel_loc char[] thrown",
            BACKEND.format("ExitSample_nothing_exit").command());
        assertEquals("ExitSample_upper_exit __rel_loc char[] ret; s64 duration_ns; __rel_loc char[] thrown",
            BACKEND.format("ExitSample_upper_exit").command());
    }

    @Test
    void narrowReturnTypesKeepTheirFieldTypes() {
        assertEquals("ExitSample_asByte_exit s8 ret; s64 duration_ns; __rel_loc char[] thrown",
            BACKEND.format("ExitSample_asByte_exit").command());
        assertEquals("ExitSample_asShort_exit s16 ret; s64 duration_ns; __rel_loc char[] thrown",
            BACKEND.format("ExitSample_asShort_exit").command());
        assertEquals("ExitSample_asChar_exit u16 ret; s64 duration_ns; __rel_loc char[] thrown",
            BACKEND.format("ExitSample_asChar_exit").command());
        assertEquals("ExitSample_isEven_exit u8 ret; s64 duration_ns; __rel_loc char[] thrown",
            BACKEND.format("ExitSample_isEven_exit").command());
    }

    @Test
    void explicitNameGetsTheExitSuffix() {
        assertEquals("checkout_exit s32 ret; s64 duration_ns; __rel_loc char[] thrown", BACKEND.format("checkout_exit").command());
    }

    @Test
    void disabledExitWritesNothing() throws Throwable {
        assertEquals(49, call(woven, null, "square", INT, 7));

        assertEquals(List.of(), BACKEND.sink().events());
    }

    @Test
    void exitEventCarriesTheReturnValueAndNoException() throws Throwable {
        enable("ExitSample_square_exit");

        assertEquals(49, call(woven, null, "square", INT, 7));

        EventPayload exit = onlyEventOf("ExitSample_square_exit");
        assertEquals(49, exit.s32());
        assertTrue(exit.s64() >= 0);
        assertEquals("", exit.string());
        assertEquals(List.of(), eventsOf("ExitSample_square"), "the entry event has its own enable word");
    }

    @Test
    void entryAndExitBothEnabledWriteEntryThenExit() throws Throwable {
        enable("ExitSample_square");
        enable("ExitSample_square_exit");

        call(woven, null, "square", INT, 3);

        List<byte[]> events = BACKEND.sink().events();
        assertEquals(2, events.size());
        EventPayload entry = new EventPayload(events.get(0));
        EventPayload exit = new EventPayload(events.get(1));
        assertEquals(BACKEND.writeIndex("ExitSample_square"), entry.writeIndex());
        assertEquals(3, entry.s32());
        assertEquals(BACKEND.writeIndex("ExitSample_square_exit"), exit.writeIndex());
        assertEquals(9, exit.s32());
    }

    @Test
    void voidMethodExitHasDurationAndThrownOnly() throws Throwable {
        enable("ExitSample_nothing_exit");

        call(woven, null, "nothing", INT, 1);

        EventPayload exit = onlyEventOf("ExitSample_nothing_exit");
        assertTrue(exit.s64() >= 0);
        assertEquals("", exit.string());
        assertEquals(exit.cursor() + 1, exit.length(), "an empty thrown string is just its NUL");
    }

    @Test
    void thrownExceptionIsNamedAndStillPropagatesUnchanged() {
        enable("ExitSample_fail_exit");
        IllegalArgumentException exception = new IllegalArgumentException("no");

        Throwable caught = assertThrows(IllegalArgumentException.class,
            () -> call(woven, null, "fail", new Class<?>[] {RuntimeException.class}, exception));

        assertSame(exception, caught);
        EventPayload exit = onlyEventOf("ExitSample_fail_exit");
        assertEquals(0L, exit.s64(), "no return value: ret is zero");
        exit.s64();
        assertEquals("java.lang.IllegalArgumentException", exit.string());
    }

    @Test
    void durationCoversTheTimeInsideTheMethod() throws Throwable {
        enable("ExitSample_sleep_exit");

        call(woven, null, "sleep", new Class<?>[] {long.class}, 20L);

        long duration = onlyEventOf("ExitSample_sleep_exit").s64();
        assertTrue(duration >= 20_000_000L, "duration_ns " + duration);
        assertTrue(duration < 20_000_000_000L, "duration_ns " + duration);
    }

    @Test
    void byteReturnIsOneSignedByte() throws Throwable {
        enable("ExitSample_asByte_exit");

        assertEquals((byte) -1, call(woven, null, "asByte", INT, 255));

        EventPayload exit = onlyEventOf("ExitSample_asByte_exit");
        assertEquals(-1, exit.s8());
        assertTrue(exit.s64() >= 0);
        assertEquals("", exit.string());
    }

    @Test
    void shortReturnIsTwoSignedBytes() throws Throwable {
        enable("ExitSample_asShort_exit");

        call(woven, null, "asShort", INT, 0x18000);

        EventPayload exit = onlyEventOf("ExitSample_asShort_exit");
        assertEquals((short) 0x8000, exit.s16());
        assertTrue(exit.s64() >= 0);
        assertEquals("", exit.string());
    }

    @Test
    void charReturnIsItsUnsignedCodeUnit() throws Throwable {
        enable("ExitSample_asChar_exit");

        call(woven, null, "asChar", INT, 0xFFFF);

        EventPayload exit = onlyEventOf("ExitSample_asChar_exit");
        assertEquals(0xFFFF, exit.u16());
        assertTrue(exit.s64() >= 0);
        assertEquals("", exit.string());
    }

    @Test
    void booleanReturnIsZeroOrOne() throws Throwable {
        enable("ExitSample_isEven_exit");

        call(woven, null, "isEven", INT, 4);
        call(woven, null, "isEven", INT, 5);

        List<EventPayload> exits = eventsOf("ExitSample_isEven_exit");
        assertEquals(1, exits.get(0).u8());
        assertEquals(0, exits.get(1).u8());
    }

    @Test
    void floatingPointReturnsAreDecimalText() throws Throwable {
        enable("ExitSample_half_exit");
        enable("ExitSample_third_exit");

        call(woven, null, "half", new Class<?>[] {double.class}, 25.0);
        call(woven, null, "third", new Class<?>[] {float.class}, 1f);

        assertEquals("12.5", onlyEventOf("ExitSample_half_exit").string());
        assertEquals("0.3333333", onlyEventOf("ExitSample_third_exit").string());
    }

    @Test
    void longReturnKeepsAllSixtyFourBits() throws Throwable {
        enable("ExitSample_negate_exit");

        call(woven, null, "negate", new Class<?>[] {long.class}, -Long.MAX_VALUE);

        assertEquals(Long.MAX_VALUE, onlyEventOf("ExitSample_negate_exit").s64());
    }

    @Test
    void objectReturnsAreTextAndNullIsMarked() throws Throwable {
        enable("ExitSample_upper_exit");
        enable("ExitSample_decide_exit");

        assertEquals("ABC", call(woven, null, "upper", new Class<?>[] {String.class}, "abc"));
        call(woven, null, "upper", new Class<?>[] {String.class}, (Object) null);
        call(woven, null, "decide", INT, 70);

        List<EventPayload> uppers = eventsOf("ExitSample_upper_exit");
        assertEquals("ABC", uppers.get(0).string());
        assertEquals("(null)", uppers.get(1).string());
        assertEquals("ACCEPTED", onlyEventOf("ExitSample_decide_exit").string());
    }

    @Test
    void instanceMethodStartingAtALoopTargetGetsEntryAndExit() throws Throwable {
        enable("ExitSample_countDown");
        enable("ExitSample_countDown_exit");

        assertEquals(0, call(woven, WovenClasses.newInstance(woven), "countDown", INT, 4));

        assertEquals(4, onlyEventOf("ExitSample_countDown").s32());
        assertEquals(0, onlyEventOf("ExitSample_countDown_exit").s32());
    }
}
