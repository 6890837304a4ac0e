package dev.userevents.agent.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The latencies of one exit event for one outcome (returned, or threw one throwable class), as the kernel's hist
 * trigger {@code hist:keys=thrown,duration_ns.log2} counted them: read from the event's {@code hist} file, summed
 * up (count, p50, p90, p99, max) and drawn as bars.
 *
 * <p>A log2 key is {@code order_base_2(duration_ns)} ({@code hist_field_log2()} in
 * kernel/trace/trace_events_hist.c), printed as {@code duration_ns: ~ 2^n}: bucket {@code n} holds the durations
 * in {@code (2^(n-1), 2^n]} ns (n = 0: 0 and 1 ns). What survives is the bucket, not the duration, so every
 * percentile and the maximum here is the upper bound of its bucket: the true value is at most that, and more
 * than half of it.
 */
final class LatencyHistogram {
    /**
     * One line of the hist file: {@code { thrown: <class, padded to 50>, duration_ns: ~ 2^20 } hitcount: 100}, or
     * without the thrown key {@code { duration_ns: ~ 2^20 } hitcount: 100} ({@code hist_trigger_print_key()}).
     */
    private static final Pattern ENTRY = Pattern.compile(
        "^\\{ (?:thrown: (.*), )?duration_ns: ~ 2\\^(\\d+)\\s*\\} hitcount:\\s+(\\d+)\\s*$");
    private static final Pattern DROPPED = Pattern.compile("^\\s*Dropped:\\s+(\\d+)\\s*$");
    private static final int BAR_WIDTH = 40;

    private final String event;
    private final String thrown;
    private final NavigableMap<Integer, Long> buckets; // log2 exponent -> hitcount

    private LatencyHistogram(String event, String thrown, NavigableMap<Integer, Long> buckets) {
        this.event = event;
        this.thrown = thrown;
        this.buckets = buckets;
    }

    /** What one read of an event's {@code hist} file holds: one histogram per outcome, and the kernel's drops. */
    record HistFile(List<LatencyHistogram> histograms, long dropped) {
    }

    /**
     * Parses the text of {@code events/user_events/EVENT/hist}; lines that are not entries (comments, the
     * totals) are skipped. Returned calls (empty {@code thrown}) come first, then each throwable class.
     */
    static HistFile parse(String event, String histText) {
        Map<String, NavigableMap<Integer, Long>> byThrown = new TreeMap<>();
        long dropped = 0;
        for (String line : histText.split("\n", -1)) {
            Matcher entry = ENTRY.matcher(line);
            if (entry.matches()) {
                String thrown = entry.group(1) == null ? "" : entry.group(1).strip();
                byThrown.computeIfAbsent(thrown, key -> new TreeMap<>())
                    .merge(Integer.parseInt(entry.group(2)), Long.parseLong(entry.group(3)), Long::sum);
                continue;
            }
            Matcher drops = DROPPED.matcher(line);
            if (drops.matches()) {
                dropped += Long.parseLong(drops.group(1));
            }
        }
        List<LatencyHistogram> histograms = new ArrayList<>();
        byThrown.forEach((thrown, buckets) -> histograms.add(new LatencyHistogram(event, thrown, buckets)));
        return new HistFile(List.copyOf(histograms), dropped);
    }

    /** The event's name, without the system. */
    String event() {
        return event;
    }

    /** The throwable's class name; empty for the calls that returned. */
    String thrown() {
        return thrown;
    }

    /** Hitcount by log2 bucket: key n counts durations in (2^(n-1), 2^n] ns. */
    Map<Integer, Long> buckets() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(buckets));
    }

    long count() {
        long count = 0;
        for (long hits : buckets.values()) {
            count += hits;
        }
        return count;
    }

    /**
     * The upper bound, in ns, of the bucket holding the {@code quantile} (0 < q <= 1) of the calls: the smallest
     * bucket bound that at least {@code ceil(q * count)} durations do not exceed. 0 with no calls.
     */
    long percentileUpperBoundNanos(double quantile) {
        long count = count();
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * count));
        long seen = 0;
        for (Map.Entry<Integer, Long> bucket : buckets.entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                return upperBound(bucket.getKey());
            }
        }
        return upperBound(buckets.lastKey());
    }

    /** The upper bound, in ns, of the highest bucket with a call; 0 with none. */
    long maxUpperBoundNanos() {
        return buckets.isEmpty() ? 0 : upperBound(buckets.lastKey());
    }

    /**
     * The summary line, then one line per bucket from the lowest to the highest with calls (empty ones between
     * included, so the gaps show):
     * <pre>
     * user_events:sleep_exit returned: 200 calls, p50 &lt;= 1.05 ms, p90 &lt;= 16.8 ms, p99 &lt;= 16.8 ms, max &lt;= 16.8 ms
     *     (2^19, 2^20]  524 us .. 1.05 ms        100 |########################################|
     * </pre>
     */
    List<String> render() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "user_events:%s %s: %d calls, p50 <= %s, p90 <= %s, p99 <= %s, max <= %s",
            event, thrown.isEmpty() ? "returned" : "threw " + thrown, count(),
            duration(percentileUpperBoundNanos(0.50)), duration(percentileUpperBoundNanos(0.90)),
            duration(percentileUpperBoundNanos(0.99)), duration(maxUpperBoundNanos())));
        if (buckets.isEmpty()) {
            return lines;
        }
        long most = Collections.max(buckets.values());
        for (int n = buckets.firstKey(); n <= buckets.lastKey(); n++) {
            long hits = buckets.getOrDefault(n, 0L);
            int bar = (int) Math.round((double) hits * BAR_WIDTH / most);
            String range = n == 0 ? "[0, 2^0]" : "(2^" + (n - 1) + ", 2^" + n + "]";
            String human = n == 0 ? "0 .. 1 ns" : duration(upperBound(n - 1)) + " .. " + duration(upperBound(n));
            lines.add(String.format(Locale.ROOT, "    %-14s %-20s %10d |%-" + BAR_WIDTH + "s|",
                range, human, hits, "#".repeat(bar)));
        }
        return lines;
    }

    /** 2^n ns, saturated at Long.MAX_VALUE (a negative s64 duration reads as a huge u64 and lands in 2^64). */
    static long upperBound(int exponent) {
        return exponent >= 63 ? Long.MAX_VALUE : 1L << exponent;
    }

    /** Three significant digits in the largest unit that keeps the value at least 1: 524 us, 1.05 ms, 16.8 ms. */
    static String duration(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        String[] units = {"us", "ms", "s"};
        double value = nanos / 1_000.0;
        int unit = 0;
        while (value >= 1_000 && unit < units.length - 1) {
            value /= 1_000;
            unit++;
        }
        String digits = value >= 100 ? String.format(Locale.ROOT, "%.0f", value)
            : value >= 10 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.2f", value);
        return digits + " " + units[unit];
    }
}
