package dev.userevents.agent.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.shim.DataSocket;
import dev.userevents.shim.UserEventsDataFile;
import dev.userevents.shim.UserEventsUnavailableException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The descriptor hand-over on any Linux host, user_events or not: the protocol against the test's own collector
 * ({@link DescriptorServer}), and the checks that refuse a descriptor that is not a writable
 * {@code user_events_data}, each with the message a user sees.
 */
class DataSocketHostTest {
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    @TempDir
    Path folder;

    @Test
    void theAgentSendsItsPidAndReceivesTheDescriptor() throws Exception {
        try (DescriptorServer server = DescriptorServer.serving(folder.resolve("ue.sock"), Paths.get("/dev/null"),
                DescriptorServer.O_WRONLY)) {
            int fd = DataSocket.receive(server.path().toString(), PATIENCE);

            assertTrue(fd > 2, "a new descriptor: " + fd);
            assertEquals("/dev/null", Files.readSymbolicLink(Paths.get("/proc/self/fd/" + fd)).toString());
            assertEquals(List.of(ProcessHandle.current().pid() + "\n"), server.linesReceived());
            UserEventsUnavailableException refused = assertThrows(UserEventsUnavailableException.class,
                () -> UserEventsDataFile.adopt(fd, "dataSocket=" + server.path()));
            assertEquals(UserEventsUnavailableException.Reason.BAD_DESCRIPTOR, refused.reason());
            assertEquals("dataSocket=" + server.path() + ": descriptor " + fd + " is /dev/null, not user_events_data;"
                + " hand over a descriptor of <tracefs>/user_events_data opened for writing", refused.getMessage());
        }
    }

    @Test
    void aReceivedDescriptorThatIsRefusedIsClosed() throws Exception {
        try (DescriptorServer server = DescriptorServer.serving(folder.resolve("ue.sock"), Paths.get("/dev/null"),
                DescriptorServer.O_WRONLY)) {
            long before = openDescriptorsOfDevNull();
            assertThrows(UserEventsUnavailableException.class,
                () -> DataSocket.receiveDataFile(server.path().toString(), PATIENCE));
            assertEquals(before, openDescriptorsOfDevNull(), "no descriptor of /dev/null left behind");
        }
    }

    @Test
    void aReadOnlyDescriptorIsRefusedBecauseEveryWriteWouldFail() throws Exception {
        try (DescriptorServer server = DescriptorServer.serving(folder.resolve("ue.sock"), Paths.get("/dev/null"), 0)) {
            UserEventsUnavailableException refused = assertThrows(UserEventsUnavailableException.class,
                () -> DataSocket.receiveDataFile(server.path().toString(), PATIENCE));

            assertTrue(refused.getMessage().matches("dataSocket=.*: descriptor \\d+ \\(/dev/null\\) is open read-only,"
                + " so the kernel refuses every event written to it; open user_events_data for writing \\(O_WRONLY\\)"),
                refused.getMessage());
        }
    }

    @Test
    void aClosedDescriptorNumberIsNamed() {
        UserEventsUnavailableException refused = assertThrows(UserEventsUnavailableException.class,
            () -> UserEventsDataFile.adopt(9999, "dataFd=9999"));

        assertEquals(UserEventsUnavailableException.Reason.BAD_DESCRIPTOR, refused.reason());
        assertEquals("dataFd=9999: descriptor 9999 is not open in this process (EBADF (9)); the launcher must keep it"
            + " open across exec (no close-on-exec, e.g. bash 'exec 7>>/sys/kernel/tracing/user_events_data' before"
            + " starting java)", refused.getMessage());
    }

    @Test
    void noSocketFileSaysToStartTheCollector() {
        Path missing = folder.resolve("missing.sock");
        UserEventsUnavailableException refused = assertThrows(UserEventsUnavailableException.class,
            () -> DataSocket.receive(missing.toString(), PATIENCE));

        assertEquals("dataSocket=" + missing + ": no socket there (ENOENT); start the collector that serves"
            + " user_events_data first, and mount its socket's folder into this container", refused.getMessage());
    }

    @Test
    void aSocketNobodyListensOnIsNamed() throws IOException {
        Path stale = folder.resolve("stale.sock");
        try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            gone.bind(UnixDomainSocketAddress.of(stale));
        }
        assertTrue(Files.exists(stale), "the socket file outlives its listener");

        UserEventsUnavailableException refused = assertThrows(UserEventsUnavailableException.class,
            () -> DataSocket.receive(stale.toString(), PATIENCE));

        assertEquals("dataSocket=" + stale + ": nobody listens on that socket (ECONNREFUSED); start the collector that"
            + " serves user_events_data", refused.getMessage());
    }

    @Test
    void aCollectorThatNeverAnswersIsGivenUpAfterTheTimeout() throws Exception {
        try (DescriptorServer server = DescriptorServer.silent(folder.resolve("ue.sock"))) {
            long start = System.nanoTime();
            UserEventsUnavailableException refused = assertThrows(UserEventsUnavailableException.class,
                () -> DataSocket.receive(server.path().toString(), Duration.ofMillis(300)));
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertEquals("dataSocket=" + server.path() + ": no answer within 300 ms; the collector must answer this"
                + " process's id with a descriptor of user_events_data (SCM_RIGHTS)", refused.getMessage());
            assertTrue(millis >= 250 && millis < 3_000, "gave up after " + millis + " ms");
        }
    }

    @Test
    void aCollectorsRefusalTextIsQuoted() throws Exception {
        try (DescriptorServer server = DescriptorServer.refusing(folder.resolve("ue.sock"), "pid not in an allowed cgroup\n")) {
            UserEventsUnavailableException refused = assertThrows(UserEventsUnavailableException.class,
                () -> DataSocket.receive(server.path().toString(), PATIENCE));

            assertEquals("dataSocket=" + server.path() + ": the collector answered without a descriptor: 'pid not in an"
                + " allowed cgroup'; it must send one descriptor of user_events_data with SCM_RIGHTS", refused.getMessage());
        }
    }

    @Test
    void aPathTooLongForAUnixSocketIsRefusedBeforeConnecting() {
        String path = "/" + "x".repeat(120);
        UserEventsUnavailableException refused = assertThrows(UserEventsUnavailableException.class,
            () -> DataSocket.receive(path, PATIENCE));

        assertFalse(refused.getMessage().contains("connect"), refused.getMessage());
        assertTrue(refused.getMessage().endsWith("a Unix socket path has 1 to 107 bytes; use a shorter path"),
            refused.getMessage());
    }

    private static long openDescriptorsOfDevNull() throws IOException {
        try (var fds = Files.list(Paths.get("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals("/dev/null");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }
}
