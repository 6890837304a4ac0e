package dev.userevents.agent.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The current OpenTelemetry span of the API a traced class sees ({@code context=otel}), asked through method
 * handles found in that class's loader the first time one of its events is traced: {@code
 * Span.current().getSpanContext()}, then its {@code getTraceId()} and {@code getSpanId()}. Nothing of
 * OpenTelemetry is loaded before an event that carries its ids is traced, and nothing is ever initialised or
 * configured by the agent itself (asking for the current span initialises the API's context storage, as the
 * application's first span would).
 *
 * <p>Asking runs the application's code (its context storage and wrappers), which may call traced methods: a
 * thread already asking gets no span (the events made meanwhile carry empty ids), so the agent never recurses
 * where the application does not. Any throwable from the API leaves the ids empty; a loader whose API cannot be
 * resolved (a class missing, a method absent) is given up, with one log line.
 */
final class OtelSpans {
    /** Per thread: 1 while this thread asks OpenTelemetry for its span. */
    private static final ThreadLocal<int[]> ASKING = new ThreadLocal<int[]>() {
        @Override
        protected int[] initialValue() {
            return new int[1];
        }
    };

    /** One per class loader, so its API is resolved once. */
    private static final Map<ClassLoader, OtelSpans> BY_LOADER = new WeakHashMap<>();

    private final WeakReference<ClassLoader> loader;
    /** () -> Object: {@code Span.current().getSpanContext()}; null until resolved. */
    private volatile @Nullable MethodHandle currentContext;
    /** (Object) -> String: {@code SpanContext.getTraceId()}. */
    private volatile @Nullable MethodHandle traceId;
    /** (Object) -> String: {@code SpanContext.getSpanId()}. */
    private volatile @Nullable MethodHandle spanId;
    private volatile boolean unusable;

    /**
     * The spans of the OpenTelemetry API {@code loader} sees.
     *
     * @param loader the traced class's defining loader, held weakly
     */
    private OtelSpans(ClassLoader loader) {
        this.loader = new WeakReference<>(loader);
    }

    /** The spans of the API {@code loader} sees, shared by every probe of its classes. */
    static synchronized OtelSpans of(ClassLoader loader) {
        return BY_LOADER.computeIfAbsent(loader, OtelSpans::new);
    }

    /**
     * The current span's context, or null when there is none to be had (this thread is already asking, the API
     * failed, the loader is gone).
     *
     * @return an {@code io.opentelemetry.api.trace.SpanContext}, typed as Object
     */
    @Nullable Object currentContext() {
        int[] asking;
        try {
            asking = ASKING.get();
        } catch (Throwable e) {
            return null;
        }
        if (asking[0] != 0 || unusable) {
            return null;
        }
        asking[0] = 1;
        try {
            MethodHandle current = currentContext;
            if (current == null) {
                current = resolve();
                if (current == null) {
                    return null;
                }
            }
            return (Object) current.invokeExact();
        } catch (Throwable e) {
            return null;
        } finally {
            asking[0] = 0;
        }
    }

    /**
     * The trace id of a span context {@link #currentContext} gave.
     *
     * @param context the span context, or null
     * @return 32 lowercase hex characters; "" for null, an invalid (all-zero) id, or a failure
     */
    String traceId(@Nullable Object context) {
        return id(traceId, context);
    }

    /**
     * The span id of a span context {@link #currentContext} gave.
     *
     * @param context the span context, or null
     * @return 16 lowercase hex characters; "" for null, an invalid (all-zero) id, or a failure
     */
    String spanId(@Nullable Object context) {
        return id(spanId, context);
    }

    private static String id(@Nullable MethodHandle getter, @Nullable Object context) {
        if (getter == null || context == null) {
            return "";
        }
        try {
            String id = (String) getter.invokeExact(context);
            return isValid(id) ? id : "";
        } catch (Throwable e) {
            return "";
        }
    }

    /** Not null, not empty, not all zeros (the W3C trace context's invalid id). */
    private static boolean isValid(@Nullable String id) {
        if (id == null || id.isEmpty()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) != '0') {
                return true;
            }
        }
        return false;
    }

    /** Finds the handles in the loader; null (and given up for good, logged once) when the API cannot serve. */
    private synchronized @Nullable MethodHandle resolve() {
        MethodHandle current = currentContext;
        if (current != null || unusable) {
            return current;
        }
        ClassLoader classes = loader.get();
        if (classes == null) {
            unusable = true;
            return null;
        }
        try {
            Class<?> span = Class.forName("io.opentelemetry.api.trace.Span", false, classes);
            Class<?> spanContext = Class.forName("io.opentelemetry.api.trace.SpanContext", false, classes);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle currentSpan = lookup.findStatic(span, "current", MethodType.methodType(span));
            MethodHandle getSpanContext = lookup.findVirtual(span, "getSpanContext", MethodType.methodType(spanContext));
            MethodType idGetter = MethodType.methodType(String.class, Object.class);
            traceId = lookup.findVirtual(spanContext, "getTraceId", MethodType.methodType(String.class)).asType(idGetter);
            spanId = lookup.findVirtual(spanContext, "getSpanId", MethodType.methodType(String.class)).asType(idGetter);
            current = MethodHandles.filterReturnValue(currentSpan, getSpanContext).asType(MethodType.methodType(Object.class));
            currentContext = current;
            return current;
        } catch (Throwable e) {
            unusable = true;
            AgentLog.warn("context=otel: the OpenTelemetry API " + classes + " sees cannot be asked for the current span ("
                + e + "); events of its classes carry empty trace_id and span_id. Fix: put the whole API"
                + " (opentelemetry-api and opentelemetry-context, 1.0 or later) on its class path, or context= to drop the fields");
            return null;
        }
    }
}
