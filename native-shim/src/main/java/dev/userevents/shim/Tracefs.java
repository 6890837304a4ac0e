package dev.userevents.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Where tracefs is mounted and whether it offers user_events.
 *
 * <p>Looks at the two usual mount points, then at every tracefs line of {@code /proc/self/mounts}.
 * A tracefs without {@code user_events_data} means the kernel was built without
 * {@code CONFIG_USER_EVENTS} (Linux 6.4+ has the option; many distribution kernels leave it off).
 */
public final class Tracefs {
    /** Where tracefs is mounted on current systems (Linux 4.1+). */
    public static final Path DEFAULT_ROOT = Paths.get("/sys/kernel/tracing");
    /** Where older systems reach tracefs, automounted inside debugfs. */
    public static final Path DEBUGFS_ROOT = Paths.get("/sys/kernel/debug/tracing");
    /** The file events are registered through and written to ({@code user_data_fops}). */
    public static final String DATA_FILE = "user_events_data";
    /** The kernel's list of user_events and who listens to each ({@code user_seq_show()}). */
    public static final String STATUS_FILE = "user_events_status";

    private final Path root;

    private Tracefs(Path root) {
        this.root = root;
    }

    /**
     * A tracefs at a known root, not checked: for tests and explicit configuration.
     *
     * @param root the mount point, such as {@link #DEFAULT_ROOT}
     * @return the tracefs there; whether it offers user_events shows when its data file is opened
     */
    public static Tracefs at(Path root) {
        return new Tracefs(root);
    }

    /**
     * Finds the tracefs that offers user_events, or says precisely why there is none.
     *
     * @return the first of {@link #DEFAULT_ROOT}, {@link #DEBUGFS_ROOT} and the tracefs mounts of
     *     {@code /proc/self/mounts} that holds {@link #DATA_FILE}
     * @throws UserEventsUnavailableException if none does: {@code KERNEL_WITHOUT_USER_EVENTS} when a tracefs
     *     is mounted without it, {@code PERMISSION_DENIED} when one is not readable by this user, else
     *     {@code TRACEFS_NOT_MOUNTED}
     */
    public static Tracefs locate() throws UserEventsUnavailableException {
        return locate(Paths.get("/proc/self/mounts"));
    }

    static Tracefs locate(Path mountsFile) throws UserEventsUnavailableException {
        List<Path> candidates = new ArrayList<>();
        candidates.add(DEFAULT_ROOT);
        candidates.add(DEBUGFS_ROOT);
        candidates.addAll(tracefsMounts(mountsFile));
        Path mountedWithoutUserEvents = null;
        Path unreadable = null;
        for (Path candidate : candidates) {
            if (Files.exists(candidate.resolve(DATA_FILE))) {
                return new Tracefs(candidate);
            }
            if (Files.isDirectory(candidate.resolve("events"))) {
                mountedWithoutUserEvents = candidate;
            } else if (Files.isDirectory(candidate) && !Files.isReadable(candidate) && unreadable == null) {
                unreadable = candidate;
            }
        }
        if (mountedWithoutUserEvents != null) {
            throw new UserEventsUnavailableException(UserEventsUnavailableException.Reason.KERNEL_WITHOUT_USER_EVENTS,
                "tracefs at " + mountedWithoutUserEvents + " has no " + DATA_FILE + ": kernel "
                    + System.getProperty("os.version") + " was built without CONFIG_USER_EVENTS; use Linux 6.4+ "
                    + "with CONFIG_USER_EVENTS=y (Debian's and Ubuntu's stock kernels leave it unset)");
        }
        if (unreadable != null) {
            throw new UserEventsUnavailableException(UserEventsUnavailableException.Reason.PERMISSION_DENIED,
                unreadable + " is not readable by this user: run as root, or mount tracefs with "
                    + "gid=<group>,mode=0750 and add this user to that group");
        }
        throw new UserEventsUnavailableException(UserEventsUnavailableException.Reason.TRACEFS_NOT_MOUNTED,
            "tracefs is not mounted (looked at " + DEFAULT_ROOT + ", " + DEBUGFS_ROOT + " and /proc/self/mounts): "
                + "mount it with 'mount -t tracefs nodev " + DEFAULT_ROOT + "', or, in a container, have a collector"
                + " that sees it hand " + DATA_FILE + " in (agent option dataSocket or dataFd)");
    }

    private static List<Path> tracefsMounts(Path mountsFile) {
        List<Path> mounts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(mountsFile, StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ", -1);
                if (parts.length > 2 && parts[2].equals("tracefs")) {
                    mounts.add(Paths.get(unescapeMountPath(parts[1])));
                }
            }
        } catch (IOException | RuntimeException e) {
            // No /proc: the fixed candidates are all we can look at.
        }
        return mounts;
    }

    /** /proc/self/mounts writes space, tab, newline and backslash as octal escapes. */
    static String unescapeMountPath(String escaped) {
        StringBuilder out = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '\\' && isOctal(escaped, i + 1)) {
                out.append((char) Integer.parseInt(escaped.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    /**
     * The mount point.
     *
     * @return the tracefs root folder
     */
    public Path root() {
        return root;
    }

    /**
     * The data file.
     *
     * @return {@code <root>/user_events_data}
     */
    public Path dataFile() {
        return root.resolve(DATA_FILE);
    }

    /**
     * The status file.
     *
     * @return {@code <root>/user_events_status}
     */
    public Path statusFile() {
        return root.resolve(STATUS_FILE);
    }

    /**
     * The folder holding {@code enable}, {@code filter} and {@code format} of one event.
     *
     * @param system {@link UserEventsAbi#SYSTEM} or {@link UserEventsAbi#MULTI_SYSTEM}
     * @param eventName the event name (in the multi-format system: {@code NAME.<hex id>})
     * @return {@code <root>/events/<system>/<eventName>}, which may not exist
     */
    public Path eventDir(String system, String eventName) {
        return root.resolve("events").resolve(system).resolve(eventName);
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
