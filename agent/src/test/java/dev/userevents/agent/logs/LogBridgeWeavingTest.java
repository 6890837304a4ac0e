package dev.userevents.agent.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.runtime.LogEvents;
import dev.userevents.agent.testing.CapturedLog;
import dev.userevents.agent.testing.EventPayload;
import dev.userevents.agent.testing.RecordingBackend;
import dev.userevents.shim.EnableWordStores;
import dev.userevents.shim.hotpath.NativeWords;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bridge woven into the real Logback (1.5.18 and the oldest supported, 1.3.15) and Log4j 2 (2.24.3 and
 * 2.17.2), jars from Maven Central, configured to log
 * nothing below INFO: with {@code log_debug} traced, a DEBUG record reaches it with exact fields; with
 * nothing traced, nothing is written; a trailing throwable argument becomes {@code thrown}. The running JDK's
 * {@code java.util.logging.Logger}, which only the bootstrap loader may define, is woven in a JVM of its own
 * ({@link JulBridgeApp}) and compared with one without the bridge.
 */
class LogBridgeWeavingTest {
    private static final RecordingBackend BACKEND = new RecordingBackend();
    private static final LogBridge BRIDGE = new LogBridge(BACKEND, "");
    private static final LogBridgeTransformer TRANSFORMER = new LogBridgeTransformer(BRIDGE);

    private static final Map<Boolean, List<String>> JUL_RUNS = new HashMap<>();

    private long word;

    @BeforeEach
    void registerTheEvents() {
        word = BRIDGE.enableWord();
        BACKEND.sink().clear();
    }

    @AfterEach
    void traceNothing() {
        EnableWordStores.storeInt(word, 0);
    }

    @Test
    void theFiveEventsShareOneWordWithABitPerLevel() {
        for (int level = LogEvents.ERROR; level <= LogEvents.TRACE; level++) {
            String name = LogEvents.eventName(level);
            assertEquals(word, BACKEND.enableWord(name), name);
            assertEquals(level, BACKEND.bit(name), name);
            assertEquals(List.of("logger", "message", "thread", "thrown"), fieldsOf(name), name);
        }
    }

    @ParameterizedTest(name = "Logback {0}")
    @ValueSource(strings = {"1.5", "1.3"})
    void logbackDebugRecordReachesLogDebugWhileLogbackSaysInfo(String version) throws Exception {
        ClassLoader loader = logback(version);
        Object logger = slf4jLogger(loader, "com.acme.Orders");
        Method debug = logger.getClass().getMethod("debug", String.class, Object.class, Object.class);

        debug.invoke(logger, "order {} for {}", 42, "ann");
        assertEquals(0, BACKEND.sink().events().size(), "nothing traced: nothing written");

        trace(LogEvents.DEBUG);
        debug.invoke(logger, "order {} for {}", 42, "ann");
        logger.getClass().getMethod("info", String.class).invoke(logger, "not traced: log_info is off");

        assertEquals(List.of(List.of("com.acme.Orders", "order 42 for ann", Thread.currentThread().getName(), "")),
            records("log_debug"));
        assertEquals(List.of(), records("log_info"));
    }

    @ParameterizedTest(name = "Logback {0}")
    @ValueSource(strings = {"1.5", "1.3"})
    void logbackTrailingThrowableBecomesThrown(String version) throws Exception {
        ClassLoader loader = logback(version);
        Object logger = slf4jLogger(loader, "com.acme.Payments");
        trace(LogEvents.ERROR);
        logger.getClass().getMethod("error", String.class, Object.class, Object.class)
            .invoke(logger, "refund {} failed", "r-7", new IllegalStateException("card expired"));

        assertEquals(List.of(List.of("com.acme.Payments", "refund r-7 failed", Thread.currentThread().getName(),
            "java.lang.IllegalStateException: card expired")), records("log_error"));
    }

    @ParameterizedTest(name = "Log4j {0}")
    @ValueSource(strings = {"2.24", "2.17"})
    void log4jDebugRecordReachesLogDebugWhileLog4jSaysError(String version) throws Exception {
        String jars = version.equals("2.17") ? "-oldest" : "";
        ClassLoader loader = new FrameworkLoader(TRANSFORMER, List.of("org.apache.logging.log4j."),
            "log4j-api" + jars + ".jar", "log4j-core" + jars + ".jar");
        Class<?> manager = loader.loadClass("org.apache.logging.log4j.LogManager");
        Object logger = manager.getMethod("getLogger", String.class).invoke(null, "com.acme.Stock");
        Class<?> api = loader.loadClass("org.apache.logging.log4j.Logger");

        api.getMethod("debug", String.class, Object.class, Object.class).invoke(logger, "sku {} left {}", "A-1", 3);
        assertEquals(0, BACKEND.sink().events().size(), "nothing traced: nothing written");

        trace(LogEvents.DEBUG);
        trace(LogEvents.WARN);
        api.getMethod("debug", String.class, Object.class, Object.class).invoke(logger, "sku {} left {}", "A-1", 3);
        api.getMethod("warn", String.class, Throwable.class).invoke(logger, "low stock", new RuntimeException());
        api.getMethod("debug", String.class).invoke(logger, "plain {}");

        String thread = Thread.currentThread().getName();
        assertEquals(List.of(List.of("com.acme.Stock", "sku A-1 left 3", thread, ""),
            List.of("com.acme.Stock", "plain {}", thread, "")), records("log_debug"));
        assertEquals(List.of(List.of("com.acme.Stock", "low stock", thread, "java.lang.RuntimeException")),
            records("log_warn"));
    }

    /** An argument whose toString() throws: the framework's own text for it, nothing thrown into the app. */
    @Test
    void throwingToStringArgumentNeverReachesTheApplication() throws Exception {
        ClassLoader loader = new FrameworkLoader(TRANSFORMER, List.of("ch.qos.logback.", "org.slf4j."),
            "logback-classic.jar", "logback-core.jar", "slf4j-api.jar");
        Object logger = slf4jLogger(loader, "com.acme.Broken");
        trace(LogEvents.DEBUG);
        logger.getClass().getMethod("debug", String.class, Object.class).invoke(logger, "value {}", new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("toString fails");
            }
        });

        assertEquals(List.of(List.of("com.acme.Broken", "value [FAILED toString()]", Thread.currentThread().getName(),
            "")), records("log_debug"));
    }

    /**
     * An argument whose toString() logs through the same framework: the framework, at INFO, would never call
     * it; the bridge does, once, and does not bridge the record logged from inside (no recursion the
     * application never has).
     */
    @Test
    void recordLoggedFromAnArgumentsToStringIsNotBridgedAgain() throws Exception {
        ClassLoader loader = new FrameworkLoader(TRANSFORMER, List.of("ch.qos.logback.", "org.slf4j."),
            "logback-classic.jar", "logback-core.jar", "slf4j-api.jar");
        Object logger = slf4jLogger(loader, "com.acme.Chatty");
        Method debug = logger.getClass().getMethod("debug", String.class, Object.class);
        trace(LogEvents.DEBUG);
        Object chatty = new Object() {
            @Override
            public String toString() {
                try {
                    debug.invoke(logger, "inside {}", this); // would recurse without end if bridged again
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                return "chatty";
            }
        };
        debug.invoke(logger, "outside {}", chatty);

        assertEquals(List.of(List.of("com.acme.Chatty", "outside chatty", Thread.currentThread().getName(), "")),
            records("log_debug"));
    }

    /**
     * Every {@code log(Level, ...)} and {@code logp(Level, ...)} overload of the running JDK's JUL logger, its
     * arguments decoded from the signature the advice passes ({@code @Advice.Origin("#m#d")}): the message
     * formatted, the throwable found wherever the overload puts it.
     */
    @Test
    void everyJulOverloadIsDecodedFromItsSignature() {
        trace(LogEvents.DEBUG);
        IllegalStateException failure = new IllegalStateException("boom");
        int overloads = 0;
        for (Method method : java.util.logging.Logger.class.getMethods()) {
            Class<?>[] types = method.getParameterTypes();
            if (!(method.getName().equals("log") || method.getName().equals("logp")) || types.length < 2
                    || types[0] != java.util.logging.Level.class) {
                continue;
            }
            Object[] arguments = new Object[types.length];
            arguments[0] = java.util.logging.Level.FINE;
            boolean seenText = false;
            for (int i = 1; i < types.length; i++) {
                if (types[i] == String.class) {
                    // logp's sourceClass and sourceMethod come first; the last String is the message
                    arguments[i] = "source";
                } else if (types[i] == Object.class) {
                    arguments[i] = 7;
                } else if (types[i] == Object[].class) {
                    arguments[i] = new Object[] {7};
                } else if (types[i] == Throwable.class) {
                    arguments[i] = failure;
                } else if (types[i] == java.util.function.Supplier.class) {
                    arguments[i] = (java.util.function.Supplier<String>) () -> "supplied";
                    seenText = true;
                }
            }
            if (!seenText) {
                int message = method.getName().equals("logp") ? 3 : 1;
                arguments[message] = "value {0}";
            }
            boolean hasThrown = java.util.Arrays.asList(types).contains(Throwable.class);
            boolean hasParams = java.util.Arrays.asList(types).contains(Object.class)
                || java.util.Arrays.asList(types).contains(Object[].class);
            BACKEND.sink().clear();
            String signature = method.getName() + new net.bytebuddy.description.method.MethodDescription.ForLoadedMethod(
                method).getDescriptor();

            LogEvents.writeJul(LogEvents.DEBUG, "com.acme.Jul", signature, arguments);

            String message = seenText ? "supplied" : hasParams ? "value 7" : "value {0}";
            assertEquals(List.of(List.of("com.acme.Jul", message, Thread.currentThread().getName(),
                hasThrown ? "java.lang.IllegalStateException: boom" : "")), records("log_debug"), signature);
            overloads++;
        }
        assertTrue(overloads >= 12, overloads + " overloads of log/logp");
    }

    /** The ASM-woven JUL logger: every overload, once traced, writes one event with the call's exact fields. */
    @Test
    void everyJulOverloadReachesItsEventOnceTraced() throws Exception {
        int calls = 0;
        for (String line : julRun(true)) {
            if (!line.startsWith("call traced ")) {
                continue;
            }
            String[] call = line.split(" ", 5);
            String signature = call[3];
            String event = call[2].equals("FINE") ? "log_debug" : "log_warn";
            String message = signature.contains("Supplier") ? "supplied"
                : signature.contains(";Ljava/lang/Object;") || signature.contains("[Ljava/lang/Object;") ? "value 7"
                : "value {0}";
            String thrown = signature.contains("Throwable") ? "java.lang.IllegalStateException: boom" : "";
            assertEquals("events=[" + String.join("|", event, "com.acme.Jul", message, "main", thrown) + "]",
                line.substring(line.indexOf(" events=") + 1), line);
            calls++;
        }
        assertTrue(calls >= 2 * 12, calls + " calls of log/logp overloads");
    }

    /** The application's handler gets, from the woven logger, exactly what it gets without the bridge. */
    @Test
    void julHandlersGetExactlyWhatTheyGetWithoutTheBridge() throws Exception {
        List<String> woven = withoutEvents(julRun(true));
        List<String> plain = withoutEvents(julRun(false));

        assertEquals(plain, woven);
        assertTrue(woven.stream().anyMatch(line -> line.contains("handler=[WARNING|com.acme.Jul|value {0}|[7]|")),
            "WARNING records reach the handler: " + woven);
    }

    @Test
    void wovenJulLoggerWritesNothingWhileNoLogEventIsTraced() throws Exception {
        List<String> off = julRun(true).stream().filter(line -> line.startsWith("call off ")).toList();

        assertTrue(off.size() >= 2 * 12, off.toString());
        off.forEach(line -> assertTrue(line.endsWith(" events=[]"), line));
    }

    @Test
    void levelsMapAsTheReadmeSays() {
        assertEquals(List.of(LogEvents.NONE, LogEvents.ERROR, LogEvents.WARN, LogEvents.INFO, LogEvents.DEBUG,
            LogEvents.DEBUG, LogEvents.TRACE, LogEvents.TRACE), java.util.stream.Stream.of(java.util.logging.Level.OFF,
            java.util.logging.Level.SEVERE, java.util.logging.Level.WARNING, java.util.logging.Level.INFO,
            java.util.logging.Level.CONFIG, java.util.logging.Level.FINE, java.util.logging.Level.FINER,
            java.util.logging.Level.FINEST).map(level -> LogEvents.fromJul(level.intValue())).toList());
        // Log4j StandardLevel: OFF 0, FATAL 100, ERROR 200, WARN 300, INFO 400, DEBUG 500, TRACE 600, ALL max
        assertEquals(List.of(LogEvents.NONE, LogEvents.ERROR, LogEvents.ERROR, LogEvents.WARN, LogEvents.INFO,
            LogEvents.DEBUG, LogEvents.TRACE, LogEvents.TRACE), java.util.stream.IntStream.of(0, 100, 200, 300, 400,
            500, 600, Integer.MAX_VALUE).mapToObj(LogEvents::fromLog4j).toList());
        // Logback Level.levelInt: OFF max, ERROR 40000, WARN 30000, INFO 20000, DEBUG 10000, TRACE 5000, ALL min
        assertEquals(List.of(LogEvents.NONE, LogEvents.ERROR, LogEvents.WARN, LogEvents.INFO, LogEvents.DEBUG,
            LogEvents.TRACE, LogEvents.TRACE), java.util.stream.IntStream.of(Integer.MAX_VALUE, 40000, 30000, 20000,
            10000, 5000, Integer.MIN_VALUE).mapToObj(LogEvents::fromLogback).toList());
        // SLF4J 2 org.slf4j.event.Level.toInt(): ERROR 40, WARN 30, INFO 20, DEBUG 10, TRACE 0
        assertEquals(List.of(LogEvents.ERROR, LogEvents.WARN, LogEvents.INFO, LogEvents.DEBUG, LogEvents.TRACE),
            java.util.stream.IntStream.of(40, 30, 20, 10, 0).mapToObj(LogEvents::fromSlf4j).toList());
    }

    /** A logger class without the methods the bridge weaves: one WARN line naming it, the class unchanged. */
    @Test
    void unsupportedFrameworkVersionIsNamedAndLeftAlone() {
        byte[] stub = new net.bytebuddy.ByteBuddy().subclass(Object.class).name("ch.qos.logback.classic.Logger")
            .make().getBytes();

        try (CapturedLog log = CapturedLog.start()) {
            byte[] woven = TRANSFORMER.transform(getClass().getClassLoader(), "ch/qos/logback/classic/Logger", null,
                null, stub);

            assertEquals(null, woven, "the class loads as it is");
            assertEquals(1, log.linesWith("ch.qos.logback.classic.Logger").size(), log.lines().toString());
            assertTrue(log.linesWith("ch.qos.logback.classic.Logger").get(0).contains("WARN log bridge: "
                + "ch.qos.logback.classic.Logger in this version has no method filterAndLog_0_Or3Plus"), log.lines().toString());
        }
    }

    @Test
    void julMessagesAreFormattedAsJulFormatsThem() {
        assertEquals("order 42 for ann", LogEvents.julMessage("order {0} for {1}", new Object[] {42, "ann"}));
        assertEquals("no placeholders", LogEvents.julMessage("no placeholders", new Object[] {1}));
        assertEquals("{0} kept", LogEvents.julMessage("{0} kept", null));
        assertEquals("bad {0", LogEvents.julMessage("bad {0", new Object[] {1}), "MessageFormat refuses it");
    }

    /**
     * The lines {@link JulBridgeApp} prints, run once per test class with the bridge (its premain in a jar made
     * here, the runtime on the bootstrap class path as the agent puts it) or without.
     */
    private static synchronized List<String> julRun(boolean bridged) throws Exception {
        List<String> lines = JUL_RUNS.get(bridged);
        if (lines != null) {
            return lines;
        }
        Path dir = Files.createTempDirectory("jul-bridge");
        Path jar = dir.resolve("jul-bridge-premain.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", JulBridgeApp.class.getName());
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        manifest.getMainAttributes().putValue("Can-Redefine-Classes", "true");
        try (OutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
            .toString()));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(argument -> argument.startsWith("--add-")).forEach(command::add);
        command.add("-Xbootclasspath/a:" + Paths.get(LogEvents.class.getProtectionDomain().getCodeSource()
            .getLocation().toURI()));
        if (bridged) {
            command.add("-javaagent:" + jar);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), JulBridgeApp.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "JulBridgeApp did not finish");
        assertEquals(0, process.exitValue(), output);
        assertTrue(!output.contains("[userevents]"), "the bridge logged: " + output);
        lines = output.lines().toList();
        assertTrue(lines.contains(bridged ? "word " + (1 << LogEvents.DEBUG | 1 << LogEvents.WARN) : "word none"),
            output);
        deleteQuietly(jar, dir);
        JUL_RUNS.put(bridged, lines);
        return lines;
    }

    private static void deleteQuietly(Path... paths) {
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // a temp file left behind
            }
        }
    }

    /** The call lines up to the handler's records. */
    private static List<String> withoutEvents(List<String> lines) {
        return lines.stream().filter(line -> line.startsWith("call "))
            .map(line -> line.substring(0, line.indexOf(" events="))).toList();
    }

    /** Logback 1.5.18 with SLF4J 2.0.17, or the oldest supported: Logback 1.3.15 with SLF4J 2.0.7. */
    private static ClassLoader logback(String version) {
        String jars = version.equals("1.3") ? "-oldest" : "";
        return new FrameworkLoader(TRANSFORMER, List.of("ch.qos.logback.", "org.slf4j."),
            "logback-classic" + jars + ".jar", "logback-core" + jars + ".jar", "slf4j-api" + jars + ".jar");
    }

    private static Object slf4jLogger(ClassLoader loader, String name) throws Exception {
        Class<?> factory = loader.loadClass("org.slf4j.LoggerFactory");
        Object logger = factory.getMethod("getLogger", String.class).invoke(null, name);
        Class<?> level = loader.loadClass("ch.qos.logback.classic.Level");
        Object root = factory.getMethod("getLogger", String.class).invoke(null, "ROOT");
        root.getClass().getMethod("setLevel", level).invoke(root, level.getField("INFO").get(null));
        return logger;
    }

    private void trace(int level) {
        EnableWordStores.storeInt(word, NativeWords.loInt(word) | 1 << level);
    }

    private static List<String> fieldsOf(String eventName) {
        List<String> fields = new ArrayList<>();
        BACKEND.format(eventName).fields().forEach(field -> fields.add(field.name()));
        return fields;
    }

    /** Each event of {@code eventName}: logger, message, thread, thrown. */
    private static List<List<String>> records(String eventName) {
        List<List<String>> records = new ArrayList<>();
        for (EventPayload event : BACKEND.sink().eventsOf(BACKEND.writeIndex(eventName))) {
            records.add(List.of(event.string(), event.string(), event.string(), event.string()));
        }
        return records;
    }
}
