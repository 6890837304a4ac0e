package dev.userevents.agent.weave;

import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.shim.EventFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;

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
    public static final String TRACEPOINT = "dev.userevents.Tracepoint";
    /** The exit event of {@code name} is {@code name_exit}. */
    public static final String EXIT_SUFFIX = "_exit";
    public static final String RETURN_FIELD = "ret";
    public static final String DURATION_FIELD = "duration_ns";
    public static final String THROWN_FIELD = "thrown";

    private ProbeDefinitions() {
    }

    /** One entry per wovable annotated method; methods that cannot be traced are logged and left out. */
    public static Map<MethodDescription, ProbeDefinition> of(TypeDescription type, String prefix) {
        return of(type, prefix, ProbesFile.EMPTY);
    }

    /** The same for {@code @Tracepoint} methods and the methods {@code probes} names. */
    public static Map<MethodDescription, ProbeDefinition> of(TypeDescription type, String prefix, ProbesFile probes) {
        Map<String, List<MethodDescription>> byName = new LinkedHashMap<>();
        Map<MethodDescription, TracepointSpec> specs = new LinkedHashMap<>();
        for (MethodDescription method : type.getDeclaredMethods()) {
            // javac copies a method's annotations onto the bridge it generates for a generic override; the
            // bridge only calls the real method, so it must not become a second event (nor take its name).
            if (method.isBridge()) {
                continue;
            }
            TracepointSpec spec = specOf(type, method, probes);
            if (spec == null) {
                continue;
            }
            if (method.isAbstract() || method.isNative() || !method.isMethod()) {
                AgentLog.warn(spec.origin() + " on " + type.getName() + "." + method.getName()
                    + " ignored: only methods with a body can be traced (not abstract, native or constructors)");
                continue;
            }
            String name = prefix + (spec.name().isEmpty() ? defaultName(type, method) : spec.name());
            byName.computeIfAbsent(name, key -> new ArrayList<>()).add(method);
            specs.put(method, spec);
        }
        for (String unmatched : probes.unmatched(type.getName(), type.getDeclaredMethods())) {
            AgentLog.warn("probes file line " + unmatched + " matches no method of that class");
        }
        Map<MethodDescription, ProbeDefinition> definitions = new LinkedHashMap<>();
        for (Map.Entry<String, List<MethodDescription>> entry : byName.entrySet()) {
            List<MethodDescription> methods = entry.getValue();
            methods.sort(Comparator.comparing(MethodDescription::getDescriptor));
            for (int i = 0; i < methods.size(); i++) {
                String name = i == 0 ? entry.getKey() : entry.getKey() + "_" + (i + 1);
                if (i > 0) {
                    AgentLog.info("event name " + entry.getKey() + " is used by " + methods.size() + " overloads of "
                        + type.getName() + "." + methods.get(i).getName() + "; " + methods.get(i).getDescriptor()
                        + " becomes " + name);
                }
                ProbeDefinition definition = define(type, methods.get(i), name);
                if (definition != null && specs.get(methods.get(i)).exit()) {
                    ProbeDefinition exit = defineExit(type, methods.get(i), name + EXIT_SUFFIX);
                    definition = exit == null ? definition : definition.withExit(exit);
                }
                if (definition != null) {
                    definitions.put(methods.get(i), definition);
                }
            }
        }
        return definitions;
    }

    private static TracepointSpec specOf(TypeDescription type, MethodDescription method, ProbesFile probes) {
        AnnotationDescription tracepoint = tracepointOf(method);
        if (tracepoint != null) {
            return new TracepointSpec(tracepoint.getValue("name").resolve(String.class),
                tracepoint.getValue("exit").resolve(Boolean.class), "@Tracepoint");
        }
        return probes.specFor(type.getName(), method);
    }

    static AnnotationDescription tracepointOf(MethodDescription method) {
        for (AnnotationDescription annotation : method.getDeclaredAnnotations()) {
            if (annotation.getAnnotationType().getName().equals(TRACEPOINT)) {
                return annotation;
            }
        }
        return null;
    }

    /** {@code <SimpleBinaryName>_<method>}: {@code com.acme.Outer$Inner#run} gives {@code Outer_Inner_run}. */
    public static String defaultName(TypeDescription type, MethodDescription method) {
        String binaryName = type.getName();
        String simple = binaryName.substring(binaryName.lastIndexOf('.') + 1);
        return EventFormat.sanitize(simple + "_" + method.getName());
    }

    private static ProbeDefinition define(TypeDescription type, MethodDescription method, String eventName) {
        String where = type.getName() + "." + method.getName() + method.getDescriptor();
        try {
            EventFormat format = EventFormat.named(eventName);
            List<ParameterKind> kinds = new ArrayList<>();
            Set<String> used = new HashSet<>();
            for (ParameterDescription parameter : method.getParameters()) {
                ParameterKind kind = ParameterKind.of(parameter.getType().asErasure());
                String field = fieldName(parameter, used);
                used.add(field);
                format = format.with(kind.fieldType(), field);
                kinds.add(kind);
            }
            return new ProbeDefinition(type.getName(), method.getName(), method.getDescriptor(), format, kinds);
        } catch (IllegalArgumentException e) {
            AgentLog.error("probe " + eventName + " on " + where + " left off: " + e.getMessage());
            return null;
        }
    }

    private static ProbeDefinition defineExit(TypeDescription type, MethodDescription method, String eventName) {
        try {
            EventFormat format = EventFormat.named(eventName);
            ParameterKind returnKind = null;
            if (!method.getReturnType().represents(void.class)) {
                returnKind = ParameterKind.of(method.getReturnType().asErasure());
                format = format.with(returnKind.fieldType(), RETURN_FIELD);
            }
            format = format.s64(DURATION_FIELD).string(THROWN_FIELD);
            return ProbeDefinition.exitOf(type.getName(), method.getName(), method.getDescriptor(), format, returnKind);
        } catch (IllegalArgumentException e) {
            AgentLog.error("exit probe " + eventName + " on " + type.getName() + "." + method.getName()
                + " left off: " + e.getMessage());
            return null;
        }
    }

    private static String fieldName(ParameterDescription parameter, Set<String> used) {
        String fallback = "arg" + parameter.getIndex();
        if (!parameter.isNamed()) {
            return fallback;
        }
        String name = EventFormat.sanitize(parameter.getName());
        return name.startsWith("common_") || used.contains(name) ? fallback : name;
    }
}
