package dev.userevents.agent.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a {@code trace_pipe} line easier to read: the kernel prints integer fields as
 * {@code orderId=0x5 (5)} and 1-byte fields as {@code loyal=(1)} or {@code c='A'(65)}; this keeps the
 * decimal: {@code orderId=5}, {@code loyal=1}, {@code c=65}. Everything else stays as the kernel wrote it.
 */
final class TraceLine {
    private static final Pattern HEX_AND_DECIMAL = Pattern.compile("=0x[0-9a-f]+ \\((-?[0-9]+)\\)");
    private static final Pattern BYTE = Pattern.compile("=(?:'.'|'[^']*')?\\((-?[0-9]+)\\)");

    private TraceLine() {
    }

    static String readable(String line) {
        String decimal = HEX_AND_DECIMAL.matcher(line).replaceAll("=$1");
        Matcher bytes = BYTE.matcher(decimal);
        return bytes.replaceAll("=$1");
    }
}
