package dev.userevents.agent.registry;

import dev.userevents.shim.EventFormat;
import dev.userevents.shim.RegistrationException;
import dev.userevents.shim.hotpath.EventSink;

/** Gives each probe an enable word (and, with a kernel, an event); owns where events are written. */
public interface EventBackend extends AutoCloseable {
    /** The enable word of a registered event and the write index its events start with. */
    final class Registered {
        public final long enableWordAddress;
        public final int writeIndex;
        public final String system;

        public Registered(long enableWordAddress, int writeIndex, String system) {
            this.enableWordAddress = enableWordAddress;
            this.writeIndex = writeIndex;
            this.system = system;
        }
    }

    Registered register(EventFormat format) throws RegistrationException;

    EventSink sink();

    /** One line for the log: what backs the probes and where events go. */
    String describe();

    /** Unregisters every enable word (the kernel stops writing them), then releases the backend. */
    @Override
    void close();
}
