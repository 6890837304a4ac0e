package dev.userevents.agent.weave;

import static dev.userevents.agent.weave.WovenClasses.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.probe.EventContext;
import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.agent.testing.CapturedLog;
import dev.userevents.agent.testing.EnableWords;
import dev.userevents.agent.testing.EventHeaderDecoder;
import dev.userevents.agent.testing.EveryJavaTypeValues;
import dev.userevents.agent.testing.RecordingBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code format=eventheader} through the real weaver, registrar and runtime: the events decoded by the test's
 * own {@link EventHeaderDecoder}, the tracepoints shared by level and keyword.
 */
class EventHeaderWeavingTest {
    private static final RecordingBackend BACKEND = new RecordingBackend();
    private static final ProbeRegistrar REGISTRAR = new ProbeRegistrar(BACKEND, "javatest");
    private static final Class<?> WOVEN = weave();

    private static Class<?> weave() {
        byte[] original = WovenClasses.classFile(EventHeaderSample.class);
        ProbeClassWeaver weaver = new ProbeClassWeaver(REGISTRAR, "", EventContext.NONE, false);
        try {
            return WovenClasses.define(EventHeaderSample.class.getName(), Objects.requireNonNull(weaver.weave(original,
                ProbeClassWeaver.plan(original, ProbesFile.EMPTY), EventHeaderSample.class.getClassLoader())),
                EventHeaderSample.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    @AfterEach
    void disableAll() {
        BACKEND.disableAll();
        BACKEND.sink().clear();
    }

    @Test
    void tracepointsAreRegisteredOncePerLevelAndKeywordWithTheEventHeaderFormat() {
        assertEquals("javatest_L5K1 u8 eventheader_flags; u8 version; u16 id; u16 tag; u8 opcode; u8 level",
            BACKEND.format("javatest_L5K1").command());
        assertEquals("javatest_L4K2a u8 eventheader_flags; u8 version; u16 id; u16 tag; u8 opcode; u8 level",
            BACKEND.format("javatest_L4K2a").command());
        BACKEND.format("javatest_L4K1");
        assertEquals(3, BACKEND.registeredCount(), "one registration per tracepoint, none per event");
        assertNotEquals(BACKEND.enableWord("javatest_L5K1"), BACKEND.enableWord("javatest_L4K1"));
    }

    @Test
    void everyJavaTypeDecodesToItsEventHeaderType() throws Throwable {
        enable("javatest_L5K1");

        callEveryType(true, (byte) -7, (short) -300, 'é', Integer.MIN_VALUE, Long.MAX_VALUE, 1.25e-3f, Math.PI, "who-é-29 🎉",
            List.of(1, 2), EventHeaderSample.Color.GREEN);

        EventHeaderDecoder.Event event = onlyEvent("javatest_L5K1");
        assertEquals("EventHeaderSample_everyType", event.name());
        assertEquals(5, event.level());
        assertEquals(0x07, event.flags(), "pointer64, little-endian, extension");
        assertEquals(0, event.opcode());
        Map<String, Object> values = event.values();
        assertEquals(List.of("flag", "small", "medium", "letter", "number", "big", "ratio", "precise", "text", "thing",
            "color"), new ArrayList<>(values.keySet()));
        EveryJavaTypeValues.assertDecoded(values);
    }

    @Test
    void nullsAreEmptyStrings() throws Throwable {
        enable("javatest_L5K1");

        callEveryType(false, (byte) 0, (short) 0, 'a', 0, 0L, Float.NaN, Double.NEGATIVE_INFINITY, null, null, null);

        Map<String, Object> values = onlyEvent("javatest_L5K1").values();
        assertEquals(false, values.get("flag"));
        assertTrue(Float.isNaN((Float) values.get("ratio")));
        assertEquals(Double.NEGATIVE_INFINITY, values.get("precise"));
        assertEquals("", values.get("text"));
        assertEquals("", values.get("thing"));
        assertEquals("", values.get("color"));
    }

    @Test
    void longStringsAreCutOnACharacterWithAMark() throws Throwable {
        enable("javatest_L5K1");
        ProbeRuntime.setMaxStringBytes(16);
        try {
            call(WOVEN, null, "greet", new Class<?>[] {String.class}, "ééééééééééééééééé");
        } finally {
            ProbeRuntime.setMaxStringBytes(1024);
        }

        List<EventHeaderDecoder.Event> events = events("javatest_L5K1");
        assertEquals(2, events.size(), "entry and exit share the tracepoint");
        assertEquals("éééééé...", events.get(0).value("who"), "15 bytes: a seventh é would make 17");
        assertEquals("hi ééééé...", events.get(1).value("ret"), "16 bytes: 3 + 5 x 2 + 3");
    }

    @Test
    void exitEventsCarryReturnDurationAndThrown() throws Throwable {
        enable("javatest_L5K1");

        assertEquals(2.5, call(WOVEN, null, "half", new Class<?>[] {double.class}, 5.0));
        assertEquals('x', call(WOVEN, null, "first", new Class<?>[] {String.class}, "xyz"));
        assertThrows(IllegalStateException.class, () -> call(WOVEN, null, "fail", new Class<?>[] {String.class}, "no"));

        List<EventHeaderDecoder.Event> events = events("javatest_L5K1");
        assertEquals(List.of("EventHeaderSample_half", "EventHeaderSample_half_exit", "EventHeaderSample_first",
            "EventHeaderSample_first_exit", "EventHeaderSample_fail", "EventHeaderSample_fail_exit"),
            events.stream().map(EventHeaderDecoder.Event::name).toList());
        EventHeaderDecoder.Event half = events.get(1);
        assertEquals(List.of("ret", "duration_ns", "thrown"), new ArrayList<>(half.values().keySet()));
        assertEquals(2.5, half.value("ret"));
        assertTrue((Long) half.value("duration_ns") >= 0);
        assertEquals("", half.value("thrown"));
        assertEquals('x', events.get(3).value("ret"));
        EventHeaderDecoder.Event fail = events.get(5);
        assertEquals(List.of("duration_ns", "thrown"), new ArrayList<>(fail.values().keySet()));
        assertEquals(IllegalStateException.class.getName(), fail.value("thrown"));
    }

    @Test
    void levelAndKeywordPickTheTracepointAndItsWord() throws Throwable {
        enable("javatest_L4K2a");

        call(WOVEN, null, "warning", new Class<?>[] {int.class}, 42);
        call(WOVEN, null, "information", new Class<?>[] {int.class}, 43);
        call(WOVEN, null, "greet", new Class<?>[] {String.class}, "x");

        EventHeaderDecoder.Event warning = onlyEvent("javatest_L4K2a");
        assertEquals(4, warning.level());
        assertEquals(42L, warning.value("code"));
        assertEquals(List.of(), events("javatest_L4K1"), "another tracepoint: off");
        assertEquals(1, BACKEND.sink().events().size(), "only the enabled tracepoint's event is written");
        assertEquals(List.of(), events("javatest_L5K1"), "another tracepoint: off");
    }

    @Test
    void aLevelOutOfRangeLeavesTheProbeOffWithOneLine() {
        try (CapturedLog log = CapturedLog.start()) {
            Map<String, ?> definitions = WovenClasses.definitions(EventHeaderSample.class, "", ProbesFile.EMPTY);
            assertFalse(definitions.containsKey("badLevel(I)V"));
            List<String> lines = log.linesWith("badLevel");
            assertEquals(1, lines.size(), String.valueOf(log.lines()));
            assertEquals("[userevents] ERROR probe EventHeaderSample_badLevel on " + EventHeaderSample.class.getName() + ".badLevel left off:"
                + " @Tracepoint: level 7 is not an EventHeader level: use 1 (critical), 2 (error), 3 (warning),"
                + " 4 (information) or 5 (verbose)", lines.get(0));
        }
        assertNull(BACKEND.format("javatest_L7K1"));
    }

    @Test
    void wovenCodeIsTheTracefsCodeButForItsConstants() {
        byte[] original = WovenClasses.classFile(EventHeaderSample.class);
        byte[] eventHeader = new ProbeClassWeaver(REGISTRAR, "", EventContext.NONE, false).weave(original,
            ProbeClassWeaver.plan(original, ProbesFile.EMPTY), EventHeaderSample.class.getClassLoader());
        byte[] tracefs = WovenClasses.weave(original, ProbesFile.EMPTY, EventHeaderSample.class.getClassLoader());

        Map<String, List<String>> withEventHeader = instructions(Objects.requireNonNull(eventHeader));
        Map<String, List<String>> withTracefs = instructions(Objects.requireNonNull(tracefs));
        assertEquals(withTracefs.keySet(), withEventHeader.keySet());
        for (String method : withTracefs.keySet()) {
            assertEquals(withTracefs.get(method), withEventHeader.get(method), method);
        }
        assertTrue(withTracefs.get("everyType(ZBSCIJFDLjava/lang/String;Ljava/lang/Object;"
            + "Ldev/userevents/agent/weave/EventHeaderSample$Color;)V").contains(
            "INVOKESTATIC dev/userevents/shim/hotpath/NativeWords.loInt(J)I"), "the check is woven");
    }

    /** Each method's instructions as text, the int and long constants (probe ids, word addresses) masked. */
    private static Map<String, List<String>> instructions(byte[] classFile) {
        Map<String, List<String>> methods = new java.util.TreeMap<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                List<String> code = new ArrayList<>();
                methods.put(name + descriptor, code);
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitInsn(int opcode) {
                        code.add("INSN " + opcode);
                    }

                    @Override
                    public void visitIntInsn(int opcode, int operand) {
                        code.add("INT " + opcode + " " + operand);
                    }

                    @Override
                    public void visitVarInsn(int opcode, int local) {
                        code.add("VAR " + opcode + " " + local);
                    }

                    @Override
                    public void visitJumpInsn(int opcode, net.bytebuddy.jar.asm.Label label) {
                        code.add("JUMP " + opcode);
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        code.add(value instanceof Integer ? "LDC int" : value instanceof Long ? "LDC long" : "LDC " + value);
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        code.add((opcode == Opcodes.INVOKESTATIC ? "INVOKESTATIC " : "INVOKE " + opcode + " ") + owner
                            + "." + method + desc);
                    }

                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        code.add("TYPE " + opcode + " " + type);
                    }
                };
            }
        }, 0);
        return methods;
    }

    private static void enable(String tracepoint) {
        EnableWords.enable(BACKEND.enableWord(tracepoint));
    }

    private static List<EventHeaderDecoder.Event> events(String tracepoint) {
        List<EventHeaderDecoder.Event> decoded = new ArrayList<>();
        int writeIndex = BACKEND.writeIndex(tracepoint);
        for (byte[] event : BACKEND.sink().events()) {
            if (java.nio.ByteBuffer.wrap(event).order(java.nio.ByteOrder.nativeOrder()).getInt() == writeIndex) {
                decoded.add(EventHeaderDecoder.decode(event, 4, event.length - 4));
            }
        }
        return decoded;
    }

    private static EventHeaderDecoder.Event onlyEvent(String tracepoint) {
        List<EventHeaderDecoder.Event> events = events(tracepoint);
        assertEquals(1, events.size(), "events of " + tracepoint);
        return events.get(0);
    }


    /** {@code EventHeaderSample.everyType(...)} of the woven copy. */
    private static void callEveryType(Object... arguments) throws Throwable {
        call(WOVEN, null, "everyType", new Class<?>[] {boolean.class, byte.class, short.class, char.class, int.class,
            long.class, float.class, double.class, String.class, Object.class, EventHeaderSample.Color.class},
            arguments);
    }
}
