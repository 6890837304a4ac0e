package dev.userevents.agent.weave;

import dev.userevents.agent.runtime.AgentLog;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.jspecify.annotations.Nullable;

/**
 * Whether a class loader sees an OpenTelemetry API the runtime can ask for the current span
 * ({@code OtelSpans}): {@code io.opentelemetry.api.trace.Span}, an interface with {@code static Span current()}
 * and {@code SpanContext getSpanContext()}, {@code SpanContext} with {@code String getTraceId()} and
 * {@code String getSpanId()} (opentelemetry-api 1.0 and later), and {@code io.opentelemetry.context.Context},
 * which {@code Span.current()} needs (opentelemetry-context, a jar of its own). Read from the class files the loader would define, never loaded: the
 * agent must not load, initialise or configure OpenTelemetry. Answered once per loader.
 */
public final class OpenTelemetryApi {
    private static final String SPAN = "io/opentelemetry/api/trace/Span";
    private static final String SPAN_CONTEXT = "io/opentelemetry/api/trace/SpanContext";
    private static final String CONTEXT = "io/opentelemetry/context/Context";
    private static final Map<ClassLoader, Boolean> USABLE = new WeakHashMap<>();

    private OpenTelemetryApi() {
    }

    /**
     * Whether events of classes defined by {@code loader} can carry the OpenTelemetry ids.
     *
     * @param loader the traced class's loader; null (the bootstrap loader) sees no OpenTelemetry
     * @param asked  whether the user named {@code otel}: then a loader without the API is logged once
     * @return true when the loader sees an API with the methods above
     */
    public static synchronized boolean usableFrom(@Nullable ClassLoader loader, boolean asked) {
        if (loader == null) {
            return false;
        }
        Boolean known = USABLE.get(loader);
        if (known != null) {
            return known;
        }
        boolean usable = check(loader, asked);
        USABLE.put(loader, usable);
        return usable;
    }

    private static boolean check(ClassLoader loader, boolean asked) {
        Set<String> span = methodsOf(loader, SPAN);
        if (span == null) {
            if (asked) {
                AgentLog.info("context=otel: " + loader + " sees no OpenTelemetry API (io.opentelemetry.api.trace.Span);"
                    + " events of its classes carry no trace_id or span_id");
            }
            return false;
        }
        Set<String> spanContext = methodsOf(loader, SPAN_CONTEXT);
        boolean usable = span.contains("static current()L" + SPAN + ";")
            && span.contains("getSpanContext()L" + SPAN_CONTEXT + ";")
            && spanContext != null && spanContext.contains("getTraceId()Ljava/lang/String;")
            && spanContext.contains("getSpanId()Ljava/lang/String;");
        if (!usable) {
            AgentLog.warn("context=otel: the OpenTelemetry API " + loader + " sees lacks Span.current(),"
                + " getSpanContext(), getTraceId() or getSpanId() (older than opentelemetry-api 1.0?); events of its"
                + " classes carry no trace_id or span_id");
            return false;
        }
        if (methodsOf(loader, CONTEXT) == null) {
            AgentLog.warn("context=otel: " + loader + " sees opentelemetry-api but not io.opentelemetry.context.Context"
                + " (opentelemetry-context), which Span.current() needs; events of its classes carry no trace_id or"
                + " span_id. Fix: put opentelemetry-context on its class path, or context= to drop the fields");
            return false;
        }
        return true;
    }

    /** The methods an interface declares ({@code [static ]name descriptor}); null if absent, unreadable or a class. */
    private static @Nullable Set<String> methodsOf(ClassLoader loader, String internalName) {
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            if (in == null) {
                return null;
            }
            ClassReader reader = new ClassReader(in.readAllBytes());
            if ((reader.getAccess() & Opcodes.ACC_INTERFACE) == 0) {
                return null;
            }
            Set<String> methods = new HashSet<>();
            reader.accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public @Nullable MethodVisitor visitMethod(int access, String name, String descriptor,
                                                           @Nullable String signature, String @Nullable [] exceptions) {
                    methods.add(((access & Opcodes.ACC_STATIC) != 0 ? "static " : "") + name + descriptor);
                    return null;
                }
            }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return methods;
        } catch (IOException | RuntimeException e) {
            return null; // unreadable: as if absent
        }
    }
}
