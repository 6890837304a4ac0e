package dev.userevents.testing;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One event line of {@code trace_pipe} (or of the agent's {@code record}, which prints those lines): the
 * event's name and the field text after {@code "NAME: "}, as printed.
 */
public record TracedEvent(String name, String fields) {
    /**
     * {@code "  java-73  [001] .....  50.140: order_placed: orderId=0x1 (1) ..."}: the fields follow the
     * timestamp and the name; an event without fields prints nothing after the name's colon.
     */
    private static final Pattern LINE = Pattern.compile("^.*\\[\\d+\\]\\s+\\S+\\s+\\d+\\.\\d+: ([A-Za-z0-9_.]+):(?: (.*))?$");

    /**
     * Parses one line of {@code trace} or {@code trace_pipe}.
     *
     * @param line the line, without its line break
     * @return the event, or empty for a line that is not an event's (a header, a marker)
     */
    public static Optional<TracedEvent> parse(String line) {
        Matcher m = LINE.matcher(line);
        return m.matches() ? Optional.of(new TracedEvent(m.group(1), m.group(2) == null ? "" : m.group(2)))
            : Optional.empty();
    }

    /**
     * {@code trace} prints 4- and 8-byte integers as {@code 0xHEX (DEC)} (kernel/trace/trace_output.c,
     * print_event_fields()).
     *
     * @param value the field's value
     * @return what {@code trace} prints for it, e.g. {@code 0x2a (42)}
     */
    public static String hexDec(long value) {
        return "0x" + Long.toHexString(value) + " (" + value + ")";
    }
}
