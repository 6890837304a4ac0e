package dev.userevents.shim;

import dev.userevents.shim.hotpath.EventSink;
import java.nio.ByteBuffer;

/** Writes with libc {@code write()} through JNA direct mapping on a {@link UserEventsDataFile}'s descriptor. */
public final class DataFileEventSink implements EventSink {
    private final UserEventsDataFile file;

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
