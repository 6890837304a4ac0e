package dev.userevents.agent.logs;

import dev.userevents.agent.weave.StackMapFrames;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import org.jspecify.annotations.Nullable;

/**
 * Weaves {@code java.util.logging.Logger} with plain ASM: every {@code log(Level, ...)} and {@code
 * logp(Level, ...)} overload, which {@code fine(...)}, {@code info(...)}, ... and {@code System.Logger}'s
 * default backend call before JUL tests the level. {@code log(LogRecord)} is left alone: JUL calls it from
 * the overloads above, once a record passed their level test. The code at entry, for {@code log(Level,
 * String, Object)}:
 * <pre>
 *   ldc2_w  &lt;log enable word address&gt;
 *   invokestatic NativeWords.loInt(J)I        // JIT: one load of the word
 *   ifeq    skip                              //      one test and branch
 * start:
 *   ldc2_w  &lt;log enable word address&gt;
 *   aload_1;  invokevirtual Level.intValue()I
 *   aload_0
 *   ldc     "log(Ljava/util/logging/Level;Ljava/lang/String;Ljava/lang/Object;)V"
 *   iconst_3; anewarray Object; dup; iconst_0; aload_1; aastore; ...   // all arguments
 *   invokestatic LogEvents.bridgeJul(JILjava/util/logging/Logger;Ljava/lang/String;[Ljava/lang/Object;)V
 * end:
 *   goto    skip
 * suppressed:                                 // handler for Throwable over start..end
 *   pop
 * skip:
 *   nop                                       // keeps our frame apart from one the original code may have here
 *   ... original code ...
 * </pre>
 * This is what the Byte Buddy advice it replaces ({@code JulAdvice}, until this class) wove, without
 * initialising Byte Buddy: the agent's own JNA loads {@code Logger} in every JVM, so it is retransformed while
 * the agent starts, where Byte Buddy's first use cost ~0.6 s. As in {@code EntryProbeWeaver}, the reader
 * expands the class's frames and the two this code needs are written by hand (no frame computation, which
 * would load classes); the handler keeps anything thrown, a {@link StackOverflowError} entering our code
 * included, out of the application. Only bootstrap classes and JUL's own are referenced.
 */
final class JulLoggerWeaver {
    static final String INTERNAL_NAME = "java/util/logging/Logger";
    private static final String LEVEL = "Ljava/util/logging/Level;";
    private static final String NATIVE_WORDS = "dev/userevents/shim/hotpath/NativeWords";
    private static final String LOG_EVENTS = "dev/userevents/agent/runtime/LogEvents";
    private static final String BRIDGE_JUL = "(JIL" + INTERNAL_NAME + ";Ljava/lang/String;[Ljava/lang/Object;)V";
    private static final String THROWABLE = "java/lang/Throwable";
    private static final String OBJECT = "java/lang/Object";
    private static final int JAVA_6 = 50; // the first class file version with stack map frames

    private JulLoggerWeaver() {
    }

    /**
     * Whether {@code method} is one the bridge weaves: {@code log} or {@code logp}, an instance method with
     * code, taking a {@code Level} first.
     */
    static boolean isBridged(int access, String name, String descriptor) {
        return (name.equals("log") || name.equals("logp")) && descriptor.startsWith("(" + LEVEL)
            && (access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
    }

    /**
     * What of the bridge's methods this class file lacks.
     *
     * @param classFile {@code java.util.logging.Logger}'s class file
     * @return null when it has both {@code log(Level, ...)} and {@code logp(Level, ...)}; else the missing
     *     one, for the log line
     */
    static @Nullable String missing(byte[] classFile) {
        List<String> found = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public @Nullable MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                       String[] exceptions) {
                if (isBridged(access, name, descriptor)) {
                    found.add(name);
                }
                return null;
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        for (String method : List.of("log", "logp")) {
            if (!found.contains(method)) {
                return "method " + method + " of the shape the bridge weaves";
            }
        }
        return null;
    }

    /**
     * Weaves the bridge into every {@code log(Level, ...)} and {@code logp(Level, ...)} overload.
     *
     * @param classFile {@code java.util.logging.Logger}'s class file, with the methods ({@link #missing})
     * @param word      the address of the log events' shared enable word
     * @return the woven class file
     * @throws IllegalArgumentException if the class file's version is newer than Byte Buddy's ASM reads
     */
    static byte[] weave(byte[] classFile, long word) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private boolean writeFrames;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                writeFrames = (version & 0xFFFF) >= JAVA_6;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public @Nullable MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                       String[] exceptions) {
                MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                return method == null || !isBridged(access, name, descriptor) ? method
                    : new EntryBridge(method, word, name, descriptor, writeFrames);
            }
        }, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    /** The code at the entry of one bridged method (see the class comment). */
    private static final class EntryBridge extends MethodVisitor {
        private final long word;
        private final String name;
        private final String descriptor;
        private final boolean writeFrames;
        /** Stack needed: word (2), level int, logger, signature, then array, array, index, value (up to 2). */
        private static final int STACK_NEEDED = 10;

        EntryBridge(MethodVisitor delegate, long word, String name, String descriptor, boolean writeFrames) {
            super(Opcodes.ASM9, delegate);
            this.word = word;
            this.name = name;
            this.descriptor = descriptor;
            this.writeFrames = writeFrames;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            Label skip = new Label();
            Label start = new Label();
            Label end = new Label();
            Label suppressed = new Label();
            super.visitLdcInsn(word);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, NATIVE_WORDS, "loInt", "(J)I", false);
            super.visitJumpInsn(Opcodes.IFEQ, skip);
            super.visitTryCatchBlock(start, end, suppressed, THROWABLE);
            super.visitLabel(start);
            super.visitLdcInsn(word);
            super.visitVarInsn(Opcodes.ALOAD, 1);
            super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/util/logging/Level", "intValue", "()I", false);
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitLdcInsn(name + descriptor);
            allArguments();
            super.visitMethodInsn(Opcodes.INVOKESTATIC, LOG_EVENTS, "bridgeJul", BRIDGE_JUL, false);
            super.visitLabel(end);
            super.visitJumpInsn(Opcodes.GOTO, skip);
            Object[] locals = writeFrames ? entryLocals() : null;
            super.visitLabel(suppressed);
            frame(locals, new Object[] {THROWABLE});
            super.visitInsn(Opcodes.POP);
            super.visitLabel(skip);
            frame(locals, new Object[0]);
            super.visitInsn(Opcodes.NOP);
        }

        /** The arguments as an {@code Object[]}, primitives boxed (JUL's overloads have none today). */
        private void allArguments() {
            Type[] arguments = Type.getArgumentTypes(descriptor);
            super.visitLdcInsn(arguments.length);
            super.visitTypeInsn(Opcodes.ANEWARRAY, OBJECT);
            int slot = 1;
            for (int i = 0; i < arguments.length; i++) {
                Type type = arguments[i];
                super.visitInsn(Opcodes.DUP);
                super.visitLdcInsn(i);
                super.visitVarInsn(type.getOpcode(Opcodes.ILOAD), slot);
                box(type);
                super.visitInsn(Opcodes.AASTORE);
                slot += type.getSize();
            }
        }

        private void box(Type type) {
            String boxed = switch (type.getSort()) {
                case Type.BOOLEAN -> "java/lang/Boolean";
                case Type.BYTE -> "java/lang/Byte";
                case Type.SHORT -> "java/lang/Short";
                case Type.CHAR -> "java/lang/Character";
                case Type.INT -> "java/lang/Integer";
                case Type.FLOAT -> "java/lang/Float";
                case Type.LONG -> "java/lang/Long";
                case Type.DOUBLE -> "java/lang/Double";
                default -> null;
            };
            if (boxed != null) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, boxed, "valueOf",
                    "(" + type.getDescriptor() + ")L" + boxed + ";", false);
            }
        }

        /** A full frame with these locals and stack; none when {@code locals} is null (a class file without frames). */
        private void frame(Object @Nullable [] locals, Object[] stack) {
            if (locals != null) {
                super.visitFrame(Opcodes.F_NEW, locals.length, locals, stack.length, stack);
            }
        }

        /** The locals at method entry: the logger, then the parameters, in frame notation. */
        private Object[] entryLocals() {
            return StackMapFrames.entryLocals(INTERNAL_NAME, descriptor).toArray();
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, STACK_NEEDED), maxLocals);
        }
    }
}
