package dev.userevents.agent.install;

import dev.userevents.agent.backend.EventBackend;
import dev.userevents.agent.backend.KernelBackend;
import dev.userevents.agent.backend.LocalBackend;
import dev.userevents.agent.config.AgentOptions;
import dev.userevents.agent.logs.LogBridge;
import dev.userevents.agent.probe.EventContext;
import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.agent.runtime.ProbeCounts;
import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.agent.weave.OpenTelemetryApi;
import dev.userevents.agent.weave.ProbeClassWeaver;
import dev.userevents.agent.weave.ProbesFile;
import dev.userevents.shim.UserEventsUnavailableException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Starts the agent: reads the options, opens user_events (or the local backend of dry and devnull modes),
 * installs the transformer and retransforms classes already loaded. Without user_events it logs one line
 * with the reason and the fix and installs nothing, so the application runs exactly as without the agent.
 * Never throws.
 */
public final class AgentInstaller {
    private static final String BYTE_BUDDY_SAFE = "net.bytebuddy.safe";

    private AgentInstaller() {
    }

    /**
     * Entry point from {@code AgentPremain}, through the agent's isolated class loader. Never throws.
     *
     * @param instrumentation the JVM's instrumentation, to add the transformer and retransform loaded classes
     * @param agentArgument   the text after {@code -javaagent:jar=} or given to {@code attach}, null when none
     * @param attached        true when loaded into a running JVM by {@code attach}, false at start-up
     * @param startNanos      {@code System.nanoTime()} when premain or agentmain began, for the start-up line
     * @param cacheFolder     the launcher's private cache folder ({@code $TMPDIR/userevents-<uid>}), where JNA's
     *                        native library is cached too; null when it has none
     */
    public static void install(Instrumentation instrumentation, @Nullable String agentArgument, boolean attached,
                               long startNanos, @Nullable String cacheFolder) {
        try {
            AgentOptions options = AgentOptions.parse(agentArgument, System.getProperties());
            if (!ProbeRuntime.claimInstallation()) {
                AgentLog.warn("the agent is already running in this JVM; this " + (attached ? "attach" : "load")
                    + " changes nothing (its options are ignored)");
                return;
            }
            AgentLog.setLevel(options.logLevel());
            ProbeRuntime.setMaxStringBytes(options.stringBytes());
            ProbeRuntime.setStackDepth(options.stackDepth());
            ProbeRuntime.setMaxEventBytes(options.eventBytes());
            EventBackend backend = JnaStartup.run(cacheFolder, () -> openBackend(options)); // JNA initialises in there
            if (backend == null) {
                return;
            }
            // Only now, with a backend to write to: no agent class is first loaded or initialised on an
            // application thread, and an agent that installs nothing takes no memory from the application.
            ProbeRuntime.prepare();
            warnAboutBufferProperty();
            ProbeRegistrar registrar = new ProbeRegistrar(backend,
                options.format() == AgentOptions.Format.EVENTHEADER ? options.provider() : null);
            // Our Byte Buddy must not touch sun.misc.Unsafe (JDK 24+ warns). The property is read once, when
            // our copy initialises; it is restored at once so the application's own Byte Buddy is unaffected.
            String safe = System.getProperty(BYTE_BUDDY_SAFE);
            System.setProperty(BYTE_BUDDY_SAFE, "true");
            try {
                installTransformer(instrumentation, options, registrar);
            } finally {
                if (safe == null) {
                    System.clearProperty(BYTE_BUDDY_SAFE);
                } else {
                    System.setProperty(BYTE_BUDDY_SAFE, safe);
                }
            }
            if (options.logs()) {
                LogBridge.install(instrumentation, backend, options.prefix(), options.threadContext(),
                    options.otelContext() ? loader -> OpenTelemetryApi.usableFrom(loader, options.otelAsked()) : null,
                    options.format() == AgentOptions.Format.EVENTHEADER ? options.provider() : null);
            }
            FaultReporter.start();
            if (options.perfMap()) {
                startPerfMapWriter();
            }
            // Nothing is unregistered at exit: enable words and events must keep working for the
            // application's own shutdown hooks, which run beside this one. The kernel cleans up after the
            // process by itself: user_event_mm_remove() drops every enable word of an exiting process and
            // user_events_release() the data file's references (kernel/trace/trace_events_user.c).
            Runtime.getRuntime().addShutdownHook(new Thread(FaultReporter::logAtExit, "userevents-exit-counts"));
            ProbeCounts.setBackend(backend.describe());
            AgentLog.info((attached ? "attached" : "started") + " in " + (System.nanoTime() - startNanos) / 1_000_000 + " ms: " + backend.describe()
                + (options.format() == AgentOptions.Format.EVENTHEADER ? "; EventHeader events, tracepoints "
                    + options.provider() + "_L<level>K<keyword>" : "")
                + "; " + registrar.probeCount() + " probe(s) in classes loaded so far");
        } catch (Throwable e) {
            AgentLog.error("agent did not start: " + e.getMessage() + " (" + e.getClass().getName()
                + "); the application runs untraced");
        }
    }

    private static void installTransformer(Instrumentation instrumentation, AgentOptions options, ProbeRegistrar registrar) {
        ProbesFile probes = options.probesFile() == null ? ProbesFile.EMPTY : ProbesFile.read(Paths.get(options.probesFile()));
        ClassFilter filter = new ClassFilter(options.includes(), options.excludes());
        for (String line : probes.linesSelectingNothing(filter::refusal, ClassFilter::prefixRefusal)) {
            AgentLog.warn("probes file line " + line);
        }
        TracepointClassTransformer transformer = new TracepointClassTransformer(filter, probes,
            new ProbeClassWeaver(registrar, options.prefix(),
                new EventContext(options.threadContext(), options.otelContext()), options.otelAsked()), registrar);
        OnDemandProbes onDemand = null;
        if (probes.hasOnDemand()) {
            onDemand = new OnDemandProbes(instrumentation, registrar, options.maxCandidates(), options.pollMillis(),
                TimeUnit.SECONDS.toNanos(options.restoreAfterSeconds()));
            transformer.onDemand(onDemand);
        }
        instrumentation.addTransformer(transformer, true);
        LoadedClasses.retransformThoseWithProbes(instrumentation, transformer);
        if (onDemand != null) {
            onDemand.start();
            OnDemandProbes candidates = onDemand;
            ProbeCounts.setOnDemandSummary(() -> candidates.summary(probes.patternsMatchingNothing()));
            AgentLog.info("on-demand: " + onDemand.candidateCount() + " candidate(s) in classes loaded so far; their"
                + " methods are woven while a tracer enables them");
        }
    }

    private static void startPerfMapWriter() {
        try {
            PerfMapWriter.start();
        } catch (LinkageError e) { // its class needs java.management, which a jlinked runtime may lack
            AgentLog.warn("perfMap: no JIT symbol map is written: " + e + "; a runtime image needs the java.management"
                + " module (jlink --add-modules java.management). The agent runs on.");
        }
    }

    private static void warnAboutBufferProperty() {
        String requested = System.getProperty("userevents.buffers");
        if (requested != null && !requested.trim().equals(Integer.toString(ProbeRuntime.bufferCount()))) {
            AgentLog.warn("-Duserevents.buffers=" + requested + " is not a whole number from 2 to "
                + ProbeRuntime.MAX_BUFFERS + " rounded to a power of two: using " + ProbeRuntime.bufferCount() + " buffers");
        }
    }

    private static @Nullable EventBackend openBackend(AgentOptions options) {
        if (options.mode() != AgentOptions.Mode.KERNEL) {
            return new LocalBackend(options);
        }
        try {
            return KernelBackend.open(options);
        } catch (UserEventsUnavailableException e) {
            AgentLog.warn("user_events unavailable, probes stay off and the application runs untraced: " + e.getMessage());
            return null;
        }
    }
}
