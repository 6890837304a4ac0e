package dev.userevents.shim;

import dev.userevents.shim.hotpath.DowncallEventSink;
import dev.userevents.shim.hotpath.EventSink;
import dev.userevents.shim.hotpath.NativeWords;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Run by {@link DowncallSinkTest} in a JDK 22+ process: writes {@code args[1]} to the file {@code args[0]}
 * through a downcall sink, then writes to a closed descriptor, and prints what each write returned.
 */
public final class DowncallSinkCheck {
    public static void main(String[] args) throws Exception {
        int fd = Libc.open(args[0], Libc.O_RDWR | Libc.O_CLOEXEC);
        byte[] text = args[1].getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
        buffer.put(text).clear();
        long address = NativeWords.addressOf(buffer);

        EventSink sink = DowncallEventSink.wrap(ForeignWrite.linkWrite(false), fd, null);
        long total = 0;
        for (int i = 0; i < 100_000; i++) { // enough calls for the JIT to compile the downcall in
            total += sink.write(buffer, address, text.length);
        }
        System.out.println("written=" + sink.write(buffer, address, text.length) + " total=" + total);

        int closed = Libc.open("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC);
        Libc.close(closed);
        EventSink errnoSource = new EventSink() {
            @Override
            public long write(ByteBuffer b, long a, int length) {
                long written = Libc.write(closed, a, length);
                return written >= 0 ? written : -Libc.errno();
            }

            @Override
            public String name() {
                return "jna";
            }
        };
        System.out.println("closed=" + DowncallEventSink.wrap(ForeignWrite.linkWrite(false), closed, errnoSource)
            .write(buffer, address, text.length));
        System.out.println("unknown=" + DowncallEventSink.wrap(ForeignWrite.linkWrite(true), closed, null)
            .write(buffer, address, text.length));
    }
}
