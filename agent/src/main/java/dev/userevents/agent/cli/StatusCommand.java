package dev.userevents.agent.cli;

import dev.userevents.shim.EnableWordArena;
import dev.userevents.shim.EventFormat;
import dev.userevents.shim.Tracefs;
import dev.userevents.shim.UserEventsAbi;
import dev.userevents.shim.UserEventsDataFile;
import dev.userevents.shim.UserEventsUnavailableException;
import dev.userevents.shim.hotpath.NativeWords;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code status}: what a user needs to know before tracing. Exit 0 when this user can register events. */
final class StatusCommand {
    private final PrintStream out;

    StatusCommand(PrintStream out) {
        this.out = out;
    }

    int run() throws Cli.CommandFailedException {
        out.println("kernel:        " + System.getProperty("os.name") + " " + System.getProperty("os.version"));
        out.println("java:          " + System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")");
        out.println("enable words:  read with " + NativeWords.accessName());
        Tracefs tracefs;
        try {
            tracefs = Tracefs.locate();
        } catch (UserEventsUnavailableException e) {
            out.println("user_events:   unavailable");
            throw new Cli.CommandFailedException("user_events unavailable: " + e.getMessage());
        }
        out.println("tracefs:       " + tracefs.root());
        out.println("user_events:   " + tracefs.dataFile());
        checkRegistration(tracefs);
        listEvents(tracefs);
        return 0;
    }

    /** Registers and removes a throwaway event: the only sure way to know this user may register. */
    private void checkRegistration(Tracefs tracefs) throws Cli.CommandFailedException {
        try (UserEventsDataFile file = UserEventsDataFile.open(tracefs)) {
            String name = "userevents_status_" + ProcessHandle.current().pid();
            var word = new EnableWordArena().allocate(4, 0);
            file.register(EventFormat.named(name).u8("probe"), word);
            file.unregister(word);
            out.println("can register:  yes (as uid " + uid() + ")");
        } catch (UserEventsUnavailableException e) {
            out.println("can register:  no");
            throw new Cli.CommandFailedException(String.valueOf(e.getMessage()));
        } catch (Exception e) {
            out.println("can register:  no");
            throw new Cli.CommandFailedException("registering a test event failed: " + e.getMessage());
        }
    }

    private void listEvents(Tracefs tracefs) {
        List<String> lines;
        try {
            lines = Files.readAllLines(tracefs.statusFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            out.println("events:        cannot read " + tracefs.statusFile() + ": " + e.getMessage());
            return;
        }
        out.println("events (" + UserEventsAbi.SYSTEM + ", and " + UserEventsAbi.MULTI_SYSTEM + " as NAME.<id>, from "
            + Tracefs.STATUS_FILE + "):");
        int shown = 0;
        for (String line : lines) {
            if (line.isEmpty() || line.startsWith("Active:") || line.startsWith("Busy:")
                || line.startsWith("userevents_status_")) {
                continue;
            }
            // "name # Used by ftrace perf": the kernel's view of who listens (user_seq_show()).
            int mark = line.indexOf(" # Used by ");
            String name = mark < 0 ? line : line.substring(0, mark);
            String listeners = mark < 0 ? "nobody listening" : "listened to by" + line.substring(mark + " # Used by".length());
            out.printf("  %-40s %s%n", name, listeners);
            shown++;
        }
        if (shown == 0) {
            out.println("  (none registered)");
        } else {
            out.println("persistent events stay until removed: echo '!u:NAME FIELDS' >> " + tracefs.root().resolve(
                "dynamic_events") + " ('list' prints each event's command)");
        }
    }

    private static String uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+", -1)[1];
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through
        }
        return System.getProperty("user.name");
    }
}
