package dev.userevents.agent.weave;

import dev.userevents.shim.EventFormat;
import java.util.Collections;
import java.util.List;

/** What one traced method becomes: its event format and how each parameter is encoded. */
public final class ProbeDefinition {
    private final String className;
    private final String methodName;
    private final String descriptor;
    private final EventFormat format;
    private final List<ParameterKind> parameters;

    public ProbeDefinition(String className, String methodName, String descriptor, EventFormat format,
                           List<ParameterKind> parameters) {
        this.className = className;
        this.methodName = methodName;
        this.descriptor = descriptor;
        this.format = format;
        this.parameters = Collections.unmodifiableList(parameters);
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

    public List<ParameterKind> parameters() {
        return parameters;
    }

    /** {@code com.acme.Orders#place(ILjava/lang/String;)V}: identifies the method across class loaders. */
    public String methodKey() {
        return className + "#" + methodName + descriptor;
    }

    /** How many string fields the event has. */
    public int stringFields() {
        int count = 0;
        for (ParameterKind kind : parameters) {
            if (kind.fieldType() == dev.userevents.shim.FieldType.REL_LOC_STRING) {
                count++;
            }
        }
        return count;
    }

    public ProbeDefinition renamed(String eventName) {
        return new ProbeDefinition(className, methodName, descriptor, format.renamed(eventName), parameters);
    }

    @Override
    public String toString() {
        return className + "." + methodName + " -> " + format.command();
    }
}
