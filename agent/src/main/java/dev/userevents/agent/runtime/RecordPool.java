package dev.userevents.agent.runtime;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A fixed set of event buffers shared by all threads, platform and virtual alike, so memory stays
 * bounded however many threads there are ({@code slots x 4 KiB}).
 *
 * <p>A thread starts at a slot picked by its id and takes the first free buffer with one
 * {@code getAndSet}; slots sit {@link #STRIDE} references apart so two threads working on neighbouring
 * slots do not share a cache line. A buffer is held only while one event is encoded and written. When
 * every slot is busy (more threads inside a write at once than slots) the event gets a buffer of its own,
 * dropped afterwards: rare, and better than losing the event or waiting.
 */
final class RecordPool {
    private static final int STRIDE = 16;

    private final AtomicReferenceArray<EventRecord> slots;
    private final int mask;
    private final int size;

    RecordPool(int requestedSize) {
        int size = Integer.highestOneBit(Math.max(2, requestedSize) - 1) << 1;
        this.size = size;
        this.mask = size - 1;
        this.slots = new AtomicReferenceArray<>(size * STRIDE);
        for (int i = 0; i < size; i++) {
            slots.set(i * STRIDE, new EventRecord(i * STRIDE));
        }
    }

    int size() {
        return size;
    }

    @SuppressWarnings("deprecation") // Thread.getId(): threadId() needs JDK 19; both are the same value.
    EventRecord acquire() {
        int start = (int) Thread.currentThread().getId();
        for (int i = 0; i < size; i++) {
            int index = ((start + i) & mask) * STRIDE;
            if (slots.get(index) != null) {
                EventRecord record = slots.getAndSet(index, null);
                if (record != null) {
                    return record;
                }
            }
        }
        return new EventRecord(-1);
    }

    void release(EventRecord record) {
        record.probe = null;
        if (record.home >= 0) {
            slots.lazySet(record.home, record);
        }
    }
}
