package dev.userevents.agent.testing;

import dev.userevents.agent.backend.EventBackend;
import dev.userevents.shim.EventFormat;
import dev.userevents.shim.RegistrationException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A backend without a kernel: each registered event gets its own enable word (reading 0 until a test
 * enables it), a distinct write index (the same one for the same event registered again, as the kernel
 * does), and events go to one {@link CapturingSink}. Names a test lists as
 * refused fail registration, as the kernel refuses a conflicting format.
 */
public final class RecordingBackend implements EventBackend {
    private final CapturingSink sink = new CapturingSink();
    private final Map<String, EventFormat> formats = new ConcurrentHashMap<>();
    private final Map<String, Long> words = new ConcurrentHashMap<>();
    private final Map<String, Integer> writeIndexes = new ConcurrentHashMap<>();
    private final Map<String, Integer> bits = new ConcurrentHashMap<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private int nextWriteIndex = 1;

    /** Registering {@code eventName} will fail from now on. */
    public void refuse(String eventName) {
        refused.add(eventName);
    }

    @Override
    public long allocateEnableWord() {
        return EnableWords.allocate();
    }

    @Override
    public synchronized Registered register(EventFormat format, long word) throws RegistrationException {
        if (refused.contains(format.name())) {
            throw new RegistrationException(format.name(), 17, "event " + format.name() + " refused by the test");
        }
        EventFormat earlier = formats.get(format.name());
        // as user_events_ref_add(): the same event registered again through one file keeps its write index
        int writeIndex = earlier != null && earlier.command().equals(format.command())
            ? writeIndexes.get(format.name()) : nextWriteIndex++;
        formats.put(format.name(), format);
        words.put(format.name(), word);
        writeIndexes.put(format.name(), writeIndex);
        return new Registered(word, writeIndex, "test");
    }

    @Override
    public synchronized Registered registerOnBit(EventFormat format, long word, int bit) throws RegistrationException {
        Registered registered = register(format, word);
        bits.put(format.name(), bit);
        return registered;
    }

    /**
     * How many events were registered.
     *
     * @return the number of distinct event names registered so far
     */
    public int registeredCount() {
        return formats.size();
    }

    /** The bit {@code eventName} was registered on: 0 unless through {@link #registerOnBit}. */
    public int bit(String eventName) {
        return bits.getOrDefault(eventName, 0);
    }

    @Override
    public CapturingSink sink() {
        return sink;
    }

    @Override
    public String describe() {
        return "recording backend";
    }

    @Override
    public void close() {
    }

    /** Sets every enable word back to 0. */
    public void disableAll() {
        for (long word : words.values()) {
            EnableWords.disable(word);
        }
    }

    /** The format registered as {@code eventName}, or null. */
    public EventFormat format(String eventName) {
        return formats.get(eventName);
    }

    public boolean isRegistered(String eventName) {
        return formats.containsKey(eventName);
    }

    public long enableWord(String eventName) {
        return require(words, eventName);
    }

    public int writeIndex(String eventName) {
        return require(writeIndexes, eventName);
    }

    private static <T> T require(Map<String, T> map, String eventName) {
        T value = map.get(eventName);
        if (value == null) {
            throw new AssertionError("no event " + eventName + " was registered; registered: " + map.keySet());
        }
        return value;
    }
}
