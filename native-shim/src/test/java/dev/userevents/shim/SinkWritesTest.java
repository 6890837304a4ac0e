package dev.userevents.shim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.shim.hotpath.ChannelEventSink;
import dev.userevents.shim.hotpath.Errno;
import dev.userevents.shim.hotpath.EventSink;
import dev.userevents.shim.hotpath.JdkPwriteEventSink;
import dev.userevents.shim.hotpath.NativeWords;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK-based sinks write exactly the buffer's bytes at offset 0 of a descriptor opened elsewhere, from
 * many threads at once, and report errno of a failed write through their errno source.
 */
class SinkWritesTest {
    @TempDir
    Path folder;
    private Path file;
    private int fd;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
    private final long address = NativeWords.addressOf(buffer);

    @BeforeEach
    void openFile() throws Exception {
        file = Files.createFile(folder.resolve("events"));
        fd = Libc.open(file.toString(), Libc.O_RDWR | Libc.O_CLOEXEC);
        assertTrue(fd >= 0, "open: errno " + Libc.errno());
    }

    @AfterEach
    void closeFile() {
        Libc.close(fd);
    }

    @Test
    void channelWritesTheBufferAtOffsetZero() throws Exception {
        assertWritesAtOffsetZero(ChannelEventSink.wrap(fd, errnoSource(fd)));
    }

    @Test
    void pwriteWritesTheBufferAtOffsetZero() throws Exception {
        assertWritesAtOffsetZero(JdkPwriteEventSink.wrap(fd, errnoSource(fd)));
    }

    @Test
    void channelReportsErrnoOfAFailedWrite() {
        assertReportsEbadf(closedFd -> ChannelEventSink.wrap(closedFd, errnoSource(closedFd)));
    }

    @Test
    void pwriteReportsErrnoOfAFailedWrite() {
        assertReportsEbadf(closedFd -> JdkPwriteEventSink.wrap(closedFd, errnoSource(closedFd)));
    }

    @Test
    void withoutAnErrnoSourceAFailureIsUnknown() {
        int closed = closedDescriptor();
        put("x");
        assertEquals(EventSink.UNKNOWN_ERROR, JdkPwriteEventSink.wrap(closed, null).write(buffer, address, 1));
        assertEquals(EventSink.UNKNOWN_ERROR, ChannelEventSink.wrap(closed, null).write(buffer, address, 1));
    }

    @Test
    void channelAndPwriteSurviveManyThreadsAtOnce() throws Exception {
        for (EventSink sink : List.of(ChannelEventSink.wrap(fd, null), JdkPwriteEventSink.wrap(fd, null))) {
            AtomicInteger failures = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                threads.add(new Thread(() -> {
                    ByteBuffer own = ByteBuffer.allocateDirect(64);
                    long ownAddress = NativeWords.addressOf(own);
                    own.put(0, (byte) 'e');
                    for (int i = 0; i < 2_000; i++) {
                        if (sink.write(own, ownAddress, 8) != 8) {
                            failures.incrementAndGet();
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(0, failures.get(), sink.name() + ": failed writes");
        }
    }

    @Test
    void foreignWriteNeedsJdk22() {
        if (Runtime.version().feature() >= 22) {
            return; // DowncallSinkTest covers 22+ in a JDK 25 process
        }
        assertThrows(UnsupportedOperationException.class, () -> ForeignWrite.linkWrite(true));
    }

    private void assertWritesAtOffsetZero(EventSink sink) throws Exception {
        assertNotNull(sink, "the JDK refused the sink (test JVM needs --add-opens java.base/java.io and sun.nio.ch)");
        byte[] first = put("first event, longer");
        assertEquals(first.length, sink.write(buffer, address, first.length));
        assertArrayEquals(first, Files.readAllBytes(file));
        byte[] second = put("second");
        assertEquals(second.length, sink.write(buffer, address, second.length));
        byte[] expected = "secondevent, longer".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(expected, Files.readAllBytes(file), "a second write lands at offset 0 too");
    }

    private void assertReportsEbadf(IntFunction<EventSink> sinkOnClosedDescriptor) {
        EventSink sink = sinkOnClosedDescriptor.apply(closedDescriptor());
        assertNotNull(sink);
        byte[] bytes = put("lost");
        assertEquals(-Errno.EBADF, sink.write(buffer, address, bytes.length));
    }

    private int closedDescriptor() {
        int spare = Libc.open("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC);
        Libc.close(spare);
        return spare;
    }

    private byte[] put(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        buffer.clear();
        buffer.put(bytes).clear();
        return bytes;
    }

    /** write() through JNA on {@code fd}, answering -errno: what the agent gives every JDK sink. */
    private static EventSink errnoSource(int fd) {
        return new EventSink() {
            @Override
            public long write(ByteBuffer buffer, long address, int length) {
                long written = Libc.write(fd, address, length);
                return written >= 0 ? written : -Libc.errno();
            }

            @Override
            public String name() {
                return "jna-test";
            }
        };
    }
}
