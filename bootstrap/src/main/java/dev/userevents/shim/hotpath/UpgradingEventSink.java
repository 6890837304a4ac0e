package dev.userevents.shim.hotpath;

import java.nio.ByteBuffer;

/**
 * Writes through one sink until a faster one is ready, then through that one. The agent's default on
 * JDK 22+: linking the FFM downcall generates some 150 classes (about 70 ms on JDK 25), so it happens on a
 * background thread while events go through the JDK's pwrite stub, instead of delaying the application's
 * start. Both write the same bytes to the same descriptor; an event goes whole through one or the other.
 */
public final class UpgradingEventSink implements EventSink {
    private final String upgradeName;
    private volatile EventSink current;
    private volatile boolean upgraded;

    /**
     * A sink that writes through {@code first} until {@link #upgrade}.
     *
     * @param first       the sink to write through meanwhile, ready now
     * @param upgradeName the {@link #name} of the sink awaited, for {@link #name} meanwhile ("downcall")
     */
    public UpgradingEventSink(EventSink first, String upgradeName) {
        this.current = first;
        this.upgradeName = upgradeName;
    }

    /**
     * From now on, writes go through {@code faster}. A write under way on another thread finishes through the
     * sink it started with.
     *
     * @param faster the awaited sink, on the same descriptor
     */
    public void upgrade(EventSink faster) {
        current = faster;
        upgraded = true;
    }

    /** {@return whether {@link #upgrade} was called: writes go through the awaited sink} */
    public boolean upgraded() {
        return upgraded;
    }

    @Override
    public long write(ByteBuffer buffer, long address, int length) {
        return current.write(buffer, address, length);
    }

    /** "downcall", or "downcall (pwrite until linked)" while the upgrade is pending. */
    @Override
    public String name() {
        EventSink sink = current;
        return upgraded ? sink.name() : upgradeName + " (" + sink.name() + " until linked)";
    }
}
