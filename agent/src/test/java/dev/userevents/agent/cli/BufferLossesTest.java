package dev.userevents.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loss markers and per-CPU loss totals, in the text the kernel writes (kernel/trace/trace.c). */
class BufferLossesTest {
    @TempDir
    Path instance;

    @Test
    void aMarkerCarriesItsCountAndAnEventLineIsNoMarker() {
        assertEquals(1287, BufferLosses.lostInLine("CPU:0 [LOST 1287 EVENTS]"));
        assertEquals(3, BufferLosses.lostInLine("CPU:11 [LOST 3 EVENTS]"));
        assertEquals(0, BufferLosses.lostInLine("CPU:1 [LOST EVENTS]"), "a marker without a count");
        assertEquals(BufferLosses.NOT_A_MARKER, BufferLosses.lostInLine(
            "            java-412     [000] .....   101.5: order_placed: orderId=7 customer=CPU:0 [LOST 5 EVENTS]"));
        assertEquals(BufferLosses.NOT_A_MARKER, BufferLosses.lostInLine(""));
    }

    @Test
    void totalsOverrunCommitOverrunAndDroppedOverEveryCpu() throws IOException {
        stats("cpu0", 120, 2, 0);
        stats("cpu1", 5, 0, 7);
        Files.createDirectories(instance.resolve("per_cpu").resolve("not-a-cpu"));
        assertEquals(134, BufferLosses.lostSinceCreated(instance));
    }

    @Test
    void nothingLostIsZero() throws IOException {
        stats("cpu0", 0, 0, 0);
        assertEquals(0, BufferLosses.lostSinceCreated(instance));
    }

    @Test
    void anInstanceWithoutPerCpuFilesIsAnError() {
        assertThrows(IOException.class, () -> BufferLosses.lostSinceCreated(instance));
    }

    @Test
    void bufferSizeIsTheExpandedOneBeforeFirstUse() throws IOException {
        Files.writeString(instance.resolve("buffer_size_kb"), "7 (expanded: 1408)\n");
        assertEquals(1408, BufferLosses.bufferKibPerCpu(instance));
        Files.writeString(instance.resolve("buffer_size_kb"), "16\n");
        assertEquals(16, BufferLosses.bufferKibPerCpu(instance));
        Files.writeString(instance.resolve("buffer_size_kb"), "X\n");
        assertEquals(-1, BufferLosses.bufferKibPerCpu(instance));
    }

    /** A per_cpu/CPU/stats file as tracing_stats_read() prints it. */
    private void stats(String cpu, long overrun, long commitOverrun, long dropped) throws IOException {
        Path dir = Files.createDirectories(instance.resolve("per_cpu").resolve(cpu));
        Files.writeString(dir.resolve("stats"), "entries: 42\noverrun: " + overrun + "\ncommit overrun: " + commitOverrun
            + "\nbytes: 1680\noldest event ts:   101.000001\nnow ts:   102.000002\ndropped events: " + dropped
            + "\nread events: 900\n");
    }
}
