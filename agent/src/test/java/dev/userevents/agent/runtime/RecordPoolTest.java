package dev.userevents.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.testing.CapturingSink;
import dev.userevents.agent.testing.InstalledProbes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The shared event buffers: reused, never held by two threads at once, and never a reason to wait. */
class RecordPoolTest {

    @Test
    void sizeRoundsUpToAPowerOfTwo() {
        assertEquals(2, new RecordPool(1).size());
        assertEquals(2, new RecordPool(2).size());
        assertEquals(8, new RecordPool(5).size());
        assertEquals(8, new RecordPool(8).size());
        assertEquals(16, new RecordPool(9).size());
    }

    @Test
    void releasedBufferIsTheOneTheSameThreadGetsNext() {
        RecordPool pool = new RecordPool(4);

        EventRecord first = pool.acquire();
        pool.release(first);

        assertSame(first, pool.acquire());
    }

    @Test
    void steadyStateNeedsNoBufferBeyondThePool() {
        RecordPool pool = new RecordPool(4);
        Set<EventRecord> seen = Collections.newSetFromMap(new IdentityHashMap<>());

        for (int i = 0; i < 10_000; i++) {
            EventRecord record = pool.acquire();
            seen.add(record);
            pool.release(record);
        }

        assertEquals(1, seen.size());
    }

    @Test
    void heldBuffersAreAllDistinct() {
        RecordPool pool = new RecordPool(8);
        Set<EventRecord> held = Collections.newSetFromMap(new IdentityHashMap<>());

        for (int i = 0; i < 8; i++) {
            held.add(pool.acquire());
        }

        assertEquals(8, held.size());
    }

    @Test
    void exhaustedPoolHandsOutNothingAndAllocatesNothing() {
        RecordPool pool = new RecordPool(2);
        EventRecord a = pool.acquire();
        EventRecord b = pool.acquire();

        assertNull(pool.acquire(), "no third buffer: the event is dropped, nothing waits or allocates");

        pool.release(a);
        assertSame(a, pool.acquire(), "a released buffer serves the next event");
        assertNotSame(a, b);
    }

    @Test
    void releaseForgetsTheProbe() {
        RecordPool pool = new RecordPool(2);
        EventRecord record = pool.acquire();
        record.probe = InstalledProbes.enabled(0, 0, new CapturingSink());

        pool.release(record);

        assertEquals(null, record.probe);
    }

    @Test
    void twoThreadsNeverHoldTheSameBuffer() throws Exception {
        RecordPool pool = new RecordPool(4);
        int threads = 8;
        int iterations = 20_000;
        ConcurrentHashMap<EventRecord, Thread> holders = new ConcurrentHashMap<>();
        AtomicReference<String> clash = new AtomicReference<>();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < iterations && clash.get() == null; i++) {
                    EventRecord record = pool.acquire();
                    Thread other = holders.putIfAbsent(record, Thread.currentThread());
                    if (other != null) {
                        clash.compareAndSet(null, "buffer " + record.home + " held by " + other.getName() + " and "
                            + Thread.currentThread().getName());
                    }
                    record.buffer().putLong(0, Thread.currentThread().getId());
                    Thread.onSpinWait();
                    if (record.buffer().getLong(0) != Thread.currentThread().getId()) {
                        clash.compareAndSet(null, "buffer " + record.home + " written by another thread meanwhile");
                    }
                    holders.remove(record);
                    pool.release(record);
                }
            }, "pool-worker-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join(60_000);
            assertFalse(worker.isAlive(), worker.getName() + " still running");
        }

        assertEquals(null, clash.get());
    }

    @Test
    void runtimeHandsEveryEventOfOneThreadTheSameBuffer() {
        CapturingSink sink = new CapturingSink();
        Probe probe = InstalledProbes.enabled(4, 0, sink);

        for (int i = 0; i < 1000; i++) {
            ProbeRuntime.commit(ProbeRuntime.putInt(ProbeRuntime.begin(probe.id()), i));
        }

        assertEquals(1, new HashSet<>(sink.addresses()).size());
    }

    @Test
    void runtimePoolHasAtLeastSixteenBuffers() {
        assertTrue(ProbeRuntime.bufferCount() >= 16, "buffers: " + ProbeRuntime.bufferCount());
        assertEquals(1, Integer.bitCount(ProbeRuntime.bufferCount()), "a power of two");
    }
}
