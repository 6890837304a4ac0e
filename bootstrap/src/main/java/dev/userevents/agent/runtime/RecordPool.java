package dev.userevents.agent.runtime;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * A fixed set of event buffers shared by all threads, platform and virtual alike, so memory stays
 * bounded however many threads there are ({@code slots x 4 KiB}).
 *
 * <p>A thread starts at a slot picked by its id and takes the first free buffer with one
 * {@code getAndSet}; slots sit {@link #STRIDE} references apart so two threads working on neighbouring
 * slots do not share a cache line. A buffer is held only while one event is encoded and written. When
 * every slot is busy (more threads inside a write at once than slots) {@link #acquire} returns null and
 * the caller drops the event as {@code NO_BUFFER}: allocating direct memory there could force a
 * {@code System.gc()} and sleeps on the application's thread.
 */
final class RecordPool {
    private static final int STRIDE = 16;

    private final AtomicReferenceArray<EventRecord> slots;
    /** Every pooled record, for {@link #reclaim}. */
    private final EventRecord[] all;
    private final int mask;
    private final int size;

    RecordPool(int requestedSize) {
        int size = Integer.highestOneBit(Math.max(2, requestedSize) - 1) << 1;
        this.size = size;
        this.mask = size - 1;
        this.slots = new AtomicReferenceArray<>(size * STRIDE);
        this.all = new EventRecord[size];
        for (int i = 0; i < size; i++) {
            all[i] = new EventRecord(i * STRIDE);
            slots.set(i * STRIDE, all[i]);
        }
    }

    int size() {
        return size;
    }

    /** A free buffer for the calling thread, or null when every one is in use. Never allocates. */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() needs JDK 19; both are the same value.
    @Nullable EventRecord acquire() {
        Thread thread = Thread.currentThread();
        int start = (int) thread.getId();
        for (int i = 0; i < size; i++) {
            int index = ((start + i) & mask) * STRIDE;
            if (slots.get(index) != null) {
                EventRecord record = slots.getAndSet(index, null);
                if (record != null) {
                    record.owner = thread;
                    return record;
                }
            }
        }
        return null;
    }

    /** Gives a record back; the plain stores come first so a record whose probe is null is back or free. */
    void release(EventRecord record) {
        record.probe = null;
        if (record.home >= 0) {
            slots.lazySet(record.home, record);
        }
    }

    /**
     * Gives back the pooled record {@code thread} holds for {@code probe}, if any: one a throwable took out
     * of the woven code before its commit could release it. Off the per-call path (a scan of every slot).
     *
     * @return true when the record's event had already been written (so it is no drop)
     */
    boolean reclaim(Thread thread, Probe probe) {
        for (EventRecord record : all) {
            if (record.probe == probe && record.owner == thread) {
                boolean delivered = record.delivered;
                release(record);
                return delivered;
            }
        }
        return false;
    }
}
