package dev.userevents.agent.backend;

import dev.userevents.agent.config.AgentOptions;
import dev.userevents.shim.DevNullEventSink;
import dev.userevents.shim.EnableWord;
import dev.userevents.shim.EnableWordArena;
import dev.userevents.shim.EnableWordStores;
import dev.userevents.shim.EventFormat;
import dev.userevents.shim.hotpath.EventSink;
import dev.userevents.shim.hotpath.NativeWords;

/**
 * No kernel: enable words nobody registers, events (if any) to {@code /dev/null}. In {@code dry} mode the
 * words stay 0, so probes cost exactly the disabled check; in {@code devnull} mode they are set to 1, so
 * every call encodes and writes. Both work on any Linux host and are what the benchmarks measure.
 */
public final class LocalBackend implements EventBackend {
    private final EnableWordArena arena = new EnableWordArena();
    private final boolean alwaysEnabled;
    private final EventSink sink;

    /**
     * Opens {@code /dev/null} and picks the write path.
     *
     * @param options the agent's options: {@code mode} ({@code dry}: words stay 0; {@code devnull}: every word
     *                reads 1) and {@code sink}
     * @throws IllegalStateException if {@code /dev/null} cannot be opened
     */
    public LocalBackend(AgentOptions options) {
        this.alwaysEnabled = options.mode() == AgentOptions.Mode.DEVNULL;
        DevNullEventSink devNull = DevNullEventSink.open();
        this.sink = EventSinks.open(options.sink(), devNull.fd(), devNull);
    }

    @Override
    public long allocateEnableWord() {
        EnableWord word = arena.allocate(4, 0);
        if (alwaysEnabled) {
            EnableWordStores.storeInt(word.address(), 1);
        }
        return word.address();
    }

    @Override
    public Registered register(EventFormat format, long enableWordAddress) {
        return new Registered(enableWordAddress, 0, alwaysEnabled ? "devnull" : "dry");
    }

    @Override
    public Registered registerOnBit(EventFormat format, long enableWordAddress, int bit) {
        if (alwaysEnabled) {
            EnableWordStores.storeInt(enableWordAddress, NativeWords.loInt(enableWordAddress) | 1 << bit);
        }
        return register(format, enableWordAddress);
    }

    @Override
    public EventSink sink() {
        return sink;
    }

    @Override
    public String describe() {
        return alwaysEnabled ? "devnull mode: every probe enabled, events written to /dev/null through " + sink.name()
            : "dry mode: probes woven against enable words nothing sets";
    }

    @Override
    public void close() {
    }
}
