package dev.userevents.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    /**
     * The {@code hist} file the guest kernel (6.12) printed for RecordHistKernelTest: 200 calls sleeping 1 ms and
     * 10 ms alternately under emulation (a 1 ms sleep often took longer there), plus 3 calls that threw. The
     * {@code thrown} key is padded to 50 characters; the empty one is the calls that returned.
     */
    static final String HIST_FILE = """
        # event histogram
        #
        # trigger info: hist:keys=thrown,duration_ns.log2:vals=hitcount:sort=thrown,duration_ns.log2:size=2048 [active]
        #

        { thrown:                                                   , duration_ns: ~ 2^21 } hitcount:         68
        { thrown:                                                   , duration_ns: ~ 2^22 } hitcount:         19
        { thrown:                                                   , duration_ns: ~ 2^23 } hitcount:         12
        { thrown:                                                   , duration_ns: ~ 2^24 } hitcount:         99
        { thrown:                                                   , duration_ns: ~ 2^25 } hitcount:          2
        { thrown: java.lang.IllegalArgumentException                , duration_ns: ~ 2^17 } hitcount:          2
        { thrown: java.lang.IllegalArgumentException                , duration_ns: ~ 2^20 } hitcount:          1

        Totals:
            Hits: 203
            Entries: 7
            Dropped: 0
        """;

    /**
     * Recorded in the guest (6.12) by the first run of RecordHistKernelTest, whose trigger keyed by duration alone:
     * 200 calls sleeping 1 ms and 10 ms alternately under emulation, plus 3 that threw.
     */
    static final String GUEST_HIST_FILE_BY_DURATION = """
        # event histogram
        #
        # trigger info: hist:keys=duration_ns.log2:vals=hitcount:sort=duration_ns.log2:size=2048 [active]
        #

        { duration_ns: ~ 2^20 } hitcount:          2
        { duration_ns: ~ 2^21 } hitcount:         78
        { duration_ns: ~ 2^22 } hitcount:         11
        { duration_ns: ~ 2^23 } hitcount:         10
        { duration_ns: ~ 2^24 } hitcount:        101
        { duration_ns: ~ 2^26 } hitcount:          1

        Totals:
            Hits: 203
            Entries: 6
            Dropped: 0
        """;

    @Test
    void theGuestsHistFileKeyedByDurationAloneGivesOneHistogramWithEveryCall() {
        LatencyHistogram.HistFile file = LatencyHistogram.parse("hist_sleep_exit", GUEST_HIST_FILE_BY_DURATION);
        assertEquals(1, file.histograms().size());
        LatencyHistogram all = file.histograms().get(0);
        assertEquals(Map.of(20, 2L, 21, 78L, 22, 11L, 23, 10L, 24, 101L, 26, 1L), all.buckets());
        assertEquals(203, all.count());
        assertEquals(1L << 24, all.percentileUpperBoundNanos(0.50), "101 calls up to 2^23: the 102nd is in 2^24");
        assertEquals(1L << 26, all.maxUpperBoundNanos());
        assertEquals("    (2^24, 2^25]   16.8 ms .. 33.6 ms            0 |                                        |",
            all.render().get(6), "an empty bucket between two full ones is drawn");
    }

    @Test
    void parseGivesOneHistogramPerOutcomeReturnedFirst() {
        LatencyHistogram.HistFile file = LatencyHistogram.parse("hist_sleep_exit", HIST_FILE);
        assertEquals(2, file.histograms().size());
        LatencyHistogram returned = file.histograms().get(0);
        assertEquals("", returned.thrown());
        assertEquals(Map.of(21, 68L, 22, 19L, 23, 12L, 24, 99L, 25, 2L), returned.buckets());
        assertEquals(200, returned.count());
        LatencyHistogram threw = file.histograms().get(1);
        assertEquals("java.lang.IllegalArgumentException", threw.thrown());
        assertEquals(Map.of(17, 2L, 20, 1L), threw.buckets());
        assertEquals(0, file.dropped());
    }

    @Test
    void percentilesAndMaxAreTheUpperBoundsOfTheirBuckets() {
        LatencyHistogram returned = LatencyHistogram.parse("hist_sleep_exit", HIST_FILE).histograms().get(0);
        assertEquals(1L << 23, returned.percentileUpperBoundNanos(0.49), "the 98th of 200 calls: 99 are up to 2^23");
        assertEquals(1L << 24, returned.percentileUpperBoundNanos(0.50), "the 100th is in 2^24");
        assertEquals(1L << 24, returned.percentileUpperBoundNanos(0.90));
        assertEquals(1L << 24, returned.percentileUpperBoundNanos(0.99), "the 198th: 198 are up to 2^24");
        assertEquals(1L << 25, returned.percentileUpperBoundNanos(1.0));
        assertEquals(1L << 25, returned.maxUpperBoundNanos());
    }

    @Test
    void renderPrintsTheSummaryThenEveryBucketFromLowestToHighestWithBarsScaledToTheLargest() {
        assertEquals(List.of(
            "user_events:hist_sleep_exit returned: 200 calls, p50 <= 16.8 ms, p90 <= 16.8 ms, p99 <= 16.8 ms,"
                + " max <= 33.6 ms",
            "    (2^20, 2^21]   1.05 ms .. 2.10 ms           68 |###########################             |",
            "    (2^21, 2^22]   2.10 ms .. 4.19 ms           19 |########                                |",
            "    (2^22, 2^23]   4.19 ms .. 8.39 ms           12 |#####                                   |",
            "    (2^23, 2^24]   8.39 ms .. 16.8 ms           99 |########################################|",
            "    (2^24, 2^25]   16.8 ms .. 33.6 ms            2 |#                                       |"),
            LatencyHistogram.parse("hist_sleep_exit", HIST_FILE).histograms().get(0).render());
    }

    @Test
    void aThrowableGetsItsOwnHistogramNamingItWithTheEmptyBucketsBetweenDrawn() {
        assertEquals(List.of(
            "user_events:hist_sleep_exit threw java.lang.IllegalArgumentException: 3 calls, p50 <= 131 us,"
                + " p90 <= 1.05 ms, p99 <= 1.05 ms, max <= 1.05 ms",
            "    (2^16, 2^17]   65.5 us .. 131 us             2 |########################################|",
            "    (2^17, 2^18]   131 us .. 262 us              0 |                                        |",
            "    (2^18, 2^19]   262 us .. 524 us              0 |                                        |",
            "    (2^19, 2^20]   524 us .. 1.05 ms             1 |####################                    |"),
            LatencyHistogram.parse("hist_sleep_exit", HIST_FILE).histograms().get(1).render());
    }

    @Test
    void aHistogramKeyedByDurationAloneParsesAndDropsAreCounted() {
        String text = """
            { duration_ns: ~ 2^0  } hitcount:          2
            { duration_ns: ~ 2^10 } hitcount:          5

            Totals:
                Hits: 9
                Entries: 2
                Dropped: 2
            """;
        LatencyHistogram.HistFile file = LatencyHistogram.parse("e_exit", text);
        assertEquals(1, file.histograms().size());
        assertEquals(Map.of(0, 2L, 10, 5L), file.histograms().get(0).buckets());
        assertEquals(2, file.dropped());
        assertEquals("    [0, 2^0]       0 .. 1 ns                     2 |################                        |",
            file.histograms().get(0).render().get(1));
    }

    @Test
    void anEmptyHistFileHasNoHistogram() {
        String text = """
            # event histogram
            #

            Totals:
                Hits: 0
                Entries: 0
                Dropped: 0
            """;
        assertTrue(LatencyHistogram.parse("e_exit", text).histograms().isEmpty());
    }

    @Test
    void durationsKeepThreeSignificantDigits() {
        assertEquals("512 ns", LatencyHistogram.duration(512));
        assertEquals("1.02 us", LatencyHistogram.duration(1L << 10));
        assertEquals("524 us", LatencyHistogram.duration(1L << 19));
        assertEquals("1.05 ms", LatencyHistogram.duration(1L << 20));
        assertEquals("16.8 ms", LatencyHistogram.duration(1L << 24));
        assertEquals("1.07 s", LatencyHistogram.duration(1L << 30));
    }
}
