package dev.userevents.agent.probe;

import dev.userevents.shim.EventFormat;
import dev.userevents.shim.FieldType;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one traced method becomes: its event format and how each value is encoded. An entry definition
 * describes the parameters; its optional {@link #exit()} definition the return: fields {@code ret} (absent
 * for void), {@code duration_ns} (s64) and {@code thrown} (the exception's class name, empty on return).
 */
public final class ProbeDefinition {
    private final String className;
    private final String methodName;
    private final String descriptor;
    private final EventFormat format;
    private final List<ParameterKind> parameters;
    /** Field of {@code context=thread}: the Java thread id, {@code Thread.threadId()}, s64. */
    public static final String JAVA_TID_FIELD = "java_tid";
    /** Field of {@code context=thread}: 1 on a virtual thread, else 0, u8. */
    public static final String VIRTUAL_FIELD = "virtual";
    /** Field of {@code context=otel}: the current span's trace id, 32 lowercase hex characters, or empty. */
    public static final String TRACE_ID_FIELD = "trace_id";
    /** Field of {@code context=otel}: the current span's id, 16 lowercase hex characters, or empty. */
    public static final String SPAN_ID_FIELD = "span_id";
    /** Field of {@code @Tracepoint(stack = true)}: the calling Java stack as text, the event's last field. */
    public static final String STACK_FIELD = "stack";

    private final boolean isExit;
    private final @Nullable ProbeDefinition exit;
    private final boolean threadContext;
    private final boolean stack;
    private final boolean otel;
    private final int level;
    private final long keyword;

    /**
     * An entry event, without exit event ({@link #withExit} adds one).
     *
     * @param className  binary name of the declaring class, {@code com.acme.Outer$Inner}
     * @param methodName the method's name as compiled, {@code place}
     * @param descriptor the method descriptor (JVM specification 4.3.3), {@code (ILjava/lang/String;)V}
     * @param format     the event: its name and one field per parameter, in declaration order
     * @param parameters how each parameter is encoded, one per parameter in declaration order; kept, not
     *                   copied
     */
    public ProbeDefinition(String className, String methodName, String descriptor, EventFormat format,
                           List<ParameterKind> parameters) {
        this(className, methodName, descriptor, format, parameters, false, null, false, false, false,
            DEFAULT_LEVEL, DEFAULT_KEYWORD);
    }

    /** The EventHeader level of an event that asks for none: 5, verbose. */
    public static final int DEFAULT_LEVEL = 5;
    /** The EventHeader keyword of an event that asks for none: 1. */
    public static final long DEFAULT_KEYWORD = 1;

    private ProbeDefinition(String className, String methodName, String descriptor, EventFormat format,
                            List<ParameterKind> parameters, boolean isExit, @Nullable ProbeDefinition exit,
                            boolean threadContext, boolean stack, boolean otel, int level, long keyword) {
        this.className = className;
        this.methodName = methodName;
        this.descriptor = descriptor;
        this.format = format;
        this.parameters = Collections.unmodifiableList(parameters);
        this.isExit = isExit;
        this.exit = exit;
        this.threadContext = threadContext;
        this.stack = stack;
        this.otel = otel;
        this.level = level;
        this.keyword = keyword;
    }

    /**
     * An exit event.
     *
     * @param className  the traced method's class, binary name
     * @param methodName the traced method's name
     * @param descriptor the traced method's descriptor
     * @param format     the exit event's name and fields (the return value's field, if any, then the exit fields)
     * @param returnKind the return value's kind; null for a void method
     * @return a definition for which {@link #isExit()} is true
     */
    public static ProbeDefinition exitOf(String className, String methodName, String descriptor, EventFormat format,
                                  @Nullable ParameterKind returnKind) {
        return new ProbeDefinition(className, methodName, descriptor, format,
            returnKind == null ? Collections.emptyList() : Collections.singletonList(returnKind), true, null, false, false,
            false, DEFAULT_LEVEL, DEFAULT_KEYWORD);
    }

    /**
     * The same entry event, also emitting an exit event when the method returns or throws.
     *
     * @param exitDefinition the exit event, from {@link #exitOf}
     * @return a new definition whose {@link #exit()} is {@code exitDefinition}
     */
    public ProbeDefinition withExit(ProbeDefinition exitDefinition) {
        return new ProbeDefinition(className, methodName, descriptor, format, parameters, false, exitDefinition,
            threadContext, stack, otel, level, keyword);
    }

    /**
     * The same event with the thread context ({@code context=thread}) as its last fields: {@code java_tid}
     * (s64, {@code Thread.threadId()}) and {@code virtual} (u8, 1 on a virtual thread), which
     * {@code ProbeRuntime.putThreadContext} writes. Kernel tools show the carrier thread of a virtual thread as
     * {@code common_pid}; these fields say which Java thread it was.
     *
     * @return a copy with the two fields added; its exit definition, if any, is kept as is
     * @throws IllegalArgumentException if the event already has a field of either name, or the fields make its
     *     description too long ({@link EventFormat#with})
     */
    public ProbeDefinition withThreadContext() {
        return new ProbeDefinition(className, methodName, descriptor, format.s64(JAVA_TID_FIELD).u8(VIRTUAL_FIELD),
            parameters, isExit, exit, true, stack, otel, level, keyword);
    }

    /**
     * The same event with the OpenTelemetry ids ({@code context=otel}) as its next fields: {@code trace_id} and
     * {@code span_id}, strings, of the current span of the OpenTelemetry API the traced class sees, empty when
     * there is none; the woven code reads them ({@code Span.current().getSpanContext()}).
     *
     * @return a copy with the two fields added; its exit definition, if any, is kept as is
     * @throws IllegalArgumentException if the event already has a field of either name, or the fields make its
     *     description too long ({@link EventFormat#with})
     */
    public ProbeDefinition withOtelContext() {
        return new ProbeDefinition(className, methodName, descriptor,
            format.string(TRACE_ID_FIELD).string(SPAN_ID_FIELD), parameters, isExit, exit, threadContext, stack, true,
            level, keyword);
    }

    /**
     * The same event, and its exit event, with EventHeader attributes ({@code format=eventheader}).
     *
     * @param eventLevel   1 (critical) to 5 (verbose)
     * @param eventKeyword the category bits
     * @return a copy whose {@link #level()} and {@link #keyword()} are those, its exit definition's too
     * @throws IllegalArgumentException if {@code eventLevel} is outside 1..5
     */
    public ProbeDefinition withAttributes(int eventLevel, long eventKeyword) {
        if (eventLevel < 1 || eventLevel > 5) {
            throw new IllegalArgumentException("level " + eventLevel + " is not an EventHeader level: use 1 (critical),"
                + " 2 (error), 3 (warning), 4 (information) or 5 (verbose)");
        }
        ProbeDefinition exitWith = exit == null ? null : exit.withAttributes(eventLevel, eventKeyword);
        return new ProbeDefinition(className, methodName, descriptor, format, parameters, isExit, exitWith,
            threadContext, stack, otel, eventLevel, eventKeyword);
    }

    /** {@return the EventHeader level: 1 (critical) to 5 (verbose), 5 unless asked} */
    public int level() {
        return level;
    }

    /** {@return the EventHeader keyword, the category bits: 1 unless asked} */
    public long keyword() {
        return keyword;
    }

    /**
     * Whether the event carries the OpenTelemetry ids ({@link #withOtelContext}).
     *
     * @return true when {@code trace_id} and {@code span_id} are among its fields
     */
    public boolean otel() {
        return otel;
    }

    /**
     * The same event with the calling Java stack as its last field, {@code stack} ({@code __rel_loc char[]}),
     * which {@code ProbeRuntime.putStack} writes.
     *
     * @return a copy with the field added; its exit definition, if any, is kept as is
     * @throws IllegalArgumentException if the event already has a field named {@code stack}, or the field makes
     *     its description too long ({@link EventFormat#with})
     */
    public ProbeDefinition withStack() {
        return new ProbeDefinition(className, methodName, descriptor, format.string(STACK_FIELD), parameters, isExit,
            exit, threadContext, true, otel, level, keyword);
    }

    /**
     * Whether the event ends with the calling stack ({@link #withStack}).
     *
     * @return true when {@code stack} is its last field
     */
    public boolean stack() {
        return stack;
    }

    /**
     * Whether the event ends with the thread context's fields ({@link #withThreadContext}).
     *
     * @return true when {@code java_tid} and {@code virtual} are its last fields
     */
    public boolean threadContext() {
        return threadContext;
    }

    /**
     * The class that declares the method.
     *
     * @return its binary name, {@code com.acme.Outer$Inner}
     */
    public String className() {
        return className;
    }

    /**
     * The traced method's name.
     *
     * @return the name as compiled, {@code place}
     */
    public String methodName() {
        return methodName;
    }

    /**
     * The traced method's descriptor, which tells overloads apart.
     *
     * @return the method descriptor (JVM specification 4.3.3), {@code (ILjava/lang/String;)V}
     */
    public String descriptor() {
        return descriptor;
    }

    /**
     * The event registered for this probe.
     *
     * @return its name and fields, as sent to the kernel
     */
    public EventFormat format() {
        return format;
    }

    /**
     * How each value of the event is encoded, in field order.
     *
     * @return an unmodifiable list; entry: one kind per parameter; exit: the return value's kind, or empty for
     *     void
     */
    public List<ParameterKind> parameters() {
        return parameters;
    }

    /**
     * Whether this is an exit event (made by {@code weave.ProbeDefinitions} from an entry definition).
     *
     * @return true for an exit event, false for an entry event
     */
    public boolean isExit() {
        return isExit;
    }

    /**
     * The exit event of this entry definition.
     *
     * @return the exit definition; null when no exit event was asked for, and always for an exit definition
     */
    public @Nullable ProbeDefinition exit() {
        return exit;
    }

    /**
     * Identifies the event's source: the registrar keys probes by it, per class loader.
     *
     * @return {@code com.acme.Orders#place(ILjava/lang/String;)V}, plus {@code /exit} for an exit event
     */
    public String methodKey() {
        return className + "#" + methodName + descriptor + (isExit ? "/exit" : "");
    }

    /**
     * How many string fields the event has; the encoder reserves buffer room for each.
     *
     * @return the number of {@code __rel_loc char[]} fields (floats, doubles and references, and an exit
     *     event's {@code thrown}); 0 if none
     */
    public int stringFields() {
        int count = 0;
        for (EventFormat.Field field : format.fields()) {
            if (field.type() == FieldType.REL_LOC_STRING) {
                count++;
            }
        }
        return count;
    }

    /**
     * The same definition under another event name, for when another method has taken this one.
     *
     * @param eventName the new event name, a C identifier
     * @return a copy whose format is named {@code eventName}; the exit definition, if any, is kept as is
     * @throws IllegalArgumentException if {@code eventName} is not a valid event name or makes the event's
     *     description too long ({@link EventFormat#renamed(String)})
     */
    public ProbeDefinition renamed(String eventName) {
        return new ProbeDefinition(className, methodName, descriptor, format.renamed(eventName), parameters, isExit, exit,
            threadContext, stack, otel, level, keyword);
    }

    @Override
    public String toString() {
        return className + "." + methodName + " -> " + format.command();
    }
}
