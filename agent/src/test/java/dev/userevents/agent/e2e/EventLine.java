package dev.userevents.agent.e2e;

import dev.userevents.testing.GuestTracefs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the example's events as a tracer printed it: which event, the process or thread the tracer names,
 * and the field text after {@code "NAME: "}.
 */
record EventLine(OrderEvent event, int pid, String text) {
    /**
     * A line of {@code trace}: {@code "  java-73  [001] .....  50.14: order_placed: orderId=0x1 (1) ..."}.
     * TASK-PID is the thread's id (the Java main thread is not the process's first thread).
     */
    private static final Pattern TRACE = Pattern.compile("^\\s*.*-(\\d+)\\s+\\[\\d+\\]\\s+\\S+\\s+[\\d.]+: (\\w+): (.*)$");
    /** A line of {@code perf script -F pid,event,trace}: {@code "    68 user_events:order_placed: orderId=41 ..."}. */
    private static final Pattern PERF = Pattern.compile("^\\s*(\\d+)\\s+user_events:(\\w+):\\s+(.*)$");
    /** {@code orderId=0x29 (41)} in trace, {@code orderId=41} in perf. */
    private static final Pattern ORDER_ID = Pattern.compile("^orderId=(?:0x[0-9a-f]+ \\()?(\\d+)");

    /** The example's events in the guest's global {@code trace}, oldest first, strings decoded as UTF-8. */
    static List<EventLine> inTrace() {
        return fromTrace(new String(GuestTracefs.readTrace(), StandardCharsets.UTF_8));
    }

    /** The example's events in {@code trace} text, oldest first; other lines (header, other events) skipped. */
    static List<EventLine> fromTrace(String trace) {
        return parse(trace, TRACE);
    }

    /** The example's events in {@code perf script -F pid,event,trace} output, oldest first. */
    static List<EventLine> fromPerfScript(String output) {
        return parse(output, PERF);
    }

    private static List<EventLine> parse(String text, Pattern pattern) {
        List<EventLine> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = pattern.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                OrderEvent event = OrderEvent.named(m.group(2));
                if (event != null) {
                    lines.add(new EventLine(event, Integer.parseInt(m.group(1)), m.group(3)));
                }
            }
        }
        return lines;
    }

    /** The order this event is about; -1 when the text does not start with a readable orderId. */
    int orderId() {
        Matcher m = ORDER_ID.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The lines of one event, in the order they were printed. */
    static List<EventLine> of(OrderEvent event, List<EventLine> lines) {
        List<EventLine> selected = new ArrayList<>();
        for (EventLine line : lines) {
            if (line.event == event) {
                selected.add(line);
            }
        }
        return selected;
    }
}
