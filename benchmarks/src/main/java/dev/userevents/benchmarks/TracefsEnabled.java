package dev.userevents.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The {@code bench_order} user_event enabled through tracefs, as {@code echo 1 > .../enable} would: ftrace
 * then records every event into its ring buffer. Needs root and a kernel with user_events (the guest), and
 * the agent in mode=kernel in this JVM.
 */
@State(Scope.Benchmark)
public class TracefsEnabled {
    static final Path TRACEFS = Paths.get("/sys/kernel/tracing");
    private static final int LINES_TO_CHECK = 200;

    private Path enable;

    /**
     * Registers {@code bench_order} (by loading {@link Orders}), empties the ring buffer and enables the event.
     *
     * @throws IOException if a tracefs write fails (not root)
     * @throws IllegalStateException if the event does not exist: no user_events, or the agent not in mode=kernel
     */
    @Setup(Level.Trial)
    public void enable() throws IOException {
        // The first call loads Orders: the agent registers bench_order before the class is defined.
        Orders.place(0, 0, "");
        enable = TRACEFS.resolve("events/user_events/" + Orders.EVENT + "/enable");
        if (!Files.exists(enable)) {
            throw new IllegalStateException(enable + " does not exist: run this benchmark where user_events are"
                + " available (vm/run.sh), as root, with the agent in mode=kernel");
        }
        Files.writeString(TRACEFS.resolve("trace"), ""); // opening with O_TRUNC clears the ring buffer
        Files.writeString(enable, "1");
    }

    /**
     * Switches the event off again and fails the trial if no event reached the ring buffer.
     *
     * @throws IOException if tracefs cannot be written or read
     * @throws IllegalStateException if none of the first 200 lines of {@code trace} is a {@code bench_order} event
     */
    @TearDown(Level.Trial)
    public void disableAndCheck() throws IOException {
        Files.writeString(enable, "0");
        try (BufferedReader trace = Files.newBufferedReader(TRACEFS.resolve("trace"))) {
            String line;
            for (int i = 0; i < LINES_TO_CHECK && (line = trace.readLine()) != null; i++) {
                if (line.contains(" " + Orders.EVENT + ":")) {
                    return;
                }
            }
        }
        throw new IllegalStateException("no " + Orders.EVENT + " event in " + TRACEFS.resolve("trace")
            + ": the enabled probe did not write (is the agent in mode=kernel?)");
    }
}
