package dev.userevents.agent.weave;

import dev.userevents.shim.EventFormat;
import dev.userevents.shim.FieldType;
import java.util.Collections;
import java.util.List;

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
    private final boolean isExit;
    private final ProbeDefinition exit;

    public ProbeDefinition(String className, String methodName, String descriptor, EventFormat format,
                           List<ParameterKind> parameters) {
        this(className, methodName, descriptor, format, parameters, false, null);
    }

    private ProbeDefinition(String className, String methodName, String descriptor, EventFormat format,
                            List<ParameterKind> parameters, boolean isExit, ProbeDefinition exit) {
        this.className = className;
        this.methodName = methodName;
        this.descriptor = descriptor;
        this.format = format;
        this.parameters = Collections.unmodifiableList(parameters);
        this.isExit = isExit;
        this.exit = exit;
    }

    /** An exit event; {@code returnKind} is null for void methods. */
    static ProbeDefinition exitOf(String className, String methodName, String descriptor, EventFormat format,
                                  ParameterKind returnKind) {
        return new ProbeDefinition(className, methodName, descriptor, format,
            returnKind == null ? Collections.emptyList() : Collections.singletonList(returnKind), true, null);
    }

    /** The same entry event, also emitting {@code exit} when the method returns or throws. */
    ProbeDefinition withExit(ProbeDefinition exitDefinition) {
        return new ProbeDefinition(className, methodName, descriptor, format, parameters, false, exitDefinition);
    }

    public String className() {
        return className;
    }

    public String methodName() {
        return methodName;
    }

    public String descriptor() {
        return descriptor;
    }

    public EventFormat format() {
        return format;
    }

    /** Entry: the parameters' kinds. Exit: the return value's kind, or nothing for void. */
    public List<ParameterKind> parameters() {
        return parameters;
    }

    public boolean isExit() {
        return isExit;
    }

    /** The exit event of this entry definition, or null. */
    public ProbeDefinition exit() {
        return exit;
    }

    /** {@code com.acme.Orders#place(ILjava/lang/String;)V} (plus {@code /exit}): identifies the event's source. */
    public String methodKey() {
        return className + "#" + methodName + descriptor + (isExit ? "/exit" : "");
    }

    /** How many string fields the event has. */
    public int stringFields() {
        int count = 0;
        for (EventFormat.Field field : format.fields()) {
            if (field.type() == FieldType.REL_LOC_STRING) {
                count++;
            }
        }
        return count;
    }

    public ProbeDefinition renamed(String eventName) {
        return new ProbeDefinition(className, methodName, descriptor, format.renamed(eventName), parameters, isExit, exit);
    }

    @Override
    public String toString() {
        return className + "." + methodName + " -> " + format.command();
    }
}
