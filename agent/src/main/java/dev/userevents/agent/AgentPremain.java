package dev.userevents.agent;

import java.io.File;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * The agent's front door: premain ({@code -javaagent}), agentmain (attach) and main (the CLI).
 *
 * <p>Does as little as possible and never throws. The agent jar holds two parts:
 * <ul>
 *   <li>at its root, the per-call runtime ({@code dev.userevents.agent.runtime},
 *       {@code dev.userevents.shim.hotpath}): appended to the bootstrap class path, so woven code in any
 *       class loader can reach it; it depends on nothing but the JDK;</li>
 *   <li>{@code inst/userevents-impl.jar}: weaving, registration, Byte Buddy and JNA, loaded by an isolated
 *       class loader whose parent is the platform loader, so the application's own Byte Buddy or JNA
 *       (any version) never meets ours.</li>
 * </ul>
 * It also grants the runtime what it needs from {@code java.base} through {@code Instrumentation}
 * instead of command-line flags: {@code jdk.internal.misc} (enable-word loads without the JDK 24+
 * {@code sun.misc.Unsafe} warning), {@code java.io} and {@code sun.nio.ch} (a FileChannel on the
 * user_events descriptor), and native access for the isolated loader (JNA without the JDK 24+ warning).
 */
public final class AgentPremain {
    private static final String IMPL_JAR = "inst/userevents-impl.jar";
    private static final String IMPL_MODULE = "dev.userevents.impl";
    /** When premain began, so the installer can report the agent's whole start-up time. */
    static final String START_NANOS_PROPERTY = "userevents.internal.startNanos";
    private static final String INSTALLER = "dev.userevents.agent.install.AgentInstaller";
    private static final String CLI = "dev.userevents.agent.cli.Cli";

    private AgentPremain() {
    }

    public static void premain(String agentArgument, Instrumentation instrumentation) {
        start(agentArgument, instrumentation, false);
    }

    public static void agentmain(String agentArgument, Instrumentation instrumentation) {
        start(agentArgument, instrumentation, true);
    }

    /** {@code java -jar userevents-agent.jar <command>}. */
    public static void main(String[] args) throws Exception {
        File jar = agentJar();
        if (jar != null && jar.isFile()) {
            System.setProperty("userevents.agent.jar", jar.getAbsolutePath());
        }
        ClassLoader loader = implementationLoader(AgentPremain.class.getClassLoader(), null);
        Method main = Class.forName(CLI, true, loader).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }

    private static void start(String agentArgument, Instrumentation instrumentation, boolean attached) {
        long startNanos = System.nanoTime();
        try {
            System.setProperty(START_NANOS_PROPERTY, Long.toString(startNanos));
            File jar = agentJar();
            if (jar != null && jar.isFile()) {
                BootstrapRuntime.define(instrumentation, jar);
            }
            grantJavaBaseAccess(instrumentation);
            ClassLoader loader = implementationLoader(ClassLoader.getPlatformClassLoader(), instrumentation);
            Class.forName(INSTALLER, true, loader)
                .getMethod("install", Instrumentation.class, String.class, boolean.class)
                .invoke(null, instrumentation, agentArgument, attached);
        } catch (Throwable e) {
            try {
                System.err.println("[userevents] ERROR agent did not start: " + e + "; the application runs untraced");
            } catch (Throwable ignored) {
                // nothing more we can do without harming the application
            }
        }
    }

    private static File agentJar() {
        try {
            URL location = AgentPremain.class.getProtectionDomain().getCodeSource().getLocation();
            return new File(location.toURI());
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * The loader of weaving, registration, Byte Buddy and JNA: the nested jar, copied to a temporary file
     * (deleted at exit). Run from a class folder (tests), there is no nested jar and the caller's loader
     * is used as it is.
     */
    static ClassLoader implementationLoader(ClassLoader parent, Instrumentation instrumentation) throws Exception {
        ClassLoader own = AgentPremain.class.getClassLoader();
        URL nested = own == null ? null : own.getResource(IMPL_JAR);
        if (nested == null) {
            File jar = agentJar();
            if (jar != null && jar.isFile()) {
                try (JarFile file = new JarFile(jar)) {
                    if (file.getEntry(IMPL_JAR) != null) {
                        nested = new URL("jar:" + jar.toURI() + "!/" + IMPL_JAR);
                    }
                }
            }
        }
        if (nested == null) {
            return own;
        }
        Path copy = Files.createTempFile("userevents-impl-", ".jar");
        copy.toFile().deleteOnExit();
        try (InputStream in = nested.openStream()) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        return moduleLayerLoader(copy, parent, instrumentation);
    }

    /**
     * Loads the implementation jar as the automatic module {@value #IMPL_MODULE} in a layer of its own. A
     * named module can be granted native access on its own (JDK 22+ {@code Controller.enableNativeAccess}),
     * so JNA loads its library without the JDK 24+ warning and without enabling native access for the
     * application's unnamed modules.
     */
    private static ClassLoader moduleLayerLoader(Path jar, ClassLoader parent, Instrumentation instrumentation) {
        java.lang.module.Configuration configuration = ModuleLayer.boot().configuration().resolve(
            java.lang.module.ModuleFinder.of(jar), java.lang.module.ModuleFinder.of(),
            Collections.singleton(IMPL_MODULE));
        ModuleLayer.Controller controller = ModuleLayer.defineModulesWithOneLoader(configuration,
            Collections.singletonList(ModuleLayer.boot()), parent);
        Module module = controller.layer().findModule(IMPL_MODULE).orElseThrow();
        try {
            if (instrumentation != null) {
                // Controller.enableNativeAccess is itself a restricted method, which would warn when called
                // from this unnamed module; the JDK's own internal grant does not.
                instrumentation.redefineModule(Object.class.getModule(), Collections.emptySet(), Collections.emptyMap(),
                    Collections.singletonMap("java.lang", Collections.singleton(AgentPremain.class.getModule())),
                    Collections.emptySet(), Collections.emptyMap());
                Method grant = Module.class.getDeclaredMethod("implAddEnableNativeAccess");
                grant.setAccessible(true);
                grant.invoke(module);
            } else {
                // The CLI: the jar's manifest (Enable-Native-Access: ALL-UNNAMED) lets this class grant it.
                ModuleLayer.Controller.class.getMethod("enableNativeAccess", Module.class).invoke(controller, module);
            }
        } catch (NoSuchMethodException e) {
            // JDK 17-21: no native-access checks
        } catch (ReflectiveOperationException e) {
            System.err.println("[userevents] WARN could not grant native access to " + IMPL_MODULE + " (" + e
                + "); JDK 24+ may print a native-access warning for JNA");
        }
        return controller.layer().findLoader(IMPL_MODULE);
    }

    private static void grantJavaBaseAccess(Instrumentation instrumentation) throws ClassNotFoundException {
        Module javaBase = Object.class.getModule();
        Module runtime = Class.forName(BootstrapRuntime.PROBE_CLASS, false, null).getModule();
        Map<String, Set<Module>> exports = new HashMap<>();
        exports.put("jdk.internal.misc", Collections.singleton(runtime));
        exports.put("sun.nio.ch", Collections.singleton(runtime));
        Map<String, Set<Module>> opens = new HashMap<>();
        opens.put("java.io", Collections.singleton(runtime));
        instrumentation.redefineModule(javaBase, Collections.emptySet(), exports, opens,
            Collections.emptySet(), Collections.emptyMap());
    }
}
