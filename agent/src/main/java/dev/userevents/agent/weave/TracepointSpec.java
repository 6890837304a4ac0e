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
    private final int level;
    private final long keyword;

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
        this(name, exit, stack, origin, onDemand, DEFAULT_LEVEL, DEFAULT_KEYWORD);
    }

    private TracepointSpec(@Nullable String name, boolean exit, boolean stack, String origin, boolean onDemand,
                           int level, long keyword) {
        this.name = name == null ? "" : name;
        this.exit = exit;
        this.stack = stack;
        this.origin = origin;
        this.onDemand = onDemand;
        this.level = level;
        this.keyword = keyword;
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

    /** {@code @Tracepoint}'s default level: 5, verbose. */
    public static final int DEFAULT_LEVEL = 5;
    /** {@code @Tracepoint}'s default keyword: 1. */
    public static final long DEFAULT_KEYWORD = 1;

    /**
     * The same request with EventHeader attributes ({@code format=eventheader}).
     *
     * @param level   1 to 5 as asked (checked when the event is defined)
     * @param keyword the category bits
     * @return a copy with those attributes
     */
    public TracepointSpec withAttributes(int level, long keyword) {
        return new TracepointSpec(name, exit, stack, origin, onDemand, level, keyword);
    }

    /** {@return the EventHeader level asked, 5 by default; not checked} */
    public int level() {
        return level;
    }

    /** {@return the EventHeader keyword asked, 1 by default} */
    public long keyword() {
        return keyword;
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
