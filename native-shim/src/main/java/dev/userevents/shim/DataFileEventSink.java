package dev.userevents.shim;

import dev.userevents.shim.hotpath.EventSink;
import java.nio.ByteBuffer;

/**
 * Writes with libc {@code write()} through JNA direct mapping on a {@link UserEventsDataFile}'s descriptor: the
 * agent's "jna" sink, available on every JDK, and the errno source of the others.
 */
public final class DataFileEventSink implements EventSink {
    private final UserEventsDataFile file;

    /**
     * A sink over an open data file.
     *
     * @param file the file that registered the events written through this sink (write indexes belong to it);
     *     its owner closes it
     */
    public DataFileEventSink(UserEventsDataFile file) {
        this.file = file;
    }

    @Override
    public long write(ByteBuffer buffer, long address, int length) {
        return file.write(address, length);
    }

    @Override
    public String name() {
        return "jna";
    }
}
