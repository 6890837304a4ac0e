package dev.userevents.agent.logs;

import dev.userevents.agent.runtime.LogEvents;
import dev.userevents.agent.testing.EventPayload;
import dev.userevents.agent.testing.RecordingBackend;
import dev.userevents.shim.EnableWordStores;
import dev.userevents.shim.hotpath.NativeWords;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A JVM whose {@code java.util.logging.Logger} the bridge weaves as the agent does: loaded before the bridge
 * installs (the agent's JNA loads it), then retransformed by {@link LogBridge#install}, with the agent's
 * runtime in the bootstrap loader ({@code -Xbootclasspath/a}). Run by {@link LogBridgeWeavingTest}, with this
 * class as the premain of a jar made for the run, or without it (no bridge) for what JUL alone does.
 *
 * <p>Calls every {@code log(Level, ...)} and {@code logp(Level, ...)} overload at FINE (below the logger's
 * INFO) and at WARNING, first with no log event traced, then with {@code log_debug} and {@code log_warn}
 * traced, and prints one line per call: what the application's handler got, and the events written.
 */
public final class JulBridgeApp {
    private static @Nullable RecordingBackend backend;

    private JulBridgeApp() {
    }

    public static void premain(String options, Instrumentation instrumentation) throws Exception {
        Class.forName("java.util.logging.Logger"); // loaded before the bridge, as the agent's JNA does
        RecordingBackend recording = new RecordingBackend();
        LogBridge.install(instrumentation, recording, "", false, null, null);
        backend = recording;
    }

    public static void main(String[] args) throws Exception {
        Logger logger = Logger.getLogger("com.acme.Jul");
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.INFO);
        List<String> handled = new ArrayList<>();
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                handled.add(record.getLevel() + "|" + record.getLoggerName() + "|" + record.getMessage() + "|"
                    + Arrays.toString(record.getParameters()) + "|" + record.getThrown() + "|"
                    + record.getSourceClassName() + "|" + record.getSourceMethodName());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        List<Method> overloads = new ArrayList<>();
        for (Method method : Logger.class.getMethods()) {
            if ((method.getName().equals("log") || method.getName().equals("logp"))
                    && method.getParameterCount() >= 2 && method.getParameterTypes()[0] == Level.class) {
                overloads.add(method);
            }
        }
        overloads.sort(Comparator.comparing(Method::toString));
        RecordingBackend recording = backend;
        long word = recording == null ? 0 : recording.enableWord("log_debug");
        for (String phase : List.of("off", "traced")) {
            if (phase.equals("traced") && recording != null) {
                EnableWordStores.storeInt(word, 1 << LogEvents.DEBUG | 1 << LogEvents.WARN);
            }
            for (Level level : List.of(Level.FINE, Level.WARNING)) {
                for (Method method : overloads) {
                    handled.clear();
                    if (recording != null) {
                        recording.sink().clear();
                    }
                    method.invoke(logger, arguments(method, level));
                    System.out.println("call " + phase + " " + level + " " + method.getName()
                        + signature(method) + " handler=" + handled + " events=" + events(recording));
                }
            }
        }
        System.out.println("word " + (recording == null ? "none" : NativeWords.loInt(word)));
    }

    /** The level, "source" for sourceClass/sourceMethod, "value {0}" or a supplier for the message, 7, a failure. */
    private static Object[] arguments(Method method, Level level) {
        Class<?>[] types = method.getParameterTypes();
        Object[] arguments = new Object[types.length];
        arguments[0] = level;
        boolean supplied = false;
        for (int i = 1; i < types.length; i++) {
            if (types[i] == String.class) {
                arguments[i] = "source";
            } else if (types[i] == Object.class) {
                arguments[i] = 7;
            } else if (types[i] == Object[].class) {
                arguments[i] = new Object[] {7};
            } else if (types[i] == Throwable.class) {
                arguments[i] = new IllegalStateException("boom");
            } else if (types[i] == Supplier.class) {
                arguments[i] = (Supplier<String>) () -> "supplied";
                supplied = true;
            }
        }
        if (!supplied) {
            arguments[method.getName().equals("logp") ? 3 : 1] = "value {0}";
        }
        return arguments;
    }

    private static String signature(Method method) {
        StringBuilder descriptor = new StringBuilder("(");
        for (Class<?> type : method.getParameterTypes()) {
            descriptor.append(type.isArray() ? type.getName().replace('.', '/')
                : "L" + type.getName().replace('.', '/') + ";");
        }
        return descriptor.append(")V").toString();
    }

    /** Each event written: name|logger|message|thread|thrown. */
    private static List<String> events(@Nullable RecordingBackend recording) {
        List<String> events = new ArrayList<>();
        if (recording == null) {
            return events;
        }
        for (int level = LogEvents.ERROR; level <= LogEvents.TRACE; level++) {
            String name = LogEvents.eventName(level);
            for (EventPayload event : recording.sink().eventsOf(recording.writeIndex(name))) {
                events.add(name + "|" + event.string() + "|" + event.string() + "|" + event.string() + "|"
                    + event.string());
            }
        }
        return events;
    }
}
