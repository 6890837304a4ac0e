package dev.userevents.shim;

import dev.userevents.testing.GuestTracefs;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a kernel test opened, registered and enabled, undone in reverse by {@link #close()} (call it from
 * {@code @AfterEach}): tracefs enables switched off, enable words unregistered, data files closed. Each
 * test gets event names of its own from {@link #uniqueName(String)}, so a test never sees another's events.
 */
final class RegisteredEvents implements AutoCloseable {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Deque<UserEventsDataFile> files = new ArrayDeque<>();
    private final Map<EnableWord, UserEventsDataFile> registeredWords = new LinkedHashMap<>();
    private final Deque<String[]> enabled = new ArrayDeque<>();

    /** {@code stem_<pid>_<n>}: unique within the guest's run, a valid event name. */
    static String uniqueName(String stem) {
        return stem + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
    }

    UserEventsDataFile open() throws UserEventsUnavailableException {
        UserEventsDataFile file = UserEventsDataFile.open(Tracefs.at(GuestTracefs.ROOT));
        files.push(file);
        return file;
    }

    Registration register(UserEventsDataFile file, EventFormat format, EnableWord word) throws RegistrationException {
        return register(file, format, word, 0);
    }

    Registration register(UserEventsDataFile file, EventFormat format, EnableWord word, int flags)
            throws RegistrationException {
        Registration registration = file.register(format, word, flags);
        registeredWords.put(word, file);
        return registration;
    }

    void unregister(EnableWord word) throws RegistrationException {
        UserEventsDataFile file = registeredWords.remove(word);
        file.unregister(word);
    }

    /** {@code echo 1 > .../enable}, switched off again by {@link #close()}. */
    void enable(Registration registration) {
        enable(UserEventsAbi.SYSTEM, registration.format().name());
    }

    void enable(String system, String tracepointName) {
        GuestTracefs.enable(system, tracepointName);
        enabled.push(new String[] {system, tracepointName});
    }

    @Override
    public void close() {
        while (!enabled.isEmpty()) {
            String[] event = enabled.pop();
            try {
                GuestTracefs.disable(event[0], event[1]);
            } catch (RuntimeException e) {
                // already gone (deleted by the test)
            }
        }
        // Enable words belong to the process, not to the file: one whose file the test closed is still
        // registered, and any open data file can unregister it.
        UserEventsDataFile cleanupFile = null;
        for (Map.Entry<EnableWord, UserEventsDataFile> entry : registeredWords.entrySet()) {
            try {
                if (cleanupFile == null) {
                    cleanupFile = open();
                }
                cleanupFile.unregister(entry.getKey());
            } catch (RegistrationException | UserEventsUnavailableException e) {
                // the test unregistered it itself
            }
        }
        registeredWords.clear();
        while (!files.isEmpty()) {
            files.pop().close();
        }
    }
}
