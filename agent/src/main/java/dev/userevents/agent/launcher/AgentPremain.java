package dev.userevents.agent.launcher;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The agent's front door: premain ({@code -javaagent}), agentmain (attach) and main (the CLI).
 *
 * <p>Does as little as possible and never throws. The agent jar holds two parts:
 * <ul>
 *   <li>at its root, the per-call runtime ({@code dev.userevents.agent.runtime},
 *       {@code dev.userevents.shim.hotpath}): defined class by class in the bootstrap class loader
 *       ({@link BootstrapRuntime}; appending the jar to the bootstrap search path is only the fallback, as it
 *       costs the application class-data sharing), so woven code in any class loader can reach it; it depends
 *       on nothing but the JDK;</li>
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
    private static final String INSTALLER = "dev.userevents.agent.install.AgentInstaller";
    private static final String CLI = "dev.userevents.agent.cli.Cli";
    /** {@code status PID} attaches with {@code countsTo=FILE}: see {@code ProbeCounts}. */
    private static final String COUNTS_ARGUMENT = "countsTo=";
    private static final String COUNTS_CLASS = "dev.userevents.agent.runtime.ProbeCounts";

    private AgentPremain() {
    }

    /**
     * Starts the agent before the application's main ({@code -javaagent:userevents-agent.jar[=options]}).
     * Never throws: a failure is one line on standard error and the application runs untraced.
     *
     * @param agentArgument the text after {@code =}, {@code key=value} pairs separated by {@code ,}
     *     ({@link dev.userevents.agent.config.AgentOptions}); null when there is none
     * @param instrumentation the JVM's instrumentation, for weaving and for opening {@code java.base} to the
     *     runtime
     */
    public static void premain(@Nullable String agentArgument, Instrumentation instrumentation) {
        start(agentArgument, instrumentation, false);
    }

    /**
     * Starts the agent in a running JVM (the Attach API, {@code java -jar userevents-agent.jar attach PID}); the
     * classes already loaded are retransformed. Never throws, as {@link #premain}.
     *
     * @param agentArgument options as for {@link #premain}; null when there are none
     * @param instrumentation the JVM's instrumentation
     */
    public static void agentmain(@Nullable String agentArgument, Instrumentation instrumentation) {
        start(agentArgument, instrumentation, true);
    }

    /**
     * {@code java -jar userevents-agent.jar <command>}: runs the CLI ({@link dev.userevents.agent.cli.Cli}) from the
     * implementation jar; it exits the JVM with the command's status.
     *
     * @param args the command and its arguments; none prints help
     * @throws Exception if the implementation cannot be loaded, or whatever checked exception the CLI throws
     */
    public static void main(String[] args) throws Exception {
        File jar = agentJar();
        if (jar != null && jar.isFile()) {
            System.setProperty("userevents.agent.jar", jar.getAbsolutePath());
        }
        ClassLoader loader = ImplementationJar.loader(AgentPremain.class.getClassLoader(), null).loader();
        Method main = Class.forName(CLI, true, loader).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }

    private static void start(@Nullable String agentArgument, Instrumentation instrumentation, boolean attached) {
        long startNanos = System.nanoTime();
        if (attached && agentArgument != null && agentArgument.startsWith(COUNTS_ARGUMENT)) {
            answerCounts(agentArgument.substring(COUNTS_ARGUMENT.length()));
            return;
        }
        try {
            File jar = agentJar();
            if (jar != null && jar.isFile()) {
                BootstrapRuntime.define(instrumentation, jar);
            }
            grantJavaBaseAccess(instrumentation);
            ImplementationJar.Loaded implementation =
                ImplementationJar.loader(ClassLoader.getPlatformClassLoader(), instrumentation);
            Path cacheFolder = implementation.cacheFolder();
            // Plain JDK types across the loader boundary; nothing through global system properties.
            Class.forName(INSTALLER, true, implementation.loader())
                .getMethod("install", Instrumentation.class, String.class, boolean.class, long.class, String.class)
                .invoke(null, instrumentation, agentArgument, attached, startNanos,
                    cacheFolder == null ? null : cacheFolder.toString());
        } catch (Throwable e) {
            try {
                System.err.println("[userevents] ERROR agent did not start: " + e + "; the application runs untraced");
            } catch (Throwable ignored) {
                // nothing more we can do without harming the application
            }
        }
    }

    /**
     * {@code status PID}: the running agent's counters go to the named file. Nothing is defined, opened or
     * loaded here: a JVM without the agent only gets the answer that none runs.
     */
    private static void answerCounts(String file) {
        try {
            Class<?> counts;
            try {
                counts = Class.forName(COUNTS_CLASS, true, null);
            } catch (ClassNotFoundException e) {
                Files.write(Path.of(file), Collections.singletonList("no userevents agent runs in this JVM"));
                return;
            }
            counts.getMethod("write", String.class).invoke(null, file);
        } catch (Throwable e) {
            // the command reports a missing answer
        }
    }

    /** The jar this class was loaded from; null when unknown (not loaded from a file). */
    static @Nullable File agentJar() {
        try {
            URL location = AgentPremain.class.getProtectionDomain().getCodeSource().getLocation();
            return new File(location.toURI());
        } catch (Exception e) {
            return null;
        }
    }

    private static void grantJavaBaseAccess(Instrumentation instrumentation) throws ClassNotFoundException {
        Module javaBase = Object.class.getModule();
        Module runtime = Class.forName(BootstrapRuntime.PROBE_CLASS, false, null).getModule();
        Map<String, Set<Module>> exports = new HashMap<>();
        exports.put("jdk.internal.misc", Collections.singleton(runtime));
        exports.put("sun.nio.ch", Collections.singleton(runtime));
        Map<String, Set<Module>> opens = new HashMap<>();
        opens.put("java.io", Collections.singleton(runtime));
        opens.put("sun.nio.ch", Collections.singleton(runtime)); // JdkPwriteEventSink looks up the JDK's pwrite stub
        instrumentation.redefineModule(javaBase, Collections.emptySet(), exports, opens,
            Collections.emptySet(), Collections.emptyMap());
    }
}
