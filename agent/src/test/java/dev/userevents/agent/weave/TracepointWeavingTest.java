package dev.userevents.agent.weave;

import static dev.userevents.agent.weave.WovenClasses.BACKEND;
import static dev.userevents.agent.weave.WovenClasses.call;
import static dev.userevents.agent.weave.WovenClasses.enable;
import static dev.userevents.agent.weave.WovenClasses.eventsOf;
import static dev.userevents.agent.weave.WovenClasses.onlyEventOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.testing.CapturedLog;
import dev.userevents.agent.testing.EnableWords;
import dev.userevents.agent.testing.EventPayload;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Woven methods, called for real: with the enable word at 0 they only check it; with it at 1 each call
 * writes one event holding its arguments. Either way the method does exactly what it did before.
 */
class TracepointWeavingTest {
    private static final Class<?>[] INT_INT = {int.class, int.class};
    private static final Class<?>[] EVERY_TYPE = {boolean.class, byte.class, short.class, char.class, int.class,
        long.class, float.class, double.class, String.class, TracedSample.Color.class, Object.class};

    private final Class<?> woven = weave(TracedSample.class);

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
    void wovenCopyIsANewClassBesideTheOriginal() {
        assertNotSame(TracedSample.class, woven);
        assertEquals(TracedSample.class.getName(), woven.getName());
    }

    @Test
    void disabledProbeWritesNothingAndTheMethodReturnsAsUsual() throws Throwable {
        assertEquals(5, call(woven, null, "add", INT_INT, 2, 3));

        assertEquals(List.of(), BACKEND.sink().events());
    }

    @Test
    void enabledStaticMethodWritesOneEventWithItsArguments() throws Throwable {
        enable("TracedSample_add");

        assertEquals(5, call(woven, null, "add", INT_INT, 2, 3));

        EventPayload event = onlyEventOf("TracedSample_add");
        assertEquals(2, event.s32());
        assertEquals(3, event.s32());
        assertEquals(4 + 8, event.length());
    }

    @Test
    void eachCallWritesExactlyOneEvent() throws Throwable {
        enable("TracedSample_add");

        for (int i = 0; i < 3; i++) {
            call(woven, null, "add", INT_INT, i, 10);
        }

        List<EventPayload> events = eventsOf("TracedSample_add");
        assertEquals(3, events.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, events.get(i).s32());
        }
    }

    @Test
    void enableWordIsReadOnEveryCall() throws Throwable {
        long word = BACKEND.enableWord("TracedSample_add");

        call(woven, null, "add", INT_INT, 1, 1);
        EnableWords.enable(word);
        call(woven, null, "add", INT_INT, 2, 2);
        EnableWords.disable(word);
        call(woven, null, "add", INT_INT, 3, 3);

        List<EventPayload> events = eventsOf("TracedSample_add");
        assertEquals(1, events.size());
        assertEquals(2, events.get(0).s32());
    }

    @Test
    void instanceMethodEncodesItsArgumentsNotThis() throws Throwable {
        enable("TracedSample_greet");
        Object sample = WovenClasses.newInstance(woven);

        assertEquals("hello ann #1", call(woven, sample, "greet", new Class<?>[] {String.class}, "ann"));

        EventPayload event = onlyEventOf("TracedSample_greet");
        assertEquals("ann", event.string());
        assertEquals(4 + 4 + 4, event.length());
    }

    @Test
    void privateMethodIsWoven() throws Throwable {
        enable("TracedSample_twice");
        Object sample = WovenClasses.newInstance(woven);

        assertEquals(42L, call(woven, sample, "callTwice", new Class<?>[] {long.class}, 21L));

        assertEquals(21L, onlyEventOf("TracedSample_twice").s64());
    }

    @Test
    void everyParameterTypeIsEncodedInOrder() throws Throwable {
        enable("TracedSample_everyType");
        Object[] args = {true, (byte) -5, (short) -300, '\u00e9', Integer.MIN_VALUE, Long.MAX_VALUE, 1.5f, 0.1,
            "text", TracedSample.Color.GREEN, List.of(1, 2)};

        Object result = call(woven, null, "everyType", EVERY_TYPE, args);

        assertEquals(TracedSample.everyType(true, (byte) -5, (short) -300, '\u00e9', Integer.MIN_VALUE, Long.MAX_VALUE,
            1.5f, 0.1, "text", TracedSample.Color.GREEN, List.of(1, 2)), result);
        EventPayload event = onlyEventOf("TracedSample_everyType");
        assertEquals(1, event.u8());
        assertEquals(-5, event.s8());
        assertEquals(-300, event.s16());
        assertEquals('\u00e9', event.u16());
        assertEquals(Integer.MIN_VALUE, event.s32());
        assertEquals(Long.MAX_VALUE, event.s64());
        assertEquals("1.5", event.string());
        assertEquals("0.1", event.string());
        assertEquals("text", event.string());
        assertEquals("GREEN", event.string());
        assertEquals("[1, 2]", event.string());
    }

    @Test
    void nullReferenceArgumentsAreEncodedAsNull() throws Throwable {
        enable("TracedSample_everyType");

        call(woven, null, "everyType", EVERY_TYPE, false, (byte) 0, (short) 0, 'a', 0, 0L, 0f, 0.0, null, null, null);

        EventPayload event = onlyEventOf("TracedSample_everyType");
        event.u8();
        event.s8();
        event.s16();
        event.u16();
        event.s32();
        event.s64();
        assertEquals("0", event.string());
        assertEquals("0", event.string());
        assertEquals("(null)", event.string());
        assertEquals("(null)", event.string());
        assertEquals("(null)", event.string());
    }

    @Test
    void wideParametersOfAnInstanceMethodAreReadFromTheirOwnSlots() throws Throwable {
        enable("TracedSample_wide");
        Object sample = WovenClasses.newInstance(woven);

        assertEquals(1_000_000_000_003.25,
            call(woven, sample, "wide", new Class<?>[] {long.class, double.class, int.class}, 1_000_000_000_000L, 0.25, 3));

        EventPayload event = onlyEventOf("TracedSample_wide");
        assertEquals(1_000_000_000_000L, event.s64());
        assertEquals("0.25", event.string());
        assertEquals(3, event.s32());
    }

    @Test
    void methodStartingAtALoopTargetStillVerifiesAndRuns() throws Throwable {
        assertEquals(0, call(woven, null, "countDown", new Class<?>[] {int.class}, 5));
        enable("TracedSample_countDown");

        assertEquals(0, call(woven, null, "countDown", new Class<?>[] {int.class}, 7));

        assertEquals(7, onlyEventOf("TracedSample_countDown").s32());
    }

    @Test
    void exceptionThrownByTheMethodPropagatesUnchanged() {
        enable("TracedSample_rethrow");
        IllegalStateException thrown = new IllegalStateException("boom");

        Throwable caught = assertThrows(IllegalStateException.class,
            () -> call(woven, null, "rethrow", new Class<?>[] {RuntimeException.class}, thrown));

        assertSame(thrown, caught);
        assertEquals("java.lang.IllegalStateException: boom", onlyEventOf("TracedSample_rethrow").string());
    }

    @Test
    void exceptionPropagatesUnchangedWhenTheProbeIsDisabled() {
        IllegalStateException thrown = new IllegalStateException("boom");

        Throwable caught = assertThrows(IllegalStateException.class,
            () -> call(woven, null, "rethrow", new Class<?>[] {RuntimeException.class}, thrown));

        assertSame(thrown, caught);
        assertEquals(List.of(), BACKEND.sink().events());
    }

    @Test
    void argumentWhoseToStringThrowsIsMarkedAndOnlyTheMethodsOwnCallThrows() {
        enable("TracedSample_everyType");
        Object broken = new Object() {
            @Override
            public String toString() {
                throw new UnsupportedOperationException("no text");
            }
        };

        for (int call = 0; call < 2; call++) {
            // the method body concatenates the argument: that exception is the method's own and must still come
            Throwable thrown = assertThrows(UnsupportedOperationException.class, () -> call(woven, null, "everyType",
                EVERY_TYPE, true, (byte) 1, (short) 1, 'a', 1, 1L, 1f, 1.0, "t", TracedSample.Color.RED, broken));
            assertEquals("no text", thrown.getMessage());
        }

        List<EventPayload> events = eventsOf("TracedSample_everyType");
        assertEquals(2, events.size(), "the probe stays on");
        EventPayload event = events.get(0);
        event.u8();
        event.s8();
        event.s16();
        event.u16();
        event.s32();
        event.s64();
        assertEquals(List.of("1", "1", "t", "RED", "(toString threw)"),
            List.of(event.string(), event.string(), event.string(), event.string(), event.string()));
    }

    @Test
    void overloadsWriteTheirOwnEventsNamedInDescriptorOrder() throws Throwable {
        enable("TracedSample_overloaded");
        enable("TracedSample_overloaded_2");
        enable("TracedSample_overloaded_3");

        assertEquals("int 4", call(woven, null, "overloaded", new Class<?>[] {int.class}, 4));
        assertEquals("long 3", call(woven, null, "overloaded", new Class<?>[] {long.class, long.class}, 1L, 2L));
        assertEquals("String s", call(woven, null, "overloaded", new Class<?>[] {String.class}, "s"));

        assertEquals(4, onlyEventOf("TracedSample_overloaded").s32());
        EventPayload longs = onlyEventOf("TracedSample_overloaded_2");
        assertEquals(1L, longs.s64());
        assertEquals(2L, longs.s64());
        assertEquals("s", onlyEventOf("TracedSample_overloaded_3").string());
    }

    @Test
    void explicitNameNamesTheEvent() throws Throwable {
        enable("custom_name");

        assertEquals(-9, call(woven, null, "named", new Class<?>[] {int.class}, 9));

        assertEquals(9, onlyEventOf("custom_name").s32());
        assertFalse(BACKEND.isRegistered("TracedSample_named"));
    }

    @Test
    void methodWithoutArgumentsWritesJustTheWriteIndex() throws Throwable {
        enable("TracedSample_noArguments");

        assertEquals("done", call(woven, null, "noArguments", new Class<?>[0]));

        assertEquals(4, onlyEventOf("TracedSample_noArguments").length());
    }

    @Test
    void nestedClassMethodIsWovenUnderOuterAndInnerName() throws Throwable {
        Class<?> nested = weave(TracedSample.Nested.class);
        enable("TracedSample_Nested_run");

        assertEquals(8, call(nested, WovenClasses.newInstance(nested), "run", new Class<?>[] {int.class}, 7));

        assertEquals(7, onlyEventOf("TracedSample_Nested_run").s32());
    }

    @Test
    void wovenMethodsBehaveAsTheOriginalsWhetherEnabledOrNot() throws Throwable {
        Object wovenSample = WovenClasses.newInstance(woven);
        TracedSample original = new TracedSample();
        for (int round = 0; round < 2; round++) {
            assertEquals(original.greet("bo"), call(woven, wovenSample, "greet", new Class<?>[] {String.class}, "bo"));
            assertEquals(TracedSample.countDown(3), call(woven, null, "countDown", new Class<?>[] {int.class}, 3));
            assertEquals(original.callTwice(-8), call(woven, wovenSample, "callTwice", new Class<?>[] {long.class}, -8L));
            assertEquals(TracedSample.untraced(4), call(woven, null, "untraced", new Class<?>[] {int.class}, 4));
            enable("TracedSample_greet");
            enable("TracedSample_countDown");
            enable("TracedSample_twice");
        }
    }

    @Test
    void methodWithAnEmptyBodyAndWideParametersVerifiesAndWrites() throws Throwable {
        enable("TracedSample_emptyWide");

        call(woven, null, "emptyWide", new Class<?>[] {long.class, double.class}, -1L, 1e300);

        EventPayload event = onlyEventOf("TracedSample_emptyWide");
        assertEquals(-1L, event.s64());
        assertEquals("1e+300", event.string());
    }

    @Test
    void methodWhoseTryBlockStartsAtItsFirstInstructionKeepsItsHandler() throws Throwable {
        enable("TracedSample_parse");

        assertEquals(12, call(woven, null, "parse", new Class<?>[] {String.class}, "12"));
        assertEquals(-1, call(woven, null, "parse", new Class<?>[] {String.class}, "twelve"));

        List<EventPayload> events = eventsOf("TracedSample_parse");
        assertEquals("12", events.get(0).string());
        assertEquals("twelve", events.get(1).string());
    }

    @Test
    void synchronizedMethodIsWoven() throws Throwable {
        enable("TracedSample_locked");

        assertEquals(101, call(woven, null, "locked", new Class<?>[] {int.class}, 1));

        assertEquals(1, onlyEventOf("TracedSample_locked").s32());
    }

    @Test
    void staticAndDefaultInterfaceMethodsAreWoven() throws Throwable {
        Class<?> api = weave(InterfaceSample.class);
        enable("InterfaceSample_twice");
        enable("InterfaceSample_describe");
        Object implementation = new net.bytebuddy.ByteBuddy().subclass(Object.class).implement(api).make()
            .load(api.getClassLoader()).getLoaded().getDeclaredConstructor().newInstance();

        assertEquals(6, call(api, null, "twice", new Class<?>[] {int.class}, 3));
        assertEquals("[x]", call(api, implementation, "describe", new Class<?>[] {String.class}, "x"));

        assertEquals(3, onlyEventOf("InterfaceSample_twice").s32());
        assertEquals("x", onlyEventOf("InterfaceSample_describe").string());
    }

    @Test
    void methodsWithoutTracepointGetNoProbe() {
        weave(TracedSample.class);

        assertFalse(BACKEND.isRegistered("TracedSample_untraced"));
        assertFalse(BACKEND.isRegistered("TracedSample_callTwice"));
    }

    @Test
    void registeredFormatDeclaresOneFieldPerParameterNamedAfterIt() {
        assertEquals("TracedSample_everyType u8 flag; s8 small; s16 medium; u16 letter; s32 count; s64 total; "
                + "__rel_loc char[] ratio; __rel_loc char[] amount; __rel_loc char[] text; __rel_loc char[] color; "
                + "__rel_loc char[] other",
            BACKEND.format("TracedSample_everyType").command());
    }

    @Test
    void classWithoutTracepointsIsLeftAsItIs() {
        assertNull(WovenClasses.weave(WovenClasses.classFile(UntracedSample.class), ProbesFile.EMPTY,
            UntracedSample.class.getClassLoader()));
    }

    @Test
    void probeTheBackendRefusesLeavesItsMethodUnwoven() throws Throwable {
        BACKEND.refuse("refused_event");
        byte[] original = WovenClasses.classFile(RefusedSample.class);

        try (CapturedLog log = CapturedLog.start()) {
            // a registrar of its own: the shared one may remember the refusal from another test
            ProbeClassWeaver weaver = new ProbeClassWeaver(new ProbeRegistrar(BACKEND), "");
            for (int attempt = 0; attempt < 2; attempt++) {
                assertNull(weaver.weave(original, ProbeClassWeaver.plan(original, ProbesFile.EMPTY),
                    RefusedSample.class.getClassLoader()), "a class whose every probe is refused is not changed");
            }

            assertEquals(1, log.linesWith("refused_event").size(), "refused once, then remembered: " + log.lines());
        }
        assertEquals(36, call(weave(RefusedSample.class), null, "square", new Class<?>[] {int.class}, 6));
    }

    @Test
    void bridgeMethodIsNotASecondProbe() throws Throwable {
        Class<?> upper = weave(GenericHandler.Upper.class);
        enable("GenericHandler_Upper_handle");
        @SuppressWarnings("unchecked")
        GenericHandler<String> handler = (GenericHandler<String>) WovenClasses.newInstance(upper);

        assertEquals("ABC", handler.handle("abc")); // through the interface: the bridge calls the real method

        assertEquals("abc", onlyEventOf("GenericHandler_Upper_handle").string());
        assertFalse(BACKEND.isRegistered("GenericHandler_Upper_handle_2"));
        assertEquals(1, BACKEND.sink().events().size());
    }

    /** The woven copy of {@code type}: Byte Buddy's weaving here, plain ASM's in {@link EntryOnlyWeavingTest}. */
    /**
     * The application recurses through a traced method until the stack overflows and catches the error: it
     * sees a StackOverflowError as it would without the agent, and the probe keeps writing every event.
     */
    @Test
    void stackOverflowThroughAProbeLeavesItOnAndEveryLaterCallIsAnEvent() throws Throwable {
        Class<?> woven = weave(RecursiveSample.class);
        enable("RecursiveSample_recurse");
        Class<?>[] types = {int.class, String.class};

        assertThrows(StackOverflowError.class, () -> call(woven, null, "recurse", types, Integer.MAX_VALUE, "deep"));
        for (int i = 0; i < 100; i++) {
            assertEquals(0, call(woven, null, "recurse", types, 0, "after"));
        }

        long after = eventsOf("RecursiveSample_recurse").stream().filter(event -> {
            event.s32();
            return "after".equals(event.string());
        }).count();
        assertEquals(100, after);
        assertFalse(dev.userevents.agent.runtime.ProbeRuntime.installedProbes().stream()
            .anyMatch(probe -> probe.eventName().equals("RecursiveSample_recurse") && probe.isOff()));
    }

    Class<?> weave(Class<?> type) {
        return WovenClasses.of(type);
    }
}
