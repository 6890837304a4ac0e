package dev.userevents.agent.weave;

import static dev.userevents.agent.weave.WovenClasses.BACKEND;
import static dev.userevents.agent.weave.WovenClasses.call;
import static dev.userevents.agent.weave.WovenClasses.enable;
import static dev.userevents.agent.weave.WovenClasses.eventsOf;
import static dev.userevents.agent.weave.WovenClasses.onlyEventOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.testing.EnableWords;
import dev.userevents.agent.testing.EventPayload;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Exit probes on every shape of method body ({@link ExitShapesSample}) and on bytecode javac never writes:
 * the woven copy returns and throws exactly what the original does, with the exit event on and off, and the
 * exit event says what happened.
 */
class ExitShapesWeavingTest {
    private static final Class<?> WOVEN = WovenClasses.of(ExitShapesSample.class);

    @AfterEach
    @AfterProperty
    void disableProbes() {
        BACKEND.disableAll();
        BACKEND.sink().clear();
    }

    @Property(tries = 300)
    void everyPathOutOfClassifyReturnsWhatTheOriginalDoes(@ForAll @IntRange(min = -5, max = 2000) int x,
                                                         @ForAll boolean exitOn) throws Throwable {
        setExit("ExitShapesSample_classify_exit", exitOn);
        BACKEND.sink().clear();

        Object result = call(WOVEN, null, "classify", new Class<?>[] {int.class}, x);

        assertEquals(ExitShapesSample.classify(x), result);
        List<EventPayload> exits = eventsOf("ExitShapesSample_classify_exit");
        assertEquals(exitOn ? 1 : 0, exits.size());
        if (exitOn) {
            assertEquals(result, exits.get(0).s32());
        }
    }

    @Property(tries = 100)
    void finallyPathsReturnAndThrowWhatTheOriginalDoes(@ForAll @IntRange(min = 0, max = 2) int mode,
                                                      @ForAll long a, @ForAll boolean exitOn) throws Throwable {
        setExit("ExitShapesSample_tryFinally_exit", exitOn);
        BACKEND.sink().clear();
        Class<?>[] types = {long.class, double.class, int.class};

        Outcome expected = Outcome.of(() -> ExitShapesSample.tryFinally(a, 2.5, mode));
        Outcome actual = Outcome.of(() -> call(WOVEN, null, "tryFinally", types, a, 2.5, mode));

        assertEquals(expected, actual);
        List<EventPayload> exits = eventsOf("ExitShapesSample_tryFinally_exit");
        assertEquals(exitOn ? 1 : 0, exits.size());
        if (exitOn) {
            EventPayload exit = exits.get(0);
            assertEquals(mode == 1 ? 0L : (Long) expected.value(), exit.s64());
            exit.s64(); // duration_ns
            assertEquals(mode == 1 ? IllegalStateException.class.getName() : "", exit.string());
        }
    }

    @Test
    void exceptionCaughtInsideTheMethodIsAReturn() throws Throwable {
        enable("ExitShapesSample_caughtInside_exit");

        assertEquals("not a number: x", call(WOVEN, null, "caughtInside", new Class<?>[] {String.class}, "x"));
        assertEquals("42", call(WOVEN, null, "caughtInside", new Class<?>[] {String.class}, "21"));

        List<EventPayload> exits = eventsOf("ExitShapesSample_caughtInside_exit");
        assertEquals(2, exits.size());
        assertEquals("not a number: x", exits.get(0).string());
        exits.get(0).s64();
        assertEquals("", exits.get(0).string(), "the method returned: nothing thrown");
        assertEquals("42", exits.get(1).string());
    }

    @Test
    void throwableRaisedInACatchBlockLeavesTheMethodAndIsNamed() throws Throwable {
        enable("ExitShapesSample_rethrows_exit");

        ArithmeticException thrown = assertThrows(ArithmeticException.class,
            () -> call(WOVEN, null, "rethrows", new Class<?>[] {double.class}, -1.0));
        assertEquals("wrapped: negative", thrown.getMessage());
        assertEquals(3.0, call(WOVEN, null, "rethrows", new Class<?>[] {double.class}, 9.0));

        List<EventPayload> exits = eventsOf("ExitShapesSample_rethrows_exit");
        assertEquals(2, exits.size());
        assertEquals("0", exits.get(0).string(), "ret of a method that threw");
        exits.get(0).s64();
        assertEquals(ArithmeticException.class.getName(), exits.get(0).string());
        assertEquals("3", exits.get(1).string());
    }

    @Test
    void wideArgumentsAndLocalsKeepTheirValues() throws Throwable {
        enable("ExitShapesSample_wide");
        enable("ExitShapesSample_wide_exit");
        Class<?>[] types = {long.class, double.class, long.class};

        Object result = call(WOVEN, null, "wide", types, 3L, 1.5, 9L);

        assertEquals(ExitShapesSample.wide(3L, 1.5, 9L), result);
        EventPayload entry = onlyEventOf("ExitShapesSample_wide");
        assertEquals(3L, entry.s64());
        assertEquals("1.5", entry.string());
        assertEquals(9L, entry.s64());
        assertEquals(result.toString(), onlyEventOf("ExitShapesSample_wide_exit").string());
    }

    @Test
    void locksLambdasAndNarrowTypes() throws Throwable {
        for (String method : List.of("locked", "lambda", "flag", "letter", "array", "sideEffect")) {
            enable("ExitShapesSample_" + method + "_exit");
        }
        Object sample = WovenClasses.newInstance(WOVEN);
        List<String> into = new ArrayList<>();

        assertEquals(21, call(WOVEN, sample, "locked", new Class<?>[] {int.class}, 7));
        assertEquals(9, call(WOVEN, sample, "lambda", new Class<?>[] {int.class}, 4));
        assertEquals(true, call(WOVEN, null, "flag", new Class<?>[] {byte.class, short.class, char.class},
            (byte) -1, (short) 1, 'y'));
        assertEquals('c', call(WOVEN, null, "letter", new Class<?>[] {int.class}, 2));
        assertArrayEquals(new int[] {0, 1, 4}, (int[]) call(WOVEN, null, "array", new Class<?>[] {int.class}, 3));
        assertEquals(null, call(WOVEN, null, "array", new Class<?>[] {int.class}, 0));
        call(WOVEN, null, "sideEffect", new Class<?>[] {List.class, String.class}, into, "");
        call(WOVEN, null, "sideEffect", new Class<?>[] {List.class, String.class}, into, "kept");
        assertEquals(List.of("kept"), into);
        StringIndexOutOfBoundsException outOfRange = assertThrows(StringIndexOutOfBoundsException.class,
            () -> call(WOVEN, null, "letter", new Class<?>[] {int.class}, 99));
        assertEquals(Outcome.of(() -> ExitShapesSample.letter(99)).thrown().getMessage(), outOfRange.getMessage());

        assertEquals(21, onlyEventOf("ExitShapesSample_locked_exit").s32());
        assertEquals(9, onlyEventOf("ExitShapesSample_lambda_exit").s32());
        assertEquals(1, onlyEventOf("ExitShapesSample_flag_exit").u8());
        List<EventPayload> letters = eventsOf("ExitShapesSample_letter_exit");
        assertEquals(2, letters.size());
        assertEquals('c', letters.get(0).u16());
        letters.get(1).u16();
        letters.get(1).s64();
        assertEquals(StringIndexOutOfBoundsException.class.getName(), letters.get(1).string());
        List<EventPayload> arrays = eventsOf("ExitShapesSample_array_exit");
        assertEquals(2, arrays.size());
        assertTrue(arrays.get(0).string().startsWith("[I@"), "an array is text as String.valueOf writes it");
        assertEquals("(null)", arrays.get(1).string());
        assertEquals(2, eventsOf("ExitShapesSample_sideEffect_exit").size());
    }

    /**
     * {@code iload_0; iconst_1; iload_0; ireturn}: a return with a value left below the one returned, which
     * the JVM allows and javac never writes. The exit code at a return must not depend on the stack's depth.
     */
    @Test
    void returnWithValuesLeftOnTheStack() throws Throwable {
        String name = "com.acme.generated.DeepStack";
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, name.replace('.', '/'), null,
            "java/lang/Object", null);
        MethodVisitor method = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "keep", "(I)I", null, null);
        method.visitAnnotation("Ldev/userevents/Tracepoint;", true).visit("exit", true);
        method.visitCode();
        method.visitVarInsn(Opcodes.ILOAD, 0);
        method.visitInsn(Opcodes.ICONST_1);
        method.visitVarInsn(Opcodes.ILOAD, 0);
        method.visitInsn(Opcodes.IRETURN);
        method.visitMaxs(0, 0);
        method.visitEnd();
        writer.visitEnd();
        byte[] woven = Objects.requireNonNull(
            WovenClasses.weave(writer.toByteArray(), ProbesFile.EMPTY, getClass().getClassLoader()));
        Method keep = WovenClasses.define(name, woven, getClass().getClassLoader()).getMethod("keep", int.class);
        enable("DeepStack_keep_exit");

        assertEquals(41, keep.invoke(null, 41));

        assertEquals(41, onlyEventOf("DeepStack_keep_exit").s32());
    }

    /** What a call did: the value it returned, or the throwable it threw (compared by class and message). */
    private record Outcome(Object value, Throwable thrown) {
        interface Call {
            Object run() throws Throwable;
        }

        static Outcome of(Call call) {
            try {
                return new Outcome(call.run(), null);
            } catch (Throwable e) {
                return new Outcome(null, e);
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Outcome that && Objects.equals(value, that.value)
                && (thrown == null ? that.thrown == null
                    : that.thrown != null && thrown.getClass() == that.thrown.getClass()
                        && Objects.equals(thrown.getMessage(), that.thrown.getMessage()));
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(value);
        }
    }

    private static void setExit(String eventName, boolean on) {
        if (on) {
            enable(eventName);
        } else {
            EnableWords.disable(BACKEND.enableWord(eventName));
        }
    }
}
