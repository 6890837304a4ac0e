package dev.userevents.agent.backend;

import dev.userevents.agent.config.AgentOptions;
import dev.userevents.agent.runtime.AgentLog;
import dev.userevents.shim.DataFileEventSink;
import dev.userevents.shim.DataSocket;
import dev.userevents.shim.EnableWord;
import dev.userevents.shim.EnableWordArena;
import dev.userevents.shim.EventFormat;
import dev.userevents.shim.Registration;
import dev.userevents.shim.RegistrationException;
import dev.userevents.shim.Tracefs;
import dev.userevents.shim.UserEventsAbi;
import dev.userevents.shim.UserEventsDataFile;
import dev.userevents.shim.UserEventsUnavailableException;
import dev.userevents.shim.hotpath.Errno;
import dev.userevents.shim.hotpath.EventSink;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Real user_events: one open {@code user_events_data}, one 4-byte enable word (bit 0) per probe. */
public final class KernelBackend implements EventBackend {
    private static final int ENABLE_SIZE = 4;
    private static final int ENABLE_BIT = 0;
    /**
     * A {@code USER_EVENT_REG_*} bit no kernel defines ({@code USER_EVENT_REG_MAX} of 6.12's
     * {@code include/uapi/linux/user_events.h}): {@code user_reg_get()} refuses it with EINVAL.
     */
    private static final int UNKNOWN_FLAG = 1 << 2;

    private final UserEventsDataFile file;
    private final EnableWordArena arena = new EnableWordArena();
    private final EventSink sink;
    private final boolean multiFormat;
    private final boolean persist;
    private final boolean simulateNoMultiFormat;
    private final List<EnableWord> registered = new ArrayList<>();
    private final Map<Long, EnableWord> allocated = new HashMap<>();
    /** Words whose bits several events use ({@link #registerOnBit}). */
    private final Set<Long> shared = new HashSet<>();
    private boolean flagRefusalLogged;
    /** Set once the kernel refused {@code USER_EVENT_REG_PERSIST} for want of rights: not asked again. */
    private boolean persistRefused;

    private KernelBackend(UserEventsDataFile file, EventSink sink, AgentOptions options) {
        this.file = file;
        this.sink = sink;
        this.multiFormat = options.multiFormat();
        this.persist = options.persist();
        this.simulateNoMultiFormat = options.simulateNoMultiFormat();
    }

    /**
     * Opens tracefs {@code user_events_data} and picks the write path.
     *
     * @param options the agent's options: {@code dataFd} or {@code dataSocket} (a descriptor handed in), else
     *                {@code tracefs} (else found as {@code Tracefs.locate()} does), {@code sink},
     *                {@code multiFormat}, {@code persist}, {@code simulateNoMultiFormat}
     * @return a backend that registers events with the kernel
     * @throws UserEventsUnavailableException when tracefs or {@code user_events_data} cannot be found or
     *                                        opened, or a descriptor handed in is unusable (the message names
     *                                        the reason and the fix)
     */
    public static KernelBackend open(AgentOptions options) throws UserEventsUnavailableException {
        UserEventsDataFile file = openDataFile(options);
        EventSink sink = EventSinks.open(options.sink(), file.fd(), new DataFileEventSink(file));
        return new KernelBackend(file, sink, options);
    }

    /** From the descriptor handed in ({@code dataFd}, {@code dataSocket}), else from tracefs. */
    private static UserEventsDataFile openDataFile(AgentOptions options) throws UserEventsUnavailableException {
        Integer dataFd = options.dataFd();
        if (dataFd != null) {
            return UserEventsDataFile.adopt(dataFd, "dataFd=" + dataFd);
        }
        String dataSocket = options.dataSocket();
        if (dataSocket != null) {
            return DataSocket.receiveDataFile(dataSocket, DataSocket.DEFAULT_TIMEOUT);
        }
        Tracefs tracefs = options.tracefs() != null ? configuredTracefs(options.tracefs()) : Tracefs.locate();
        return UserEventsDataFile.open(tracefs);
    }

    private static Tracefs configuredTracefs(String path) throws UserEventsUnavailableException {
        if (!Files.isDirectory(Paths.get(path))) {
            throw new UserEventsUnavailableException(UserEventsUnavailableException.Reason.TRACEFS_NOT_MOUNTED,
                "agent option tracefs=" + path + " is not a folder: point it at the tracefs mount point "
                    + "(usually /sys/kernel/tracing), or leave it out to find tracefs automatically");
        }
        return Tracefs.at(Paths.get(path));
    }

    @Override
    public synchronized long allocateEnableWord() {
        EnableWord word = arena.allocate(ENABLE_SIZE, ENABLE_BIT);
        allocated.put(word.address(), word);
        return word.address();
    }

    @Override
    public synchronized Registered register(EventFormat format, long enableWordAddress) throws RegistrationException {
        EnableWord word = allocated.remove(enableWordAddress);
        if (word == null) {
            throw new IllegalArgumentException("enable word 0x" + Long.toHexString(enableWordAddress)
                + " was not allocated by this backend, or is registered already");
        }
        return registerWord(format, word);
    }

    @Override
    public synchronized Registered registerOnBit(EventFormat format, long enableWordAddress, int bit)
            throws RegistrationException {
        if (allocated.remove(enableWordAddress) != null) {
            shared.add(enableWordAddress);
        } else if (!shared.contains(enableWordAddress)) {
            throw new IllegalArgumentException("enable word 0x" + Long.toHexString(enableWordAddress)
                + " was not allocated by this backend");
        }
        return registerWord(format, EnableWord.at(enableWordAddress, ENABLE_SIZE, bit));
    }

    private Registered registerWord(EventFormat format, EnableWord word) throws RegistrationException {
        int flags = multiFormat ? UserEventsAbi.REG_MULTI_FORMAT | (simulateNoMultiFormat ? UNKNOWN_FLAG : 0) : 0;
        Registration registration;
        if (persist && !persistRefused) {
            try {
                registration = file.register(format, word, flags | UserEventsAbi.REG_PERSIST);
            } catch (RegistrationException e) {
                if (e.errno() != Errno.EPERM && e.errno() != Errno.EACCES) {
                    throw e;
                }
                persistRefused = true;
                AgentLog.warn("persist=true: the kernel refused USER_EVENT_REG_PERSIST for event " + format.name()
                    + " (" + Errno.describe(e.errno()) + "): persistent events need CAP_PERFMON or CAP_SYS_ADMIN;"
                    + " run the JVM as root or with CAP_PERFMON, or drop persist; events are registered without it"
                    + " and vanish when the JVM exits");
                registration = file.register(format, word, flags);
            }
        } else {
            registration = file.register(format, word, flags);
        }
        if (multiFormat && (registration.flags() & UserEventsAbi.REG_MULTI_FORMAT) == 0 && !flagRefusalLogged) {
            flagRefusalLogged = true;
            AgentLog.warn("the kernel refused USER_EVENT_REG_MULTI_FORMAT (Linux 6.10+ has it); events are registered in "
                + UserEventsAbi.SYSTEM + " without it" + (persist ? " (and without persist)" : "")
                + ", so a name already registered with another format conflicts");
        } else if (persist && !persistRefused && (registration.flags() & UserEventsAbi.REG_PERSIST) == 0) {
            persistRefused = true; // a kernel without the flag (EINVAL): the shim registered without flags
            AgentLog.warn("persist=true: the kernel refused USER_EVENT_REG_PERSIST (EINVAL: a kernel older than the"
                + " flag); events are registered without it and vanish when the JVM exits");
        }
        registered.add(word);
        return new Registered(word.address(), registration.writeIndex(), registration.system());
    }

    @Override
    public boolean namesCarrySeveralFormats() {
        return multiFormat;
    }

    @Override
    public EventSink sink() {
        return sink;
    }

    @Override
    public String describe() {
        return "user_events at " + file.origin() + ", writes through " + sink.name();
    }

    @Override
    public synchronized void close() {
        for (EnableWord word : registered) {
            try {
                file.unregister(word);
            } catch (RegistrationException e) {
                AgentLog.debug(String.valueOf(e.getMessage()));
            }
        }
        registered.clear();
        // The file stays open: threads still inside a probe may write; the kernel closes it at exit.
    }
}
