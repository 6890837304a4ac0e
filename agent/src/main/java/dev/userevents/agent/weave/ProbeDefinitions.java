package dev.userevents.agent.weave;

import dev.userevents.agent.probe.EventContext;
import dev.userevents.agent.probe.ParameterKind;
import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.shim.EventFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.Type;
import org.jspecify.annotations.Nullable;

/**
 * Derives event definitions from a class's {@code @Tracepoint} methods.
 *
 * <p>Names: the annotation's {@code name}, else {@code <SimpleBinaryName>_<method>} with nested classes
 * joined by '_' and anything not [A-Za-z0-9_] replaced by '_', after the configured prefix. Overloads that
 * end up with one name are told apart deterministically: sorted by descriptor, the first keeps the name,
 * the others get {@code _2}, {@code _3}, ... Fields are named after the parameters (javac
 * {@code -parameters}), else {@code arg0}, {@code arg1}, ...
 */
public final class ProbeDefinitions {
    /** Binary name of the {@code @Tracepoint} annotation, which marks the methods to trace. */
    public static final String TRACEPOINT = "dev.userevents.Tracepoint";
    /** The exit event of {@code name} is {@code name_exit}. */
    public static final String EXIT_SUFFIX = "_exit";
    /** Exit event field: the return value, of the return type's {@link ParameterKind}; absent for void. */
    public static final String RETURN_FIELD = "ret";
    /** Exit event field: ns from method entry to exit ({@code System.nanoTime()}), s64. */
    public static final String DURATION_FIELD = "duration_ns";
    /** Exit event field: class name of the throwable that ended the method; empty when it returned. */
    public static final String THROWN_FIELD = "thrown";

    private ProbeDefinitions() {
    }

    /**
     * The definitions of a class's methods that asked for a probe ({@code specs}, in declaration order, as
     * {@link ClassScan} read them). Methods that cannot be traced (abstract, native, constructors), events whose
     * format is refused and {@code unmatched} (probes-file lines of this class that matched no method) are
     * logged and left out.
     */
    static Map<DeclaredMethod, ProbeDefinition> of(String className, Map<DeclaredMethod, TracepointSpec> specs,
                                                   String prefix, List<String> unmatched) {
        return of(className, specs, prefix, unmatched, EventContext.NONE);
    }

    /**
     * As {@link #of(String, Map, String, List)}; every entry and exit event ends with the fields of
     * {@code context}: the thread's ({@link ProbeDefinition#withThreadContext()}), then OpenTelemetry's
     * ({@link ProbeDefinition#withOtelContext()}), then the method's stack if it asks for it.
     */
    static Map<DeclaredMethod, ProbeDefinition> of(String className, Map<DeclaredMethod, TracepointSpec> specs,
                                                   String prefix, List<String> unmatched, EventContext context) {
        Map<String, List<DeclaredMethod>> byName = new LinkedHashMap<>();
        Set<DeclaredMethod> withExit = new HashSet<>();
        Set<DeclaredMethod> withStack = new HashSet<>();
        for (Map.Entry<DeclaredMethod, TracepointSpec> entry : specs.entrySet()) {
            DeclaredMethod method = entry.getKey();
            TracepointSpec spec = entry.getValue();
            // javac copies a method's annotations onto the bridge it generates for a generic override; the
            // bridge only calls the real method, so it must not become a second event (nor take its name).
            if (method.isBridge()) {
                continue;
            }
            if (!method.isTraceable()) {
                AgentLog.warn(spec.origin() + " on " + className + "." + method.name()
                    + " ignored: only methods with a body can be traced (not abstract, native or constructors)");
                continue;
            }
            String name = prefix + (spec.name().isEmpty() ? defaultName(className, method.name()) : spec.name());
            byName.computeIfAbsent(name, key -> new ArrayList<>()).add(method);
            if (spec.exit()) {
                withExit.add(method);
            }
            if (spec.stack()) {
                withStack.add(method);
            }
        }
        for (String line : unmatched) {
            AgentLog.warn("probes file line " + line + " matches no method of that class");
        }
        Map<DeclaredMethod, ProbeDefinition> definitions = new LinkedHashMap<>();
        for (Map.Entry<String, List<DeclaredMethod>> entry : byName.entrySet()) {
            List<DeclaredMethod> methods = entry.getValue();
            methods.sort(Comparator.comparing(DeclaredMethod::descriptor));
            for (int i = 0; i < methods.size(); i++) {
                DeclaredMethod method = methods.get(i);
                String name = i == 0 ? entry.getKey() : entry.getKey() + "_" + (i + 1);
                if (i > 0) {
                    AgentLog.info("event name " + entry.getKey() + " is used by " + methods.size() + " overloads of "
                        + className + "." + method.name() + "; " + method.descriptor() + " becomes " + name);
                }
                boolean stack = withStack.contains(method);
                ProbeDefinition definition = define(className, method, name, context, stack);
                if (definition != null && withExit.contains(method)) {
                    ProbeDefinition exit = defineExit(className, method, name + EXIT_SUFFIX, context, stack);
                    definition = exit == null ? definition : definition.withExit(exit);
                }
                if (definition != null) {
                    definition = withAttributes(definition, specs.get(method), className);
                }
                if (definition != null) {
                    definitions.put(method, definition);
                }
            }
        }
        return definitions;
    }

    /**
     * The event name of a method whose {@code @Tracepoint} gives none, before the prefix.
     *
     * @param binaryClassName the method's declaring class ({@code com.acme.Outer$Inner})
     * @param methodName      the traced method's name
     * @return {@code <SimpleBinaryName>_<method>}, made a C identifier by {@link EventFormat#sanitize}:
     *     {@code com.acme.Outer$Inner#run} gives {@code Outer_Inner_run}
     */
    static String defaultName(String binaryClassName, String methodName) {
        String simple = binaryClassName.substring(binaryClassName.lastIndexOf('.') + 1);
        return EventFormat.sanitize(simple + "_" + methodName);
    }

    /** The entry event of {@code method}; null (logged) when its format is refused. */
    private static @Nullable ProbeDefinition define(String className, DeclaredMethod method, String eventName,
                                                    EventContext context, boolean stack) {
        String where = className + "." + method.name() + method.descriptor();
        try {
            EventFormat format = EventFormat.named(eventName);
            List<ParameterKind> kinds = new ArrayList<>();
            Set<String> used = new HashSet<>();
            if (context.thread()) { // a parameter of one of these names falls back to argN
                used.add(ProbeDefinition.JAVA_TID_FIELD);
                used.add(ProbeDefinition.VIRTUAL_FIELD);
            }
            if (context.otel()) {
                used.add(ProbeDefinition.TRACE_ID_FIELD);
                used.add(ProbeDefinition.SPAN_ID_FIELD);
            }
            if (stack) {
                used.add(ProbeDefinition.STACK_FIELD);
            }
            Type[] parameters = Type.getArgumentTypes(method.descriptor());
            for (int index = 0; index < parameters.length; index++) {
                ParameterKind kind = ParameterKind.ofDescriptor(parameters[index].getDescriptor());
                String field = fieldName(method.parameterName(index), index, used);
                used.add(field);
                format = format.with(kind.fieldType(), field);
                kinds.add(kind);
            }
            ProbeDefinition definition = new ProbeDefinition(className, method.name(), method.descriptor(), format, kinds);
            return withContext(definition, context, stack);
        } catch (IllegalArgumentException e) {
            AgentLog.error("probe " + eventName + " on " + where + " left off: " + e.getMessage());
            return null;
        }
    }

    /** The exit event of {@code method}; null (logged) when its format is refused. */
    private static @Nullable ProbeDefinition defineExit(String className, DeclaredMethod method, String eventName,
                                                        EventContext context, boolean stack) {
        try {
            EventFormat format = EventFormat.named(eventName);
            ParameterKind returnKind = null;
            // THE ORDER OF THE FOLLOWING FIELDS IS IMPORTANT: ProbeRuntime.exit* write ret (absent for void),
            // then duration_ns (s64), then thrown (__rel_loc, 4 bytes), then the thread context when asked
            // (s64 + u8), then the stack when asked (__rel_loc), and ProbeRuntime.exitInt tells an s8, s16/u16
            // or s32 ret apart as fixedSize() less those (EXIT_TRAILER_BYTES, THREAD_CONTEXT_BYTES, REL_LOC_BYTES).
            String returnType = Type.getReturnType(method.descriptor()).getDescriptor();
            if (!returnType.equals("V")) {
                returnKind = ParameterKind.ofDescriptor(returnType);
                format = format.with(returnKind.fieldType(), RETURN_FIELD);
            }
            format = format.s64(DURATION_FIELD).string(THROWN_FIELD);
            ProbeDefinition exit = ProbeDefinition.exitOf(className, method.name(), method.descriptor(), format, returnKind);
            return withContext(exit, context, stack);
        } catch (IllegalArgumentException e) {
            AgentLog.error("exit probe " + eventName + " on " + className + "." + method.name()
                + " left off: " + e.getMessage());
            return null;
        }
    }

    /** The EventHeader level and keyword the spec asks; null (logged) for a level out of range. */
    private static @Nullable ProbeDefinition withAttributes(ProbeDefinition definition, @Nullable TracepointSpec spec,
                                                            String className) {
        if (spec == null) {
            return definition;
        }
        try {
            return definition.withAttributes(spec.level(), spec.keyword());
        } catch (IllegalArgumentException e) {
            AgentLog.error("probe " + definition.format().name() + " on " + className + "." + definition.methodName()
                + " left off: " + spec.origin() + ": " + e.getMessage());
            return null;
        }
    }

    /** The context fields last, in this order: thread, OpenTelemetry, then the stack. */
    private static ProbeDefinition withContext(ProbeDefinition definition, EventContext context, boolean stack) {
        ProbeDefinition withThread = context.thread() ? definition.withThreadContext() : definition;
        ProbeDefinition withOtel = context.otel() ? withThread.withOtelContext() : withThread;
        return stack ? withOtel.withStack() : withOtel;
    }

    private static String fieldName(@Nullable String compiledName, int index, Set<String> used) {
        String fallback = "arg" + index;
        if (compiledName == null) {
            return fallback;
        }
        String name = EventFormat.sanitize(compiledName);
        return name.startsWith("common_") || used.contains(name) ? fallback : name;
    }
}
