package dev.userevents.agent.weave;

/** What the user asked for one method, by annotation or by a probes-file line: an event name and exit events. */
public final class TracepointSpec {
    private final String name;
    private final boolean exit;
    private final String origin;

    public TracepointSpec(String name, boolean exit, String origin) {
        this.name = name == null ? "" : name;
        this.exit = exit;
        this.origin = origin;
    }

    /** The explicit event name, or "" for the default name. */
    public String name() {
        return name;
    }

    public boolean exit() {
        return exit;
    }

    /** Where it came from, for log lines: "@Tracepoint" or "probes.txt:3". */
    public String origin() {
        return origin;
    }
}
