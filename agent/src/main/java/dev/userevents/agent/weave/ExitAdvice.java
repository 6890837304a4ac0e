package dev.userevents.agent.weave;

import dev.userevents.agent.probe.ParameterKind;
import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.shim.hotpath.NativeWords;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.jspecify.annotations.Nullable;

/**
 * Exit events, as Byte Buddy advice templates copied into the traced method. On entry the exit event's own
 * enable word is read (one load, test, branch); only when it is set is the start time taken, and only then
 * does the exit code encode {@code ret}, {@code duration_ns} and {@code thrown}. Both advices suppress any
 * throwable (only a stack overflow while entering {@code loInt} or an {@code exit} method can get out of
 * them): the event is dropped and the method returns or throws exactly as it would have. One exit template per kind of
 * return value so primitives are never boxed. Templates reference only bootstrap classes
 * ({@link NativeWords}, {@link ProbeRuntime}), so they work in any class loader.
 */
final class ExitAdvice {
    private ExitAdvice() {
    }

    /** Bound to the exit probe's id. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface ProbeId {
    }

    /** Bound to the address of the exit probe's enable word. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface EnableWord {
    }

    /** The exit template for a return kind (null for void). */
    // Not rewritten: this file changes in annotations and Javadoc only, so that the bytecode of the templates
    // copied into applications stays exactly as it was (checked with javap -c); a switch expression would
    // also compile to other instructions.
    @SuppressWarnings("StatementSwitchToExpressionSwitch")
    static Class<?> exitTemplateFor(@Nullable ParameterKind returnKind) {
        if (returnKind == null) {
            return ForVoid.class;
        }
        switch (returnKind) {
            case BOOLEAN:
                return ForBoolean.class;
            case BYTE:
            case SHORT:
            case CHAR:
            case INT:
                return ForInt.class;
            case LONG:
                return ForLong.class;
            case FLOAT:
                return ForFloat.class;
            case DOUBLE:
                return ForDouble.class;
            default:
                return ForObject.class;
        }
    }

    static final class Timing {
        private Timing() {
        }

        /** Zero means "exit event off when the method started": nothing to emit at exit. */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@EnableWord long word) {
            return NativeWords.loInt(word) != 0 ? System.nanoTime() : 0L;
        }
    }

    static final class ForVoid {
        private ForVoid() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long start, @ProbeId int probe, @Advice.Thrown @Nullable Throwable thrown) {
            if (start != 0L) {
                ProbeRuntime.exitVoid(probe, start, thrown);
            }
        }
    }

    static final class ForBoolean {
        private ForBoolean() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long start, @ProbeId int probe, @Advice.Return boolean value,
                         @Advice.Thrown @Nullable Throwable thrown) {
            if (start != 0L) {
                ProbeRuntime.exitBoolean(probe, start, value, thrown);
            }
        }
    }

    static final class ForInt {
        private ForInt() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long start, @ProbeId int probe, @Advice.Return int value,
                         @Advice.Thrown @Nullable Throwable thrown) {
            if (start != 0L) {
                ProbeRuntime.exitInt(probe, start, value, thrown);
            }
        }
    }

    static final class ForLong {
        private ForLong() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long start, @ProbeId int probe, @Advice.Return long value,
                         @Advice.Thrown @Nullable Throwable thrown) {
            if (start != 0L) {
                ProbeRuntime.exitLong(probe, start, value, thrown);
            }
        }
    }

    static final class ForFloat {
        private ForFloat() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long start, @ProbeId int probe, @Advice.Return float value,
                         @Advice.Thrown @Nullable Throwable thrown) {
            if (start != 0L) {
                ProbeRuntime.exitFloat(probe, start, value, thrown);
            }
        }
    }

    static final class ForDouble {
        private ForDouble() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long start, @ProbeId int probe, @Advice.Return double value,
                         @Advice.Thrown @Nullable Throwable thrown) {
            if (start != 0L) {
                ProbeRuntime.exitDouble(probe, start, value, thrown);
            }
        }
    }

    static final class ForObject {
        private ForObject() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long start, @ProbeId int probe,
                         @Advice.Return(typing = Assigner.Typing.DYNAMIC) @Nullable Object value,
                         @Advice.Thrown @Nullable Throwable thrown) {
            if (start != 0L) {
                ProbeRuntime.exitObject(probe, start, value, thrown);
            }
        }
    }
}
