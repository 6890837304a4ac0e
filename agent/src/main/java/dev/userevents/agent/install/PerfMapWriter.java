package dev.userevents.agent.install;

import dev.userevents.agent.runtime.AgentLog;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanException;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the JIT symbol map {@code /tmp/perf-<pid>.map} current (option {@code perfMap}): one line
 * {@code START SIZE name} per piece of generated code, which perf reads when it names the addresses of a
 * sampled stack ({@code perf script}, {@code perf report}). Without it a Java frame of {@code perf record -g}
 * is a bare address in an anonymous mapping.
 *
 * <p>HotSpot writes the map itself: the diagnostic command {@code Compiler.perfmap} (JDK 17+), called here
 * in-process through the platform MBean server ({@code com.sun.management:type=DiagnosticCommand}, operation
 * {@code compilerPerfmap}), no {@code jcmd} process. The command rewrites the whole file from the code cache on
 * the calling thread, under the code cache lock, without a safepoint: application threads run on; a JIT
 * thread that installs code meanwhile waits. It took 1 ms for a small application's 900 lines, 40 to 60 ms for
 * javac's 7,000 to 11,000 (docs/NOTES.md, "Stacks with perf").
 *
 * <p>One daemon thread of the agent writes the map at start, then looks once a second whether the JIT
 * installed code since (the code cache pools' used bytes and the total compilation time, a few reads) and
 * rewrites it only then, and never sooner than {@value #BACK_OFF} times the last write took after it, so the
 * writer takes at most 5% of one CPU while the JIT is busy, and nothing once the application is warm. Never on
 * an application thread and never throws: a JVM without the command (not
 * HotSpot, or older than 17) or a map that cannot be written gets one WARN line with the cause and the fix,
 * the writer stops and the agent runs on. The file stays in {@code /tmp} after the JVM exits, as the one
 * {@code -XX:+DumpPerfMapAtExit} writes does, so perf can name the frames of a recording read later.
 */
final class PerfMapWriter implements Runnable {
    static final long PERIOD_MILLIS = 1_000;
    /** The pause after a write is at least this many times the write's own duration. */
    static final int BACK_OFF = 20;
    static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";
    static final String OPERATION = "compilerPerfmap";
    /** The DiagnosticCommand MBean takes every command's arguments as one String[] (none here). */
    private static final String[] SIGNATURE = {String[].class.getName()};

    private final MBeanServer server;
    private final ObjectName diagnosticCommand;
    private final List<MemoryPoolMXBean> codeCache;
    private final @Nullable CompilationMXBean compilation;

    PerfMapWriter(MBeanServer server, List<MemoryPoolMXBean> codeCache, @Nullable CompilationMXBean compilation) {
        this.server = server;
        this.codeCache = codeCache;
        this.compilation = compilation;
        try {
            this.diagnosticCommand = new ObjectName(DIAGNOSTIC_COMMAND);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e); // a constant
        }
    }

    /**
     * Starts the writer thread (a daemon: it never keeps the JVM alive). The platform MBean server is made, if
     * the application has not made it yet, on that thread, not on the one that loads the agent.
     */
    static void start() {
        Thread thread = new Thread(() -> {
            try {
                forThisJvm().run();
            } catch (Throwable e) { // java.management left out of a jlinked runtime, say
                warn(e.getClass().getName() + ": " + e.getMessage()
                    + "; a runtime image needs the java.management module (jlink --add-modules java.management)");
            }
        }, "userevents-perf-map");
        thread.setDaemon(true);
        thread.start();
    }

    static PerfMapWriter forThisJvm() {
        List<MemoryPoolMXBean> codeCache = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            // "CodeHeap 'non-profiled nmethods'", ... with a segmented code cache; "CodeCache" without one
            if (pool.getType() == MemoryType.NON_HEAP && pool.getName().startsWith("Code")) {
                codeCache.add(pool);
            }
        }
        return new PerfMapWriter(ManagementFactory.getPlatformMBeanServer(), codeCache,
            ManagementFactory.getCompilationMXBean());
    }

    /** The map's path: the command writes {@code /tmp/perf-%p.map}, %p this process's id in its namespace. */
    static String mapPath() {
        return "/tmp/perf-" + ProcessHandle.current().pid() + ".map";
    }

    @Override
    public void run() {
        try {
            long codeCacheState = codeCacheState();
            long nanos = write();
            if (nanos < 0) {
                return;
            }
            AgentLog.info("perfMap: " + mapPath() + " written in " + millis(nanos) + " ms (Compiler.perfmap);"
                + " rewritten when the JIT has installed code, checked every " + PERIOD_MILLIS + " ms or more");
            while (true) {
                Thread.sleep(Math.max(PERIOD_MILLIS, BACK_OFF * nanos / 1_000_000));
                long now = codeCacheState();
                if (now != codeCacheState) {
                    codeCacheState = now;
                    nanos = write();
                    if (nanos < 0) {
                        return;
                    }
                    AgentLog.debug("perfMap: " + mapPath() + " rewritten in " + millis(nanos) + " ms");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            warn(e.getClass().getName() + ": " + e.getMessage());
        }
    }

    /**
     * Writes the map once.
     *
     * @return how long the command took, in ns; -1 if it could not run (then the WARN line is logged)
     */
    long write() {
        long start = System.nanoTime();
        try {
            server.invoke(diagnosticCommand, OPERATION, new Object[] {new String[0]}, SIGNATURE);
            return System.nanoTime() - start;
        } catch (InstanceNotFoundException e) {
            warn("this JVM has no DiagnosticCommand MBean (" + DIAGNOSTIC_COMMAND + "); run on a HotSpot JDK 17+"
                + " (OpenJDK, Temurin, ...), or drop perfMap");
        } catch (MBeanException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            warn("Compiler.perfmap failed: " + cause.getMessage() + "; /tmp must be writable by this process");
        } catch (Exception e) { // ReflectionException: no such operation
            warn(hasOperation() ? "Compiler.perfmap failed: " + e
                : "this JVM has no Compiler.perfmap diagnostic command (HotSpot JDK 17+ has it); run on a HotSpot JDK 17+,"
                    + " or start the JVM with -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit for a map written"
                    + " at exit");
        }
        return -1;
    }

    private boolean hasOperation() {
        try {
            for (MBeanOperationInfo operation : server.getMBeanInfo(diagnosticCommand).getOperations()) {
                if (operation.getName().equals(OPERATION)) {
                    return true;
                }
            }
        } catch (Exception e) {
            // reported as missing
        }
        return false;
    }

    /** Changes when the JIT installs code: the code cache's used bytes, and its total compilation time. */
    private long codeCacheState() {
        long state = compilation != null && compilation.isCompilationTimeMonitoringSupported()
            ? compilation.getTotalCompilationTime() : 0;
        for (MemoryPoolMXBean pool : codeCache) {
            state = state * 31 + pool.getUsage().getUsed();
        }
        return state;
    }

    private static void warn(String cause) {
        AgentLog.warn("perfMap: no JIT symbol map is written, so perf shows Java frames as addresses: " + cause
            + ". The agent runs on.");
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
