package dev.userevents.agent.install;

import dev.userevents.agent.runtime.AgentLog;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Classes loaded before the agent (at attach time: the whole application) are woven by retransforming
 * them. Each candidate's class file is read back as a resource and byte-scanned first, so only classes
 * that hold probes are retransformed; one at a time, so one failure cannot block the others.
 */
final class LoadedClasses {
    private LoadedClasses() {
    }

    static void retransformThoseWithProbes(Instrumentation instrumentation, TracepointClassTransformer transformer) {
        List<Class<?>> candidates = new ArrayList<>();
        for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
            if (loaded.isArray() || loaded.isPrimitive() || !transformer.accepts(loaded.getName())
                || !instrumentation.isModifiableClass(loaded)) {
                continue;
            }
            byte[] classFile = classFileOf(loaded);
            if (classFile != null && transformer.mayHoldProbes(loaded.getName(), classFile)
                && prepared(transformer, loaded, classFile)) {
                candidates.add(loaded);
            }
        }
        for (Class<?> candidate : candidates) {
            try {
                instrumentation.retransformClasses(candidate);
            } catch (Throwable e) {
                AgentLog.error("could not weave probes into the loaded class " + candidate.getName() + ": " + e
                    + "; that class runs untraced");
            }
        }
    }

    /** Registers the class's on-demand candidates; true when it has probes to weave now. */
    private static boolean prepared(TracepointClassTransformer transformer, Class<?> loaded, byte[] classFile) {
        try {
            return transformer.prepareLoaded(loaded, classFile);
        } catch (Throwable e) {
            AgentLog.error("could not read the probes of the loaded class " + loaded.getName() + ": " + e
                + "; that class runs untraced");
            return false;
        }
    }

    private static byte @Nullable [] classFileOf(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        if (loader == null || loader == ClassLoader.getPlatformClassLoader() || type.isSynthetic()
            || type.getName().contains("$$Lambda")) {
            return null; // the JDK's own classes never hold probes; generated classes have no class file
        }
        String resource = type.getName().replace('.', '/') + ".class";
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (Throwable e) {
            return null;
        }
    }
}
