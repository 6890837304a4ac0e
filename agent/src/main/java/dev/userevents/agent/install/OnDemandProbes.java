package dev.userevents.agent.install;

import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.weave.ProbeClassWeaver;
import dev.userevents.shim.hotpath.NativeWords;
import java.lang.instrument.Instrumentation;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * On-demand candidates: methods whose events are registered when their class loads but whose bytecode is left
 * untouched until a tracer enables one of them (probes-file pattern and {@code ondemand} lines).
 *
 * <p>One daemon thread reads every candidate's enable word each {@code pollMillis} (plain loads, no system
 * call). When a tracer has enabled a candidate that is not woven, the thread retransforms its class, and the
 * transformer ({@link #wovenCandidates}) weaves exactly the candidates enabled at that moment. When every
 * candidate of a woven class has stayed disabled for {@code restoreAfter}, the class is retransformed with
 * none: the transformer then leaves it alone and the JVM puts back the class's bytes as they were before any
 * weaving (JVMTI {@code RetransformClasses} starts from the initial class bytes). Retransformation only swaps
 * method bodies, so application threads running the class keep running (old frames finish on the old code).
 * A class that cannot be retransformed is reported once and its candidates are left out.
 */
final class OnDemandProbes {
    private static final String THREAD_NAME = "userevents-on-demand";
    /** Most classes retransformed in one call (one stop-the-world redefinition of them all). */
    private static final int BATCH = 64;

    private final Instrumentation instrumentation;
    private final ProbeRegistrar registrar;
    private final int maxCandidates;
    private final long pollMillis;
    private final long restoreAfterNanos;
    private final List<ClassCandidates> classes = new CopyOnWriteArrayList<>();
    private int candidateCount; // guarded by this
    private boolean overLimitReported; // guarded by this

    /**
     * Candidates of no class yet; {@link #start()} starts the poll thread.
     *
     * @param instrumentation retransforms the classes
     * @param registrar       registers the candidates' events (the one the transformer weaves with)
     * @param maxCandidates   most candidate methods registered; more are logged once and left out
     * @param pollMillis      ms between two reads of the enable words, at least 1
     * @param restoreAfterNanos ns a woven class waits with every candidate disabled before it is restored
     */
    OnDemandProbes(Instrumentation instrumentation, ProbeRegistrar registrar, int maxCandidates, long pollMillis,
                   long restoreAfterNanos) {
        this.instrumentation = instrumentation;
        this.registrar = registrar;
        this.maxCandidates = maxCandidates;
        this.pollMillis = pollMillis;
        this.restoreAfterNanos = restoreAfterNanos;
    }

    /** One candidate method: its entry and exit probes (either may be absent: refused, or not asked for). */
    private record Candidate(String methodKey, @Nullable Probe entry, @Nullable Probe exit) {
        String eventName() {
            return entry != null ? entry.eventName() : exit != null ? exit.eventName() : methodKey;
        }
    }

    /** The candidates of one class in one loader, and which of them are woven. */
    private static final class ClassCandidates {
        final String className;
        final WeakReference<ClassLoader> loader;
        final Map<String, Candidate> candidates;
        /** The class as read at first sight: every retransformation weaves from it (and logs nothing again). */
        final ProbeClassWeaver.Plan plan;
        /** Whether the class also has probes woven at load ({@code @Tracepoint}, exact lines): they stay. */
        final boolean keepsProbes;
        volatile @Nullable WeakReference<Class<?>> type;
        /** Method keys the transformer weaves; replaced whole, read by the transformer. */
        volatile Set<String> woven = Collections.emptySet();
        /** {@code System.nanoTime()} when every candidate was first seen disabled while some are woven. */
        long quietSince;
        boolean quiet;
        boolean leftOut;

        /** Every enable word of the candidates, with its bit and its candidate's key: one flat pass per poll. */
        private final long[] words;
        private final int[] masks;
        private final String[] keys;
        private final String[] eventNames;

        ClassCandidates(String className, ClassLoader loader, Map<String, Candidate> candidates,
                        ProbeClassWeaver.Plan plan, boolean keepsProbes) {
            this.className = className;
            this.keepsProbes = keepsProbes;
            this.loader = new WeakReference<>(loader);
            this.candidates = candidates;
            this.plan = plan;
            List<Probe> probes = new ArrayList<>();
            List<String> owners = new ArrayList<>();
            for (Candidate candidate : candidates.values()) {
                for (Probe probe : new Probe[] {candidate.entry(), candidate.exit()}) {
                    if (probe != null) {
                        probes.add(probe);
                        owners.add(candidate.methodKey());
                    }
                }
            }
            words = new long[probes.size()];
            masks = new int[probes.size()];
            keys = owners.toArray(new String[0]);
            eventNames = new String[probes.size()];
            for (int i = 0; i < words.length; i++) {
                words[i] = probes.get(i).enableWordAddress();
                masks[i] = probes.get(i).enableMask();
                eventNames[i] = probes.get(i).eventName();
            }
        }

        /** The events of these methods a tracer listens to now, entry or exit: for the log line. */
        List<String> listeningEvents(Set<String> methodKeys) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < words.length; i++) {
                if (methodKeys.contains(keys[i]) && (NativeWords.loInt(words[i]) & masks[i]) != 0) {
                    events.add(eventNames[i]);
                }
            }
            return events;
        }

        /** The keys of the candidates a tracer listens to now; the empty set (no allocation) when none. */
        Set<String> listening() {
            Set<String> listening = Collections.emptySet();
            for (int i = 0; i < words.length; i++) {
                if ((NativeWords.loInt(words[i]) & masks[i]) != 0) {
                    if (listening.isEmpty()) {
                        listening = new LinkedHashSet<>();
                    }
                    listening.add(keys[i]);
                }
            }
            return listening;
        }
    }

    /**
     * Registers a class's candidates the first time it is seen, and says which of them to weave now. Called
     * by the transformer, at class load (nothing woven) and on every retransformation (what the poll thread
     * decided).
     *
     * @param className  binary name
     * @param loader     the defining loader; null (the bootstrap loader) is refused: the JDK is never woven
     * @param type       the class, when known (retransformation, attach); else found when first needed
     * @param candidates the on-demand definitions of the class
     * @param plan       the class as read now, kept for its retransformations
     * @param keepsProbes whether the class also has probes woven at load, which every retransformation keeps
     * @return the method keys of the candidates to weave into this class file now; empty at first load
     */
    synchronized Set<String> wovenCandidates(String className, @Nullable ClassLoader loader, @Nullable Class<?> type,
                                             List<ProbeDefinition> candidates, ProbeClassWeaver.Plan plan,
                                             boolean keepsProbes) {
        if (loader == null) {
            return Collections.emptySet();
        }
        ClassCandidates known = known(className, loader);
        if (known != null) {
            if (type != null) {
                known.type = new WeakReference<>(type);
            }
            return known.woven;
        }
        Map<String, Candidate> registered = new LinkedHashMap<>();
        for (ProbeDefinition definition : candidates) {
            if (candidateCount >= maxCandidates) {
                if (!overLimitReported) {
                    overLimitReported = true;
                    AgentLog.warn("on-demand: " + maxCandidates + " candidates registered; " + className + "."
                        + definition.methodName() + " and any further matches are left out. Narrow the probes file's"
                        + " patterns, or raise the agent option maxCandidates");
                }
                break;
            }
            Probe entry = registrar.register(definition, loader);
            ProbeDefinition exitDefinition = definition.exit();
            Probe exit = exitDefinition == null ? null : registrar.register(exitDefinition, loader);
            if (entry != null || exit != null) {
                registered.put(definition.methodKey(), new Candidate(definition.methodKey(), entry, exit));
                candidateCount++;
            }
        }
        if (!registered.isEmpty()) {
            ClassCandidates added = new ClassCandidates(className, loader, registered, plan, keepsProbes);
            if (type != null) {
                added.type = new WeakReference<>(type);
            }
            classes.add(added);
            AgentLog.debug("on-demand: " + registered.size() + " candidate(s) in " + className);
        }
        return Collections.emptySet();
    }

    /**
     * The plan of a class whose candidates are registered, for its retransformation.
     *
     * @param className binary name
     * @param loader    the defining loader
     * @return the plan read when the class was first seen; null for a class without candidates
     */
    synchronized ProbeClassWeaver.@Nullable Plan knownPlan(String className, @Nullable ClassLoader loader) {
        ClassCandidates known = loader == null ? null : known(className, loader);
        return known == null ? null : known.plan;
    }

    private @Nullable ClassCandidates known(String className, ClassLoader loader) {
        for (ClassCandidates known : classes) {
            if (known.className.equals(className) && known.loader.get() == loader) {
                return known;
            }
        }
        return null;
    }

    /**
     * How many candidate methods are registered.
     *
     * @return the count, at most {@code maxCandidates}
     */
    synchronized int candidateCount() {
        return candidateCount;
    }

    /**
     * The candidates at a glance, for {@code status PID}, and the pattern lines that matched nothing yet.
     *
     * @param idlePatterns {@link dev.userevents.agent.weave.ProbesFile#patternsMatchingNothing()}
     * @return {@code "on-demand: 12 candidate(s) in 3 class(es), 1 class(es) woven now"}, then {@code "; no method
     *     matched so far by probes.txt:3 com.acme.*#handel*"} when a line matched nothing
     */
    String summary(List<String> idlePatterns) {
        return idlePatterns.isEmpty() ? summary()
            : summary() + "; no method matched so far by " + String.join(", ", idlePatterns);
    }

    /**
     * The candidates at a glance, for {@code status PID}.
     *
     * @return {@code "on-demand: 12 candidate(s) in 3 class(es), 1 class(es) woven now"}
     */
    synchronized String summary() {
        int woven = 0;
        for (ClassCandidates entry : classes) {
            if (!entry.woven.isEmpty()) {
                woven++;
            }
        }
        return "on-demand: " + candidateCount + " candidate(s) in " + classes.size() + " class(es), " + woven
            + " class(es) woven now";
    }

    /** Starts the poll thread (a daemon: it never keeps the JVM alive). */
    void start() {
        Thread thread = new Thread(this::pollForever, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    private void pollForever() {
        while (true) {
            try {
                TimeUnit.MILLISECONDS.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
            try {
                poll(System.nanoTime());
            } catch (Throwable e) { // never let the thread die: the next round may do better
                AgentLog.error("on-demand: a poll round failed: " + e + "; polling goes on");
            }
        }
    }

    /**
     * One round: reads every candidate's enable word; retransforms the classes whose enabled candidates are not
     * all woven, and the woven classes whose candidates have all been disabled for {@code restoreAfter}, up to
     * {@value #BATCH} classes in one call (a tracer enabling many events at once stops the application once,
     * not once a class).
     *
     * @param now {@code System.nanoTime()}
     * @return how many classes were retransformed
     */
    int poll(long now) {
        List<ClassCandidates> due = Collections.emptyList(); // a quiet round allocates nothing
        List<Set<String>> weaves = Collections.emptyList();
        boolean gone = false;
        for (ClassCandidates entry : classes) {
            if (entry.loader.get() == null) {
                gone = true; // its loader was collected: nothing of it can run any more
                continue;
            }
            if (entry.leftOut) {
                continue;
            }
            Set<String> listening = entry.listening();
            Set<String> woven = entry.woven;
            if (!woven.containsAll(listening)) {
                entry.quiet = false;
                if (due.isEmpty()) {
                    due = new ArrayList<>();
                    weaves = new ArrayList<>();
                }
                due.add(entry);
                weaves.add(listening);
            } else if (listening.isEmpty() && !woven.isEmpty()) {
                if (!entry.quiet) {
                    entry.quiet = true;
                    entry.quietSince = now;
                }
                if (now - entry.quietSince >= restoreAfterNanos) {
                    entry.quiet = false;
                    if (due.isEmpty()) {
                        due = new ArrayList<>();
                        weaves = new ArrayList<>();
                    }
                    due.add(entry);
                    weaves.add(Collections.emptySet());
                }
            } else {
                entry.quiet = false;
            }
        }
        if (gone) {
            classes.removeIf(entry -> entry.loader.get() == null);
        }
        int retransformed = 0;
        for (int from = 0; from < due.size(); from += BATCH) {
            int to = Math.min(due.size(), from + BATCH);
            retransformed += retransform(due.subList(from, to), weaves.subList(from, to));
        }
        return retransformed;
    }

    /**
     * Retransforms these classes in one call, so in one of the JVM's stop-the-world redefinitions: each costs a
     * walk over every loaded class, so one a class would stop the application once for each. The call is all or
     * nothing (JVMTI {@code RetransformClasses}): when it fails, each class is tried alone, to find the one at fault.
     *
     * @return how many classes were retransformed
     */
    private int retransform(List<ClassCandidates> entries, List<Set<String>> weaves) {
        if (entries.size() == 1) {
            return retransform(entries.get(0), weaves.get(0)) ? 1 : 0;
        }
        List<ClassCandidates> ready = new ArrayList<>();
        List<Set<String>> readyWeaves = new ArrayList<>();
        List<Set<String>> before = new ArrayList<>();
        List<Class<?>> types = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ClassCandidates entry = entries.get(i);
            Class<?> type = typeOf(entry);
            if (type == null || !instrumentation.isModifiableClass(type)) {
                leaveOut(entry, type == null ? "the class cannot be found from its loader"
                    : "the JVM does not allow it to be retransformed");
                continue;
            }
            ready.add(entry);
            readyWeaves.add(weaves.get(i));
            before.add(entry.woven);
            types.add(type);
            entry.woven = Collections.unmodifiableSet(new LinkedHashSet<>(weaves.get(i)));
        }
        if (ready.isEmpty()) {
            return 0;
        }
        long start = System.nanoTime();
        try {
            instrumentation.retransformClasses(types.toArray(new Class<?>[0]));
        } catch (Throwable e) {
            int retransformed = 0;
            for (int i = 0; i < ready.size(); i++) {
                ready.get(i).woven = before.get(i);
            }
            for (int i = 0; i < ready.size(); i++) {
                retransformed += retransform(ready.get(i), readyWeaves.get(i)) ? 1 : 0;
            }
            return retransformed;
        }
        String took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms for " + ready.size() + " classes";
        int restored = 0;
        for (int i = 0; i < ready.size(); i++) {
            reportDone(ready.get(i), readyWeaves.get(i), took, false); // a line per class would flood the log
            restored += readyWeaves.get(i).isEmpty() ? 1 : 0;
        }
        AgentLog.info("on-demand: " + (ready.size() - restored) + " class(es) woven and " + restored
            + " restored in one retransformation (" + took + "); log=debug names each");
        return ready.size();
    }

    private boolean retransform(ClassCandidates entry, Set<String> weave) {
        Class<?> type = typeOf(entry);
        if (type == null || !instrumentation.isModifiableClass(type)) {
            leaveOut(entry, type == null ? "the class cannot be found from its loader"
                : "the JVM does not allow it to be retransformed");
            return false;
        }
        Set<String> before = entry.woven;
        entry.woven = Collections.unmodifiableSet(new LinkedHashSet<>(weave));
        long start = System.nanoTime();
        try {
            instrumentation.retransformClasses(type);
        } catch (Throwable e) {
            entry.woven = before;
            leaveOut(entry, "retransformation failed: " + e);
            return false;
        }
        reportDone(entry, weave, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms", true);
        return true;
    }

    /** One line for a class woven or restored: at INFO when it was alone, at DEBUG in a batch (which has its own). */
    private void reportDone(ClassCandidates entry, Set<String> weave, String took, boolean alone) {
        if (!alone && !AgentLog.enabled(AgentLog.DEBUG)) {
            return;
        }
        if (weave.isEmpty()) {
            log(alone, "on-demand: " + entry.className + (entry.keepsProbes
                ? " has its candidates unwoven, its probes woven at load stay" : " restored to its original bytes")
                + " (no tracer for " + TimeUnit.NANOSECONDS.toSeconds(restoreAfterNanos) + " s; " + took + ")");
        } else {
            ClassLoader loader = entry.loader.get();
            Set<String> woven = new LinkedHashSet<>();
            for (String key : weave) {
                if (!registrar.isLeftOff(key, loader)) { // else it could not be woven: the weaver said so
                    woven.add(key);
                }
            }
            List<String> events = entry.listeningEvents(woven);
            if (events.isEmpty()) { // the tracer left again since this round read the words
                for (String key : woven) {
                    Candidate candidate = entry.candidates.get(key);
                    events.add(candidate == null ? key : candidate.eventName());
                }
            }
            if (!events.isEmpty()) {
                log(alone, "on-demand: " + entry.className + " woven for " + String.join(", ", events)
                    + " (a tracer enabled " + (events.size() == 1 ? "it" : "them") + "; " + took + ")");
            }
        }
    }

    private static void log(boolean info, String line) {
        if (info) {
            AgentLog.info(line);
        } else {
            AgentLog.debug(line);
        }
    }

    private void leaveOut(ClassCandidates entry, String cause) {
        entry.leftOut = true;
        AgentLog.error("on-demand: " + entry.className + " cannot be woven (" + cause + "); its "
            + entry.candidates.size() + " candidate(s) are left out and it runs as it is. Name its methods in exact"
            + " probes-file lines (woven at class load) instead");
    }

    private @Nullable Class<?> typeOf(ClassCandidates entry) {
        WeakReference<Class<?>> known = entry.type;
        Class<?> type = known == null ? null : known.get();
        ClassLoader loader = entry.loader.get();
        if (type != null || loader == null) {
            return type;
        }
        try {
            type = Class.forName(entry.className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            type = null;
        }
        if (type == null || type.getClassLoader() != loader) {
            type = null;
            for (Class<?> loaded : instrumentation.getInitiatedClasses(loader)) {
                if (loaded.getName().equals(entry.className) && loaded.getClassLoader() == loader) {
                    type = loaded;
                    break;
                }
            }
        }
        if (type != null) {
            entry.type = new WeakReference<>(type);
        }
        return type;
    }
}
