package dev.userevents.agent.testing;

import dev.userevents.agent.runtime.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Redirects the agent's log into memory until closed, at level debug, then restores stream and level.
 * {@code try (CapturedLog log = CapturedLog.start()) { ... log.lines() ... }}
 */
public final class CapturedLog implements AutoCloseable {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream previous;
    private final boolean forward;

    private CapturedLog(boolean forward) {
        this.previous = swap(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        this.forward = forward;
        AgentLog.setLevel("debug");
    }

    public static CapturedLog start() {
        return new CapturedLog(false);
    }

    /** As {@link #start()}, and on close the lines also go on to where the log went before (an outer capture). */
    public static CapturedLog forwarding() {
        return new CapturedLog(true);
    }

    public synchronized List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The lines that contain {@code text}. */
    public List<String> linesWith(String text) {
        List<String> matching = new ArrayList<>();
        for (String line : lines()) {
            if (line.contains(text)) {
                matching.add(line);
            }
        }
        return matching;
    }

    @Override
    public void close() {
        swap(previous);
        if (forward) {
            previous.print(bytes.toString(StandardCharsets.UTF_8));
            previous.flush();
        }
        AgentLog.setLevel("info");
    }

    private static PrintStream swap(PrintStream next) {
        try {
            Field out = AgentLog.class.getDeclaredField("out");
            out.setAccessible(true);
            PrintStream current = (PrintStream) out.get(null);
            out.set(null, next);
            return current;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("AgentLog has no 'out' stream to redirect", e);
        }
    }
}
