package dev.userevents.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * "A disabled log bridge costs nothing": a debug call below the framework's level (INFO, see
 * {@link LogCalls}), in Logback, Log4j 2 and java.util.logging, (a) without the agent, (b) with the agent in
 * mode=dry, which weaves the framework's logger (one load of the log events' enable word, a test, a branch)
 * and never sets the word, and (c) with the agent and {@code logs=false}, which leaves the frameworks alone.
 * Each framework's (a) is its baseline; (b) − (a) is what the woven check costs a disabled log call, (c) −
 * (a) should be nothing. Run with {@code -prof gc}: the bridge must not add an allocation (see
 * {@link LogArgs} for why the id is boxed). Runs on any kernel.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LogBridgeDisabledBenchmark {

    /**
     * Logback (a): {@code logger.debug("order {} for {}", id, customer)}, DEBUG off, no agent.
     *
     * @param args the log call's arguments
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.NO_AGENT)
    public void logbackNoAgent(LogArgs args) {
        LogCalls.Logback.debug(args.id, args.customer);
    }

    /**
     * Logback (b): the same call, {@code Logger.filterAndLog_2} woven, the enable word reads 0.
     *
     * @param args the log call's arguments
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DRY)
    public void logbackDry(LogArgs args) {
        LogCalls.Logback.debug(args.id, args.customer);
    }

    /**
     * Logback (c): the same call, agent loaded with {@code logs=false}: Logback not woven.
     *
     * @param args the log call's arguments
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DRY_NO_LOGS)
    public void logbackLogsOff(LogArgs args) {
        LogCalls.Logback.debug(args.id, args.customer);
    }

    /**
     * Log4j 2 (a): {@code logger.debug("order {} for {}", id, customer)}, DEBUG off, no agent.
     *
     * @param args the log call's arguments
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.NO_AGENT)
    public void log4jNoAgent(LogArgs args) {
        LogCalls.Log4j.debug(args.id, args.customer);
    }

    /**
     * Log4j 2 (b): the same call, {@code AbstractLogger.logIfEnabled} woven, the enable word reads 0.
     *
     * @param args the log call's arguments
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DRY)
    public void log4jDry(LogArgs args) {
        LogCalls.Log4j.debug(args.id, args.customer);
    }

    /**
     * Log4j 2 (c): the same call, agent loaded with {@code logs=false}: Log4j not woven.
     *
     * @param args the log call's arguments
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DRY_NO_LOGS)
    public void log4jLogsOff(LogArgs args) {
        LogCalls.Log4j.debug(args.id, args.customer);
    }

    /**
     * JUL (a): {@code logger.log(Level.FINE, "order {0} for {1}", new Object[] {id, customer})}, FINE off, no agent.
     *
     * @param args the log call's arguments
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.NO_AGENT)
    public void julNoAgent(LogArgs args) {
        LogCalls.Jul.debug(args.id, args.customer);
    }

    /**
     * JUL (b): the same call, {@code Logger.log(Level, String, Object[])} woven, the enable word reads 0.
     *
     * @param args the log call's arguments
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DRY)
    public void julDry(LogArgs args) {
        LogCalls.Jul.debug(args.id, args.customer);
    }

    /**
     * JUL (c): the same call, agent loaded with {@code logs=false}: {@code java.util.logging.Logger} not woven.
     *
     * @param args the log call's arguments
     */
    @Benchmark
    @Fork(jvmArgsAppend = Forks.DRY_NO_LOGS)
    public void julLogsOff(LogArgs args) {
        LogCalls.Jul.debug(args.id, args.customer);
    }
}
