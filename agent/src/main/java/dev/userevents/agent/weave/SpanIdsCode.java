package dev.userevents.agent.weave;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The woven code that reads the OpenTelemetry ids ({@code context=otel}) from the API the traced class sees:
 * {@code Span.current().getSpanContext()}, then its {@code getTraceId()} and {@code getSpanId()}, leaving
 * {@code traceId, spanId} on the stack (one slot deeper than it found it, at most three above). No branch and no
 * local, so no stack map frame. The names resolve in the traced class's loader when the code first runs, which
 * is only once its event is traced: the agent itself never loads OpenTelemetry. Needs class file version 52
 * (an interface's static method); {@link OpenTelemetryApi} checks the API has these methods before any is woven.
 */
final class SpanIdsCode {
    static final String SPAN = "io/opentelemetry/api/trace/Span";
    static final String SPAN_CONTEXT = "io/opentelemetry/api/trace/SpanContext";

    private SpanIdsCode() {
    }

    static void emit(MethodVisitor code) {
        code.visitMethodInsn(Opcodes.INVOKESTATIC, SPAN, "current", "()L" + SPAN + ";", true);
        code.visitMethodInsn(Opcodes.INVOKEINTERFACE, SPAN, "getSpanContext", "()L" + SPAN_CONTEXT + ";", true);
        code.visitInsn(Opcodes.DUP);
        code.visitMethodInsn(Opcodes.INVOKEINTERFACE, SPAN_CONTEXT, "getTraceId", "()Ljava/lang/String;", true);
        code.visitInsn(Opcodes.SWAP);
        code.visitMethodInsn(Opcodes.INVOKEINTERFACE, SPAN_CONTEXT, "getSpanId", "()Ljava/lang/String;", true);
    }
}
