package dev.userevents.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * Two threads emitting at once against one: enabled probes (mode=devnull, host) should scale with the
 * cores, since threads share nothing on the way but the buffer pool and the probe's counter. Throughput of
 * all threads together; the target is two threads at 1.8x one thread or better. {@code write_floor
 * --threads 2} shows what the machine itself allows.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScalingBenchmark {

    @Benchmark
    @Threads(1)
    @Fork(jvmArgsAppend = Forks.DEVNULL_JNA)
    public long jnaOneThread(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    @Benchmark
    @Threads(2)
    @Fork(jvmArgsAppend = Forks.DEVNULL_JNA)
    public long jnaTwoThreads(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    @Benchmark
    @Threads(1)
    @Fork(jvmArgsAppend = Forks.DEVNULL_CHANNEL)
    public long channelOneThread(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }

    @Benchmark
    @Threads(2)
    @Fork(jvmArgsAppend = Forks.DEVNULL_CHANNEL)
    public long channelTwoThreads(Order order) {
        return Orders.place(order.id, order.cents, order.customer);
    }
}
