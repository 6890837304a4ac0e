package dev.userevents.agent.install;

import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.runtime.AgentLog;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Weaves one class so that one bad method costs only itself, and registers events only for what was woven.
 *
 * <p>The class is woven with its probes' events deferred ({@link ProbeRegistrar#deferRegistration()}). When
 * weaving throws (a method too large once woven, frames ASM rejects, anything Byte Buddy throws), each
 * method is woven alone to find the ones that fail: those stay untraced with one ERROR line each, and the
 * class is woven again without them. Only then are the events of the woven probes registered; when the
 * kernel refuses one, the class is woven once more without it, so no refused probe leaves a check behind.
 */
final class MethodIsolatingWeaver {
    /** One weaving of the class: the methods whose key the predicate accepts. Null: nothing to weave. */
    interface Attempt {
        byte @Nullable [] weave(Predicate<String> includeMethodKey);
    }

    private final ProbeRegistrar registrar;
    private final String className;
    private final @Nullable ClassLoader loader;
    private final List<ProbeDefinition> definitions;

    MethodIsolatingWeaver(ProbeRegistrar registrar, String className, @Nullable ClassLoader loader,
                          List<ProbeDefinition> definitions) {
        this.registrar = registrar;
        this.className = className;
        this.loader = loader;
        this.definitions = definitions;
    }

    /**
     * Weaves what can be woven and registers its events.
     *
     * @return the woven class file, or null when no method was woven (the class loads unchanged)
     */
    byte @Nullable [] weave(Attempt attempt) {
        Set<String> unweavable = new HashSet<>();
        byte[] woven = deferred(attempt, key -> true);
        if (woven == FAILED) {
            for (ProbeDefinition definition : definitions) {
                Throwable failure = failureAlone(attempt, definition.methodKey());
                if (failure != null) {
                    unweavable.add(definition.methodKey());
                    leaveOff(definition);
                    AgentLog.error("method " + className + "." + definition.methodName() + definition.descriptor()
                        + " cannot be woven (" + failure + "); it runs untraced, the rest of " + className
                        + " is traced. A method within about 40 bytes of the JVM's 64 KiB limit cannot take a probe:"
                        + " split it, or stop tracing it (remove its @Tracepoint or its probes-file line, or narrow the"
                        + " pattern that matches it)");
                }
            }
            woven = deferred(attempt, key -> !unweavable.contains(key));
            if (woven == FAILED) {
                AgentLog.error("could not weave probes into " + className + "; that class runs untraced");
                return null;
            }
        }
        if (woven == null) {
            registrar.discardDeferred();
            return null;
        }
        Set<String> refused = registrar.registerDeferred();
        if (refused.isEmpty()) {
            return woven;
        }
        // The refused probes are left off in the registrar now: weaving again leaves their methods alone.
        try {
            return attempt.weave(key -> !unweavable.contains(key));
        } catch (Throwable e) {
            AgentLog.error("could not weave probes into " + className + ": " + e + "; that class runs untraced");
            return null;
        }
    }

    private static final byte[] FAILED = new byte[0];

    /** One attempt with registration deferred; FAILED (and nothing registered) when it threw. */
    private byte @Nullable [] deferred(Attempt attempt, Predicate<String> include) {
        registrar.deferRegistration();
        try {
            return attempt.weave(include);
        } catch (Throwable e) {
            registrar.discardDeferred();
            return FAILED;
        }
    }

    /** What weaving {@code methodKey} alone throws, or null; registers nothing either way. */
    private @Nullable Throwable failureAlone(Attempt attempt, String methodKey) {
        registrar.deferRegistration();
        try {
            attempt.weave(methodKey::equals);
            return null;
        } catch (Throwable e) {
            return e;
        } finally {
            registrar.discardDeferred();
        }
    }

    private void leaveOff(ProbeDefinition definition) {
        registrar.leaveOff(definition.methodKey(), loader);
        if (definition.exit() != null) {
            registrar.leaveOff(definition.exit().methodKey(), loader);
        }
    }
}
