package dev.userevents.agent.weave;

import org.jspecify.annotations.Nullable;

/**
 * What the user asked for one method, by annotation or by a probes-file line: an event name, exit events, the
 * calling stack.
 */
public final class TracepointSpec {
    private final String name;
    private final boolean exit;
    private final boolean stack;
    private final String origin;
    private final boolean onDemand;

    /**
     * What one annotation or probes-file line asks.
     *
     * @param name   the explicit event name, before the prefix; "" or null for the default name
     * @param exit   whether the method also gets an exit event
     * @param origin where it was asked, for log lines: "@Tracepoint" or "probes.txt:3"
     */
    public TracepointSpec(@Nullable String name, boolean exit, String origin) {
        this(name, exit, false, origin);
    }

    /**
     * What one annotation or probes-file line asks, the stack included.
     *
     * @param name   the explicit event name, before the prefix; "" or null for the default name
     * @param exit   whether the method also gets an exit event
     * @param stack  whether its events end with the calling stack ({@code @Tracepoint(stack = true)})
     * @param origin where it was asked, for log lines: "@Tracepoint" or "probes.txt:3"
     */
    public TracepointSpec(@Nullable String name, boolean exit, boolean stack, String origin) {
        this(name, exit, stack, origin, false);
    }

    /**
     * What one annotation or probes-file line asks, on demand or not.
     *
     * @param name     the explicit event name, before the prefix; "" or null for the default name
     * @param exit     whether the method also gets an exit event
     * @param stack    whether its events end with the calling stack
     * @param origin   where it was asked, for log lines: "@Tracepoint" or "probes.txt:3"
     * @param onDemand whether the method is a candidate, woven only while a tracer enables its event
     */
    public TracepointSpec(@Nullable String name, boolean exit, boolean stack, String origin, boolean onDemand) {
        this.name = name == null ? "" : name;
        this.exit = exit;
        this.stack = stack;
        this.origin = origin;
        this.onDemand = onDemand;
    }

    /**
     * Whether the method is an on-demand candidate: its event is registered when its class loads, and the
     * method is woven only while a tracer enables it (a pattern line, or the word {@code ondemand}).
     *
     * @return true for a candidate; false for a probe woven at class load
     */
    public boolean onDemand() {
        return onDemand;
    }

    /**
     * Whether the method's events end with the calling Java stack, field {@code stack}.
     *
     * @return true when the stack is asked for
     */
    public boolean stack() {
        return stack;
    }

    /**
     * The event name asked for.
     *
     * @return the explicit event name, before the prefix; "" for the default name
     */
    public String name() {
        return name;
    }

    /**
     * Whether the method also gets an exit event, named after the entry event plus {@code _exit}.
     *
     * @return true when exit events are asked for
     */
    public boolean exit() {
        return exit;
    }

    /**
     * Where it was asked.
     *
     * @return "@Tracepoint", or the probes file's name and line number, "probes.txt:3"
     */
    public String origin() {
        return origin;
    }
}
