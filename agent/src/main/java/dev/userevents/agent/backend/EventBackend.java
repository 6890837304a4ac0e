package dev.userevents.agent.backend;

import dev.userevents.shim.EventFormat;
import dev.userevents.shim.RegistrationException;
import dev.userevents.shim.hotpath.EventSink;

/** Gives each probe an enable word (and, with a kernel, an event); owns where events are written. */
public interface EventBackend extends AutoCloseable {
    /** The enable word of a registered event and the write index its events start with. */
    final class Registered {
        /** The enable word's address: 4 bytes the kernel sets a bit of while the event is traced. */
        public final long enableWordAddress;
        /** The index every write of this event starts with ({@code DIAG_IOCSREG}'s {@code write_index}). */
        public final int writeIndex;
        /** The tracefs system the event is in: {@code user_events}, or a multi-format system. */
        public final String system;

        /**
         * A registered event's handles.
         *
         * @param enableWordAddress the enable word's address
         * @param writeIndex        the write index the kernel gave the event
         * @param system            the tracefs system the kernel put the event in
         */
        public Registered(long enableWordAddress, int writeIndex, String system) {
            this.enableWordAddress = enableWordAddress;
            this.writeIndex = writeIndex;
            this.system = system;
        }
    }

    /**
     * A fresh enable word for a probe whose event is not registered yet: woven code may read it at once
     * (it reads 0, or 1 in devnull mode, until the event is registered and traced).
     *
     * @return the word's address, 4 bytes, naturally aligned, bit 0
     */
    long allocateEnableWord();

    /**
     * Registers {@code format} with a word from {@link #allocateEnableWord()}.
     *
     * @param format            the event's name and fields
     * @param enableWordAddress the word the kernel sets while the event is traced
     * @return the word and the write index of the event
     * @throws RegistrationException when the kernel refuses the event (the message names cause and fix)
     */
    Registered register(EventFormat format, long enableWordAddress) throws RegistrationException;

    /**
     * Registers {@code format} with bit {@code bit} of a word from {@link #allocateEnableWord()} that other
     * events of this backend share, each with a bit of its own (the kernel allows it: {@code
     * user_event_enabler_exists()} compares address and bit). One load of the word then tells whether any
     * of them is traced.
     *
     * @param format            the event's name and fields
     * @param enableWordAddress the shared word
     * @param bit               0 to 31, not yet used by another event on this word
     * @return the word and the write index of the event
     * @throws RegistrationException when the kernel refuses the event (the message names cause and fix)
     * @throws IllegalArgumentException when the word was not allocated by this backend
     */
    Registered registerOnBit(EventFormat format, long enableWordAddress, int bit) throws RegistrationException;

    /**
     * Registers {@code format} with a fresh enable word.
     *
     * @param format the event's name and fields
     * @return the word and the write index of the event
     * @throws RegistrationException when the kernel refuses the event
     */
    default Registered register(EventFormat format) throws RegistrationException {
        return register(format, allocateEnableWord());
    }

    /**
     * Whether one event name may carry several formats: the backend registers with
     * {@code USER_EVENT_REG_MULTI_FORMAT}, so the kernel gives each format of a name a tracepoint of its own
     * ({@code user_events_multi:NAME.<id>}, {@code user_event_set_tp_name()} in 6.12's
     * {@code kernel/trace/trace_events_user.c}).
     *
     * @return true for a kernel backend with {@code multiFormat=true}; false otherwise
     */
    default boolean namesCarrySeveralFormats() {
        return false;
    }

    /**
     * Where every probe of this backend writes its events.
     *
     * @return the sink, one for all probes, safe for concurrent writes
     */
    EventSink sink();

    /**
     * One line for the log: what backs the probes and where events go.
     *
     * @return e.g. {@code user_events at /sys/kernel/tracing/user_events_data, writes through pwrite}
     */
    String describe();

    /** Unregisters every enable word (the kernel stops writing them), then releases the backend. */
    @Override
    void close();
}
