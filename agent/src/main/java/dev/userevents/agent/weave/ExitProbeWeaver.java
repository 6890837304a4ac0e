package dev.userevents.agent.weave;

import dev.userevents.agent.runtime.Probe;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.jar.asm.TypePath;
import net.bytebuddy.jar.asm.TypeReference;
import org.jspecify.annotations.Nullable;

/**
 * Injects an exit probe: its enable word is read at entry, and only when it is set is the start time
 * taken; every return, and every throwable leaving the method, then writes {@code <name>_exit}. For
 * {@code long total(int id)}, with {@code A} the size of the arguments in local slots:
 * <pre>
 *   ldc2_w &lt;exit enable word address&gt;                 // entry: one load, a test, a branch
 *   invokestatic NativeWords.loInt(J)I;  ifeq off
 *   invokestatic System.nanoTime()J;  lstore A;  goto body
 * guard:  pop                                         // a stack overflow entering loInt or nanoTime
 * off:    lconst_0;  lstore A                          // start = 0: "off when the method started"
 * body:   nop
 *   ... original code, its own locals moved up by 3 + the return value's slots (1 more with the OpenTelemetry span) ...
 *   lstore A+3                                        // at each return: keep the value
 *   ldc &lt;probe id&gt;;  lload A;  lload A+3;  aconst_null
 *   invokestatic ProbeRuntime.exitLong(IJJLjava/lang/Throwable;)V   // returns at once when start is 0
 *   lload A+3;  lreturn
 * (guard: pop;  lload A+3;  lreturn)                  // a stack overflow entering exitLong
 * thrown:                                             // handler for Throwable over the original code
 *   astore A+2;  ldc &lt;probe id&gt;;  lload A;  lconst_0;  aload A+2
 *   invokestatic ProbeRuntime.exitLong(...)V;  aload A+2;  athrow
 * (guard: pop;  aload A+2;  athrow)
 * </pre>
 * The return sites need no branch and so no stack map frame, whatever the operand stack holds below the
 * value returned; the handlers' frames declare only {@code start} (and the value or throwable), which holds
 * at every instruction they cover. Every original stack map frame gains {@code start}, as a {@code long}, and
 * the slots after it as unset. The method's own exception ranges are cut around our code, so a throwable from
 * our code (only a {@link StackOverflowError} can leave the runtime's methods) never reaches one of the
 * method's handlers, and no frame of ours is checked against theirs; the handler for the method's throwables
 * comes last in the table, so its own handlers keep precedence. Its code is outside every range of ours, and
 * ours outside every range of its, so the method returns or throws exactly what it would have.
 *
 * <p>Needs {@link net.bytebuddy.jar.asm.ClassReader#EXPAND_FRAMES}. When it and an {@link EntryProbeWeaver}
 * weave one method, this one must come first in the visitor chain: the entry event is then written before
 * the start time is taken, and {@code handlersAhead} counts the entry weaver's handlers.
 */
final class ExitProbeWeaver extends MethodVisitor {
    private static final String THROWABLE = "java/lang/Throwable";
    private static final String OBJECT = "java/lang/Object";
    /** Stack slots the code above adds to the method's deepest: probe id, start, a long value, null, the span. */
    private static final int STACK_NEEDED = 7;

    private final Probe probe;
    private final String ownerInternalName;
    private final boolean isStatic;
    private final String descriptor;
    private final Type returnType;
    private final boolean writeFrames;
    private final int handlersAhead;
    /** Local slots of {@code this} and the arguments: {@code start} goes here, the method's own locals after ours. */
    private final int argumentSlots;
    private final int startSlot;
    /** With {@code context=otel}: the span context asked for at entry ({@code ProbeRuntime.spanContext}); else -1. */
    private final int spanContextSlot;
    private final int thrownSlot;
    private final int returnSlot;
    /** Slots we add: start (2), the span context (0 or 1), thrown (1), the return value (0 to 2). */
    private final int addedSlots;
    private final String exitMethod;
    private final String exitDescriptor;

    /** Ranges of the method's own code, which the handler for its throwables covers: [start, end) pairs. */
    private final List<Label> bodyRanges = new ArrayList<>();
    private @Nullable Label rangeStart;
    private int handlersOfOurs;
    private final List<TryCatch> originalHandlers = new ArrayList<>();
    private final List<TryCatchAnnotation> originalHandlerAnnotations = new ArrayList<>();

    /**
     * A weaver for one method.
     *
     * @param delegate          the next visitor: the writer, or the method's {@link EntryProbeWeaver}
     * @param probe             the exit probe: its id and the address of its enable word go into the code
     * @param ownerInternalName the class, in internal form ({@code com/acme/Orders}), for the entry frame
     * @param access            the method's access flags (for {@code static})
     * @param descriptor        the method's descriptor
     * @param writeFrames       whether the class file has stack map frames (version 50 and later)
     * @param handlersAhead     exception-table entries the visitors after this one add before the method's own
     *                          (2 for an {@link EntryProbeWeaver}, else 0), to keep type annotations on the
     *                          method's catch clauses pointing at their entries
     * @param otel              whether the exit event carries the OpenTelemetry ids of the span current at entry,
     *                          asked for ({@code ProbeRuntime.spanContext}) only when the exit event is on
     */
    ExitProbeWeaver(MethodVisitor delegate, Probe probe, String ownerInternalName, int access, String descriptor,
                    boolean writeFrames, int handlersAhead, boolean otel) {
        super(Opcodes.ASM9, delegate);
        this.probe = probe;
        this.ownerInternalName = ownerInternalName;
        this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
        this.descriptor = descriptor;
        this.returnType = Type.getReturnType(descriptor);
        this.writeFrames = writeFrames;
        this.handlersAhead = handlersAhead;
        this.argumentSlots = (Type.getArgumentsAndReturnSizes(descriptor) >> 2) - (isStatic ? 1 : 0);
        this.startSlot = argumentSlots;
        this.spanContextSlot = otel ? startSlot + 2 : -1;
        this.thrownSlot = startSlot + 2 + (otel ? 1 : 0);
        this.returnSlot = thrownSlot + 1;
        this.addedSlots = returnSlot + returnType.getSize() - startSlot;
        this.exitMethod = exitMethod(returnType);
        this.exitDescriptor = "(IJ" + exitValueDescriptor(returnType)
            + "Ljava/lang/Throwable;Ljava/lang/Object;)V";
    }

    /** The {@code ProbeRuntime} method writing the exit event for this return type. */
    private static String exitMethod(Type returnType) {
        return switch (returnType.getSort()) {
            case Type.VOID -> "exitVoid";
            case Type.BOOLEAN -> "exitBoolean";
            case Type.BYTE -> "exitByte";
            case Type.SHORT -> "exitShort";
            case Type.CHAR -> "exitChar";
            case Type.INT -> "exitInt";
            case Type.LONG -> "exitLong";
            case Type.FLOAT -> "exitFloat";
            case Type.DOUBLE -> "exitDouble";
            default -> "exitObject";
        };
    }

    private static String exitValueDescriptor(Type returnType) {
        return switch (returnType.getSort()) {
            case Type.VOID -> "";
            case Type.BOOLEAN -> "Z";
            case Type.BYTE -> "B";
            case Type.SHORT -> "S";
            case Type.CHAR -> "C";
            case Type.INT -> "I";
            case Type.LONG -> "J";
            case Type.FLOAT -> "F";
            case Type.DOUBLE -> "D";
            default -> "Ljava/lang/Object;";
        };
    }

    @Override
    public void visitCode() {
        super.visitCode(); // an entry weaver after us writes its code here
        Label tryStart = new Label();
        Label tryEnd = new Label();
        Label guard = new Label();
        Label off = new Label();
        Label body = new Label();
        ourHandler(tryStart, tryEnd, guard);
        mv.visitLabel(tryStart);
        mv.visitLdcInsn(probe.enableWordAddress());
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, EntryProbeWeaver.NATIVE_WORDS, "loInt", "(J)I", false);
        mv.visitJumpInsn(Opcodes.IFEQ, off);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "nanoTime", "()J", false);
        mv.visitVarInsn(Opcodes.LSTORE, startSlot);
        if (spanContextSlot >= 0) {
            mv.visitLdcInsn(probe.id());
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, EntryProbeWeaver.RUNTIME, "spanContext", "(I)Ljava/lang/Object;",
                false);
            mv.visitVarInsn(Opcodes.ASTORE, spanContextSlot);
        }
        mv.visitLabel(tryEnd);
        mv.visitJumpInsn(Opcodes.GOTO, body);
        mv.visitLabel(guard);
        frame(entryLocals(false), THROWABLE);
        mv.visitInsn(Opcodes.POP);
        mv.visitLabel(off);
        frame(entryLocals(false));
        mv.visitInsn(Opcodes.LCONST_0);
        mv.visitVarInsn(Opcodes.LSTORE, startSlot);
        if (spanContextSlot >= 0) {
            mv.visitInsn(Opcodes.ACONST_NULL);
            mv.visitVarInsn(Opcodes.ASTORE, spanContextSlot);
        }
        mv.visitLabel(body);
        frame(entryLocals(true));
        mv.visitInsn(Opcodes.NOP); // keeps our frame apart from one the original code may have here
        rangeStart = new Label();
        mv.visitLabel(rangeStart);
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode < Opcodes.IRETURN || opcode > Opcodes.RETURN) {
            super.visitInsn(opcode);
            return;
        }
        endBodyRange();
        boolean hasValue = opcode != Opcodes.RETURN;
        if (hasValue) {
            mv.visitVarInsn(returnType.getOpcode(Opcodes.ISTORE), returnSlot);
        }
        Label callStart = new Label();
        Label callEnd = new Label();
        Label guard = new Label();
        ourHandler(callStart, callEnd, guard);
        mv.visitLabel(callStart);
        mv.visitLdcInsn(probe.id());
        mv.visitVarInsn(Opcodes.LLOAD, startSlot);
        if (hasValue) {
            mv.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), returnSlot);
        }
        mv.visitInsn(Opcodes.ACONST_NULL);
        pushSpanContext();
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, EntryProbeWeaver.RUNTIME, exitMethod, exitDescriptor, false);
        mv.visitLabel(callEnd);
        returnValue(opcode, hasValue);
        mv.visitLabel(guard);
        frame(ourLocals(null, hasValue ? StackMapFrames.typeOf(returnType) : null), THROWABLE);
        mv.visitInsn(Opcodes.POP);
        returnValue(opcode, hasValue);
        rangeStart = new Label();
        mv.visitLabel(rangeStart);
    }

    /** The span context asked for at entry, or null without {@code context=otel}. */
    private void pushSpanContext() {
        if (spanContextSlot >= 0) {
            mv.visitVarInsn(Opcodes.ALOAD, spanContextSlot);
        } else {
            mv.visitInsn(Opcodes.ACONST_NULL);
        }
    }

    private void returnValue(int opcode, boolean hasValue) {
        if (hasValue) {
            mv.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), returnSlot);
        }
        mv.visitInsn(opcode);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        endBodyRange();
        Label thrown = new Label();
        Label callStart = new Label();
        Label callEnd = new Label();
        Label guard = new Label();
        mv.visitLabel(thrown);
        frame(ourLocals(null, null), THROWABLE);
        mv.visitVarInsn(Opcodes.ASTORE, thrownSlot);
        ourHandler(callStart, callEnd, guard);
        mv.visitLabel(callStart);
        mv.visitLdcInsn(probe.id());
        mv.visitVarInsn(Opcodes.LLOAD, startSlot);
        pushZero(returnType);
        mv.visitVarInsn(Opcodes.ALOAD, thrownSlot);
        pushSpanContext();
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, EntryProbeWeaver.RUNTIME, exitMethod, exitDescriptor, false);
        mv.visitLabel(callEnd);
        mv.visitVarInsn(Opcodes.ALOAD, thrownSlot);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitLabel(guard);
        frame(ourLocals(THROWABLE, null), THROWABLE);
        mv.visitInsn(Opcodes.POP);
        mv.visitVarInsn(Opcodes.ALOAD, thrownSlot);
        mv.visitInsn(Opcodes.ATHROW);
        // Exception table: ours (already visited), then the method's own, cut to its own code, then the one for
        // its throwables. No range of the method's covers our code: our handlers' frames declare only our
        // locals, which the method's handlers' frames could not accept, and our stack overflow is not its own.
        int[] firstEntry = new int[originalHandlers.size()];
        int entries = handlersAhead + handlersOfOurs;
        for (int h = 0; h < originalHandlers.size(); h++) {
            TryCatch handler = originalHandlers.get(h);
            firstEntry[h] = entries;
            for (int i = 0; i < bodyRanges.size(); i += 2) {
                Label start = later(handler.start, bodyRanges.get(i));
                Label end = earlier(handler.end, bodyRanges.get(i + 1));
                if (start.getOffset() < end.getOffset()) {
                    super.visitTryCatchBlock(start, end, handler.handler, handler.type);
                    entries++;
                }
            }
        }
        for (TryCatchAnnotation annotation : originalHandlerAnnotations) {
            int index = firstEntry[new TypeReference(annotation.typeRef).getTryCatchBlockIndex()];
            annotation.replay(super.visitTryCatchAnnotation(TypeReference.newTryCatchReference(index).getValue(),
                annotation.typePath, annotation.descriptor, annotation.visible));
        }
        for (int i = 0; i < bodyRanges.size(); i += 2) {
            Label start = bodyRanges.get(i);
            Label end = bodyRanges.get(i + 1);
            if (start.getOffset() < end.getOffset()) { // an empty range is not allowed in the table
                mv.visitTryCatchBlock(start, end, thrown, THROWABLE);
            }
        }
        super.visitMaxs(maxStack + STACK_NEEDED, maxLocals + addedSlots);
    }

    private static Label later(Label a, Label b) {
        return a.getOffset() >= b.getOffset() ? a : b;
    }

    private static Label earlier(Label a, Label b) {
        return a.getOffset() <= b.getOffset() ? a : b;
    }

    private void endBodyRange() {
        Label start = rangeStart;
        if (start != null) {
            Label end = new Label();
            mv.visitLabel(end);
            bodyRanges.add(start);
            bodyRanges.add(end);
            rangeStart = null;
        }
    }

    private void ourHandler(Label start, Label end, Label handler) {
        mv.visitTryCatchBlock(start, end, handler, THROWABLE);
        handlersOfOurs++;
    }

    private void pushZero(Type type) {
        switch (type.getSort()) {
            case Type.VOID -> { }
            case Type.LONG -> mv.visitInsn(Opcodes.LCONST_0);
            case Type.FLOAT -> mv.visitInsn(Opcodes.FCONST_0);
            case Type.DOUBLE -> mv.visitInsn(Opcodes.DCONST_0);
            case Type.OBJECT, Type.ARRAY -> mv.visitInsn(Opcodes.ACONST_NULL);
            default -> mv.visitInsn(Opcodes.ICONST_0);
        }
    }

    // --- the method's own code: its locals move up past ours, its frames gain start ----------------------

    private int moved(int slot, int size) {
        if (slot < argumentSlots && slot + size > argumentSlots) {
            // a two-slot value in the last argument slot and the first of ours: bytecode javac never writes
            throw new IllegalStateException("local " + slot + " spans the first slot after the arguments");
        }
        return slot >= argumentSlots ? slot + addedSlots : slot;
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
        int size = opcode == Opcodes.LLOAD || opcode == Opcodes.DLOAD || opcode == Opcodes.LSTORE
            || opcode == Opcodes.DSTORE ? 2 : 1;
        super.visitVarInsn(opcode, moved(varIndex, size));
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
        super.visitIincInsn(moved(varIndex, 1), increment);
    }

    @Override
    public void visitLocalVariable(String name, String descriptor, @Nullable String signature, Label start, Label end,
                                   int index) {
        super.visitLocalVariable(name, descriptor, signature, start, end,
            moved(index, Type.getType(descriptor).getSize()));
    }

    @Override
    public @Nullable AnnotationVisitor visitLocalVariableAnnotation(int typeRef, @Nullable TypePath typePath,
                                                                     Label[] start, Label[] end, int[] index,
                                                                     String descriptor, boolean visible) {
        int[] movedIndex = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            movedIndex[i] = moved(index[i], 1);
        }
        return super.visitLocalVariableAnnotation(typeRef, typePath, start, end, movedIndex, descriptor, visible);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object @Nullable [] local, int numStack, Object @Nullable [] stack) {
        if (type != Opcodes.F_NEW) {
            throw new IllegalStateException("needs expanded frames (ClassReader.EXPAND_FRAMES)");
        }
        List<Object> locals = new ArrayList<>();
        int slots = 0;
        int i = 0;
        Object[] given = local == null ? new Object[0] : local;
        while (i < numLocal && slots < argumentSlots) {
            Object value = given[i++];
            locals.add(value);
            slots += value == Opcodes.LONG || value == Opcodes.DOUBLE ? 2 : 1;
        }
        if (slots > argumentSlots) {
            throw new IllegalStateException("a frame's local spans the first slot after the arguments");
        }
        for (; slots < argumentSlots; slots++) {
            locals.add(Opcodes.TOP);
        }
        locals.add(Opcodes.LONG);
        if (spanContextSlot >= 0) { // set at entry, like start
            locals.add(OBJECT);
        }
        if (i < numLocal) { // the method's own locals follow: keep our other slots unset
            for (int slot = thrownSlot; slot < startSlot + addedSlots; slot++) {
                locals.add(Opcodes.TOP);
            }
            while (i < numLocal) {
                locals.add(given[i++]);
            }
        }
        super.visitFrame(type, locals.size(), locals.toArray(), numStack, stack);
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, @Nullable String type) {
        originalHandlers.add(new TryCatch(start, end, handler, type));
    }

    @Override
    public @Nullable AnnotationVisitor visitTryCatchAnnotation(int typeRef, @Nullable TypePath typePath,
                                                               String descriptor, boolean visible) {
        TryCatchAnnotation annotation = new TryCatchAnnotation(typeRef, typePath, descriptor, visible);
        originalHandlerAnnotations.add(annotation);
        return annotation.recorder;
    }

    // --- frames ----------------------------------------------------------------------------------------

    /** One full frame; none when the class file has no frames. */
    private void frame(Object[] locals, Object... stack) {
        if (writeFrames) {
            mv.visitFrame(Opcodes.F_NEW, locals.length, locals, stack.length, stack);
        }
    }

    /** The locals at method entry ({@code this}, the arguments), and {@code start} when it is set. */
    private Object[] entryLocals(boolean withStart) {
        List<Object> locals = StackMapFrames.entryLocals(isStatic ? null : ownerInternalName, descriptor);
        if (withStart) {
            locals.add(Opcodes.LONG);
            if (spanContextSlot >= 0) {
                locals.add(OBJECT);
            }
        }
        return locals.toArray();
    }

    /**
     * What our handlers may assume: {@code this} and the arguments unset (the method may have stored other
     * values there), {@code start}, then {@code thrown} and the return value when given (null: unset).
     */
    private Object[] ourLocals(@Nullable Object thrown, @Nullable Object value) {
        List<Object> locals = new ArrayList<>();
        for (int slot = 0; slot < argumentSlots; slot++) {
            locals.add(Opcodes.TOP);
        }
        locals.add(Opcodes.LONG);
        if (spanContextSlot >= 0) {
            locals.add(OBJECT);
        }
        if (thrown != null || value != null) {
            locals.add(thrown == null ? Opcodes.TOP : thrown);
        }
        if (value != null) {
            locals.add(value);
        }
        return locals.toArray();
    }


    /** A try-catch entry of the method's own, written after ours. */
    private record TryCatch(Label start, Label end, Label handler, @Nullable String type) {
    }

    /** A type annotation on one of the method's catch clauses, replayed once its entry's index is known. */
    private static final class TryCatchAnnotation {
        final int typeRef;
        final @Nullable TypePath typePath;
        final String descriptor;
        final boolean visible;
        final List<Consumer<AnnotationVisitor>> values = new ArrayList<>();
        final AnnotationVisitor recorder;

        TryCatchAnnotation(int typeRef, @Nullable TypePath typePath, String descriptor, boolean visible) {
            this.typeRef = typeRef;
            this.typePath = typePath;
            this.descriptor = descriptor;
            this.visible = visible;
            this.recorder = new Recorder(values);
        }

        void replay(@Nullable AnnotationVisitor target) {
            if (target != null) {
                values.forEach(value -> value.accept(target));
                target.visitEnd();
            }
        }
    }

    /** Records an annotation's values (nested annotations and arrays included) to replay them later. */
    private static final class Recorder extends AnnotationVisitor {
        private final List<Consumer<AnnotationVisitor>> values;

        Recorder(List<Consumer<AnnotationVisitor>> values) {
            super(Opcodes.ASM9);
            this.values = values;
        }

        @Override
        public void visit(@Nullable String name, Object value) {
            values.add(target -> target.visit(name, value));
        }

        @Override
        public void visitEnum(@Nullable String name, String descriptor, String value) {
            values.add(target -> target.visitEnum(name, descriptor, value));
        }

        @Override
        public AnnotationVisitor visitAnnotation(@Nullable String name, String descriptor) {
            List<Consumer<AnnotationVisitor>> nested = new ArrayList<>();
            values.add(target -> replayNested(target.visitAnnotation(name, descriptor), nested));
            return new Recorder(nested);
        }

        @Override
        public AnnotationVisitor visitArray(@Nullable String name) {
            List<Consumer<AnnotationVisitor>> nested = new ArrayList<>();
            values.add(target -> replayNested(target.visitArray(name), nested));
            return new Recorder(nested);
        }

        private static void replayNested(@Nullable AnnotationVisitor target,
                                         List<Consumer<AnnotationVisitor>> nested) {
            if (target != null) {
                nested.forEach(value -> value.accept(target));
                target.visitEnd();
            }
        }
    }
}
