package dev.userevents.agent.weave;

import java.lang.reflect.Modifier;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What naming and defining a probe needs to know of one declared method, as {@link ClassScan} read it. */
final class DeclaredMethod {
    private static final int BRIDGE = 0x0040; // ACC_BRIDGE, which java.lang.reflect.Modifier does not name
    private static final int SYNTHETIC = 0x1000; // ACC_SYNTHETIC

    private final String name;
    private final String descriptor;
    private final int modifiers;
    private final @Nullable List<@Nullable String> parameterNames;

    /** {@code parameterNames}: one per parameter, null where the class file names none; or null for none at all. */
    DeclaredMethod(String name, String descriptor, int modifiers, @Nullable List<@Nullable String> parameterNames) {
        this.name = name;
        this.descriptor = descriptor;
        this.modifiers = modifiers;
        this.parameterNames = parameterNames;
    }

    String name() {
        return name;
    }

    String descriptor() {
        return descriptor;
    }

    boolean isStatic() {
        return Modifier.isStatic(modifiers);
    }

    boolean isBridge() {
        return (modifiers & BRIDGE) != 0;
    }

    /** Neither abstract nor native, nor a constructor or type initializer: code we can weave. */
    boolean isTraceable() {
        return !Modifier.isAbstract(modifiers) && !Modifier.isNative(modifiers) && !name.startsWith("<");
    }

    /**
     * Whether a pattern may select this method: traceable, and written by the programmer, not the compiler
     * (no synthetic or bridge method, no lambda body).
     */
    boolean isCandidate() {
        return isTraceable() && (modifiers & (BRIDGE | SYNTHETIC)) == 0 && !name.startsWith("lambda$");
    }

    /** The compiled name of parameter {@code index}, or null. */
    @Nullable String parameterName(int index) {
        return parameterNames == null || index >= parameterNames.size() ? null : parameterNames.get(index);
    }
}
