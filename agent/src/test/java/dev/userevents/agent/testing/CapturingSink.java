package dev.userevents.agent.testing;

import dev.userevents.shim.hotpath.EventSink;
import dev.userevents.shim.hotpath.NativeWords;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink that keeps a copy of every event written to it, as the kernel would receive it: bytes
 * {@code [0, length)} of the buffer. It answers each write with the byte count, or with the result a test
 * asked for (an errno, or a thrown exception) to play a failing kernel.
 */
public final class CapturingSink implements EventSink {
    private final List<byte[]> events = new ArrayList<>();
    private final List<Long> addresses = new ArrayList<>();
    private volatile long failure;
    private volatile Throwable thrown;
    private volatile boolean addressMismatch;

    /** Every later write returns {@code result} (a negative errno or {@link #UNKNOWN_ERROR}). */
    public void answerWith(long result) {
        this.failure = result;
    }

    /** Every later write throws {@code exception}, which a real sink never does. */
    public void throwOnWrite(Throwable exception) {
        this.thrown = exception;
    }

    /** Back to answering each write with its byte count. */
    public void succeed() {
        this.failure = 0;
        this.thrown = null;
    }

    @Override
    public synchronized long write(ByteBuffer buffer, long address, int length) {
        if (address != NativeWords.addressOf(buffer)) {
            addressMismatch = true;
        }
        byte[] copy = new byte[length];
        buffer.get(0, copy, 0, length);
        events.add(copy);
        addresses.add(address);
        Throwable toThrow = thrown;
        if (toThrow instanceof RuntimeException) {
            throw (RuntimeException) toThrow;
        }
        if (toThrow instanceof Error) {
            throw (Error) toThrow;
        }
        return failure != 0 ? failure : length;
    }

    @Override
    public String name() {
        return "capturing";
    }

    /** Every event written so far, oldest first. */
    public synchronized List<byte[]> events() {
        return new ArrayList<>(events);
    }

    /** The events whose write index is {@code writeIndex}: one probe's events. */
    public synchronized List<EventPayload> eventsOf(int writeIndex) {
        List<EventPayload> mine = new ArrayList<>();
        for (byte[] event : events) {
            EventPayload payload = new EventPayload(event);
            if (payload.writeIndex() == writeIndex) {
                mine.add(payload);
            }
        }
        return mine;
    }

    /** The native address each write was given, in order. */
    public synchronized List<Long> addresses() {
        return new ArrayList<>(addresses);
    }

    /** True when some write's address was not the start of the buffer it came with. */
    public boolean sawAddressMismatch() {
        return addressMismatch;
    }

    public synchronized void clear() {
        events.clear();
        addresses.clear();
    }
}
