package dev.userevents.agent.launcher;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Puts the per-call runtime into the bootstrap class loader, where woven code of every class loader finds it.
 *
 * <p>Classes are defined one by one with {@code jdk.internal.misc.Unsafe.defineClass} (the package
 * exported to us through {@code Instrumentation}) rather than by appending the jar to the bootstrap
 * search path: an appended boot class path makes the JVM print "Sharing is only supported for boot
 * loader classes because bootstrap classpath has been appended" and lose class-data sharing for the
 * application's classes. Appending stays as the fallback.
 */
final class BootstrapRuntime {
    static final String PROBE_CLASS = "dev.userevents.shim.hotpath.NativeWords";
    /** The launcher's own classes, the only other classes at the agent jar's root. */
    private static final String LAUNCHER_PACKAGE = "dev/userevents/agent/launcher/";

    private BootstrapRuntime() {
    }

    static void define(Instrumentation instrumentation, File agentJar) throws IOException {
        try (JarFile jar = new JarFile(agentJar)) {
            Map<String, byte[]> classes = runtimeClasses(jar);
            try {
                defineWithUnsafe(instrumentation, classes);
                return;
            } catch (Throwable e) {
                if (isDefined()) {
                    throw new IllegalStateException("the agent runtime is half defined in the bootstrap loader", e);
                }
            }
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(agentJar));
    }

    private static boolean isDefined() {
        try {
            Class.forName(PROBE_CLASS, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static Map<String, byte[]> runtimeClasses(JarFile jar) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
            JarEntry entry = entries.nextElement();
            String name = entry.getName();
            if (!name.endsWith(".class") || name.endsWith("package-info.class") || !inRuntimePackage(name)) {
                continue;
            }
            try (InputStream in = jar.getInputStream(entry)) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                in.transferTo(bytes);
                classes.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'), bytes.toByteArray());
            }
        }
        return classes;
    }

    /**
     * Whether a jar entry is a class of the bootstrap part. The agent jar's root holds exactly two things: the
     * classes of the userevents-bootstrap artifact and the launcher (agent/pom.xml assembles it so); the
     * implementation is nested under {@code inst/}, multi-release entries under {@code META-INF/}.
     */
    private static boolean inRuntimePackage(String entryName) {
        return entryName.startsWith("dev/userevents/") && !entryName.startsWith(LAUNCHER_PACKAGE);
    }

    /**
     * Defines each class in the bootstrap loader. A class whose supertype is not defined yet fails with
     * NoClassDefFoundError and is retried after the others.
     */
    private static void defineWithUnsafe(Instrumentation instrumentation, Map<String, byte[]> classes) throws Throwable {
        Module javaBase = Object.class.getModule();
        instrumentation.redefineModule(javaBase, Collections.emptySet(),
            Collections.singletonMap("jdk.internal.misc", Collections.singleton(BootstrapRuntime.class.getModule())),
            Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
        MethodHandle defineClass = unsafeDefineClass();
        List<Map.Entry<String, byte[]>> pending = new ArrayList<>(classes.entrySet());
        while (!pending.isEmpty()) {
            List<Map.Entry<String, byte[]>> failed = new ArrayList<>();
            Throwable lastFailure = null;
            for (Map.Entry<String, byte[]> runtimeClass : pending) {
                String name = runtimeClass.getKey();
                byte[] bytes = runtimeClass.getValue();
                try {
                    Class<?> unused = (Class<?>) defineClass.invokeExact(name, bytes, 0, bytes.length, (ClassLoader) null,
                        (ProtectionDomain) null);
                } catch (NoClassDefFoundError e) {
                    failed.add(runtimeClass);
                    lastFailure = e;
                } catch (LinkageError e) {
                    if (!isDefinedAlready(name)) {
                        throw e;
                    }
                }
            }
            if (failed.size() == pending.size()) {
                List<String> names = new ArrayList<>();
                for (Map.Entry<String, byte[]> runtimeClass : failed) {
                    names.add(runtimeClass.getKey());
                }
                throw new IllegalStateException("cannot define " + names + " in the bootstrap loader", lastFailure);
            }
            pending = failed;
        }
    }

    /**
     * {@code Unsafe.getUnsafe()::defineClass} as a method handle called with its exact type. Not through
     * reflection: since JDK 18 the first reflective call of each method spins method-handle classes for its
     * argument shape, which cost about 80 ms here on a cold JDK 25.
     */
    private static MethodHandle unsafeDefineClass() throws Throwable {
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        Object unsafe = lookup.findStatic(unsafeClass, "getUnsafe", MethodType.methodType(unsafeClass)).invoke();
        return lookup.findVirtual(unsafeClass, "defineClass", MethodType.methodType(Class.class, String.class,
            byte[].class, int.class, int.class, ClassLoader.class, ProtectionDomain.class)).bindTo(unsafe);
    }

    private static boolean isDefinedAlready(String name) {
        try {
            Class.forName(name, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** For tests: which classes would be defined from a jar. */
    static Map<String, Integer> describe(JarFile jar) throws IOException {
        Map<String, Integer> sizes = new HashMap<>();
        for (Map.Entry<String, byte[]> entry : runtimeClasses(jar).entrySet()) {
            sizes.put(entry.getKey(), entry.getValue().length);
        }
        return sizes;
    }
}
