package dev.userevents.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * "An enabled log bridge costs the framework's formatting, the system call and little more": the debug
 * calls of {@link LogBridgeDisabledBenchmark}, still below the framework's level (the framework itself
 * logs nothing), with the agent in mode=devnull, where every level's bit of the log events' enable word is
 * set: each call formats its message as the framework would and writes a {@code log_debug} event (logger,
 * message, thread name and an empty throwable, as strings) to /dev/null with one write().
 *
 * <p>The baseline of each is {@code *FormatOnly}: the same message formatted by the framework's own
 * formatter, no agent, which any logged record costs anyway. The devnull row minus it is the bridge's own
 * cost plus the write(); minus the C floor's write() ({@code write_floor devnull}, run by
 * {@code benchmarks/run.sh}), it compares with what an enabled {@code @Tracepoint} adds to the same floor
 * ({@link EnabledProbeBenchmark#devnullDefault}). The thread name written is JMH's worker thread's (about
 * 70 characters), so each event is longer than the probe's 37 bytes. Run with {@code -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LogBridgeEnabledBenchmark {

    /**
     * Logback: {@code logger.debug(...)}, DEBUG off in Logback, {@code log_debug} traced (mode=devnull).
     *
     * @param args the log call's arguments
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DEVNULL_DEFAULT)
    public void logbackDevnull(LogArgs args) {
        LogCalls.Logback.debug(args.id, args.customer);
    }

    /**
     * Logback under {@code format=eventheader}: the same call written as a Common Schema 4.0 log event (header and
     * metadata copied, an RFC 3339 time, the strings counted, PartB's constants), to set beside
     * {@link #logbackDevnull}.
     *
     * @param args the log call's arguments
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DEVNULL_EVENTHEADER)
    public void logbackDevnullEventHeader(LogArgs args) {
        LogCalls.Logback.debug(args.id, args.customer);
    }

    /**
     * Logback's own formatting of the message: {@code MessageFormatter.arrayFormat(...).getMessage()}, no agent.
     *
     * @param args the log call's arguments
     * @return the formatted message, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.NO_AGENT)
    public String logbackFormatOnly(LogArgs args) {
        return LogCalls.Logback.format(args.id, args.customer);
    }

    /**
     * Log4j 2: {@code logger.debug(...)}, DEBUG off in Log4j, {@code log_debug} traced (mode=devnull).
     *
     * @param args the log call's arguments
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DEVNULL_DEFAULT)
    public void log4jDevnull(LogArgs args) {
        LogCalls.Log4j.debug(args.id, args.customer);
    }

    /**
     * Log4j's own formatting: the logger's message factory, {@code getFormattedMessage()}, no agent.
     *
     * @param args the log call's arguments
     * @return the formatted message, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.NO_AGENT)
    public String log4jFormatOnly(LogArgs args) {
        return LogCalls.Log4j.format(args.id, args.customer);
    }

    /**
     * JUL: {@code logger.log(Level.FINE, ...)}, FINE off in JUL, {@code log_debug} traced (mode=devnull).
     *
     * @param args the log call's arguments
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DEVNULL_DEFAULT)
    public void julDevnull(LogArgs args) {
        LogCalls.Jul.debug(args.id, args.customer);
    }

    /**
     * JUL's own formatting: {@code MessageFormat.format(...)}, as {@code Formatter.formatMessage} does, no agent.
     *
     * @param args the log call's arguments
     * @return the formatted message, for JMH to consume
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.NO_AGENT)
    public String julFormatOnly(LogArgs args) {
        return LogCalls.Jul.format(args.id, args.customer);
    }
}
