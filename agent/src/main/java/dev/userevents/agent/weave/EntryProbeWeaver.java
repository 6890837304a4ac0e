package dev.userevents.agent.weave;

import dev.userevents.agent.probe.ParameterKind;
import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.runtime.Probe;
import java.util.List;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.jspecify.annotations.Nullable;

/**
 * Injects the probe at method entry. The bytecode, for {@code place(int id, String customer)}:
 * <pre>
 *   ldc2_w  &lt;enable word address&gt;
 *   invokestatic NativeWords.loInt(J)I       // JIT: one load of the word
 *   ifeq    skip                             //      one test and branch
 *   ldc     &lt;probe id&gt;
 *   invokestatic ProbeRuntime.begin(I)LEventRecord;
 *   iload_1;  invokestatic ProbeRuntime.putInt(LEventRecord;I)LEventRecord;
 *   aload_2;  invokestatic ProbeRuntime.putString(LEventRecord;Ljava/lang/String;)LEventRecord;
 *   (invokestatic ProbeRuntime.putThreadContext(LEventRecord;)LEventRecord;   with context=thread)
 *   (with context=otel: ldc id; invokestatic ProbeRuntime.spanContext(I)Object before begin, and here
 *    swap; invokestatic ProbeRuntime.putSpanIds(LEventRecord;Ljava/lang/Object;)LEventRecord;)
 *   (invokestatic ProbeRuntime.putStack(LEventRecord;)LEventRecord;           with stack = true)
 *   invokestatic ProbeRuntime.commit(LEventRecord;)V
 *   goto    skip
 * dropped:                                   // handler for Throwable over begin..commit
 *   ldc     &lt;probe id&gt;
 *   invokestatic ProbeRuntime.dropped(Ljava/lang/Throwable;I)V
 *   goto    skip
 * lost:                                      // handler for Throwable over the call above
 *   pop
 * skip:
 *   nop                                      // keeps our frame apart from one the original code may have here
 *   ... original code ...
 * </pre>
 * The address is a constant in the code, so the disabled path needs no field or array load. Only bootstrap
 * classes are referenced, so this works in any class loader. The runtime calls catch everything inside,
 * but a {@link StackOverflowError} can be raised while entering one of them, outside its catch: the two
 * handlers keep it out of the application (the second for when even counting the drop overflows). They
 * cost nothing until something is thrown.
 */
final class EntryProbeWeaver extends MethodVisitor {
    static final String NATIVE_WORDS = "dev/userevents/shim/hotpath/NativeWords";
    static final String RUNTIME = "dev/userevents/agent/runtime/ProbeRuntime";
    static final String RECORD = "Ldev/userevents/agent/runtime/EventRecord;";
    /** Exception-table entries this weaver adds, ahead of the method's own. */
    static final int HANDLERS = 2;
    private static final int STACK_NEEDED = 4; // the span context, the record, a long
    private static final String THROWABLE = "java/lang/Throwable";

    private final Probe probe;
    private final List<ParameterKind> parameters;
    private final boolean isStatic;
    private final String ownerInternalName;
    private final String descriptor;
    private final boolean writeFrames;
    private final boolean threadContext;
    private final boolean stack;
    private final boolean otel;
    /** Where our code starts: given the method's first line, so stacks and stack traces name a line there. */
    private final Label codeStart = new Label();
    private boolean firstLine = true;

    EntryProbeWeaver(MethodVisitor delegate, Probe probe, ProbeDefinition definition, boolean isStatic,
                     String ownerInternalName, boolean writeFrames) {
        super(Opcodes.ASM9, delegate);
        this.probe = probe;
        this.parameters = definition.parameters();
        this.isStatic = isStatic;
        this.ownerInternalName = ownerInternalName;
        this.descriptor = definition.descriptor();
        this.writeFrames = writeFrames;
        this.threadContext = definition.threadContext();
        this.stack = definition.stack();
        this.otel = definition.otel();
    }

    @Override
    public void visitCode() {
        super.visitCode();
        super.visitLabel(codeStart);
        Label skip = new Label();
        super.visitLdcInsn(probe.enableWordAddress());
        super.visitMethodInsn(Opcodes.INVOKESTATIC, NATIVE_WORDS, "loInt", "(J)I", false);
        super.visitJumpInsn(Opcodes.IFEQ, skip);
        Label probeStart = new Label();
        Label probeEnd = new Label();
        Label dropped = new Label();
        Label lost = new Label();
        super.visitTryCatchBlock(probeStart, probeEnd, dropped, THROWABLE);
        super.visitTryCatchBlock(dropped, lost, lost, THROWABLE);
        super.visitLabel(probeStart);
        if (otel) { // asked before the buffer is taken: asking runs application code
            super.visitLdcInsn(probe.id());
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "spanContext", "(I)Ljava/lang/Object;", false);
        }
        super.visitLdcInsn(probe.id());
        super.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "begin", "(I)" + RECORD, false);
        int slot = isStatic ? 0 : 1;
        for (ParameterKind kind : parameters) {
            super.visitVarInsn(kind.loadOpcode(), slot);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, kind.runtimeMethod(),
                "(" + RECORD + kind.runtimeArgumentDescriptor() + ")" + RECORD, false);
            slot += kind.slots();
        }
        if (threadContext) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "putThreadContext", "(" + RECORD + ")" + RECORD, false);
        }
        if (otel) {
            super.visitInsn(Opcodes.SWAP);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "putSpanIds", "(" + RECORD + "Ljava/lang/Object;)" + RECORD,
                false);
        }
        if (stack) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "putStack", "(" + RECORD + ")" + RECORD, false);
        }
        super.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "commit", "(" + RECORD + ")V", false);
        super.visitLabel(probeEnd);
        super.visitJumpInsn(Opcodes.GOTO, skip);
        Object[] locals = writeFrames ? entryLocals() : null;
        Object[] throwableOnStack = {THROWABLE};
        super.visitLabel(dropped);
        frame(locals, throwableOnStack);
        super.visitLdcInsn(probe.id());
        super.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "dropped", "(Ljava/lang/Throwable;I)V", false);
        super.visitJumpInsn(Opcodes.GOTO, skip);
        super.visitLabel(lost);
        frame(locals, throwableOnStack);
        super.visitInsn(Opcodes.POP);
        super.visitLabel(skip);
        frame(locals, new Object[0]);
        super.visitInsn(Opcodes.NOP);
    }

    /** A full frame with these locals and stack; none when {@code locals} is null (a class file without frames). */
    private void frame(Object @Nullable [] locals, Object[] stack) {
        if (locals != null) {
            super.visitFrame(Opcodes.F_NEW, locals.length, locals, stack.length, stack);
        }
    }

    /** The locals at method entry: {@code this} (if any), then the parameters, in frame notation. */
    private Object[] entryLocals() {
        return StackMapFrames.entryLocals(isStatic ? null : ownerInternalName, descriptor).toArray();
    }

    @Override
    public void visitLineNumber(int line, Label start) {
        if (firstLine) {
            firstLine = false;
            super.visitLineNumber(line, codeStart);
        }
        super.visitLineNumber(line, start);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        super.visitMaxs(Math.max(maxStack, STACK_NEEDED), maxLocals);
    }
}
