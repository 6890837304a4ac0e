package dev.userevents.benchmarks;

import java.io.IOException;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** JFR recordings the JFR benchmarks run under. Both keep their data in memory, like the ftrace ring buffer. */
public final class JfrRecordings {
    private JfrRecordings() {
    }

    /** JFR's "default" (continuous, production) settings running, with {@link OrderEvent} off. */
    @State(Scope.Benchmark)
    public static class DefaultSettingsOrderEventOff {
        private Recording recording;

        /**
         * Starts the recording, in memory only.
         *
         * @throws IOException if the JDK's {@code default.jfc} cannot be read
         * @throws ParseException if it cannot be parsed
         */
        @Setup(Level.Trial)
        public void start() throws IOException, ParseException {
            recording = new Recording(Configuration.getConfiguration("default"));
            recording.disable(OrderEvent.class);
            recording.setToDisk(false);
            recording.start();
        }

        /** Stops the recording and drops its data. */
        @TearDown(Level.Trial)
        public void stop() {
            recording.close();
        }
    }

    /** A recording of {@link OrderEvent} alone, every event kept (no threshold). */
    @State(Scope.Benchmark)
    public static class OrderEventOn {
        private Recording recording;

        /** Starts the recording, in memory only. */
        @Setup(Level.Trial)
        public void start() {
            recording = new Recording();
            recording.enable(OrderEvent.class).withoutStackTrace().withoutThreshold();
            recording.setToDisk(false);
            recording.start();
        }

        /** Stops the recording and drops its data. */
        @TearDown(Level.Trial)
        public void stop() {
            recording.close();
        }
    }
}
