package dev.userevents.agent.runtime;

import dev.userevents.shim.hotpath.NativeWords;
import java.nio.ByteBuffer;

/** UTF-8 encoding straight into a buffer, without the JDK encoder's allocations. */
final class Utf8 {
    private Utf8() {
    }

    /**
     * Encodes {@code text} from {@code position} up to {@code end} (exclusive). Returns the position after
     * the last byte, or {@code -(position) - 1} when the text did not fit (position then stands after the
     * last whole character). NUL and unpaired surrogates become '?': the kernel's strings end at NUL, and a
     * lone surrogate has no UTF-8 form.
     */
    static int encode(String text, ByteBuffer buffer, long address, int position, int end) {
        int length = text.length();
        int i = 0;
        // ASCII (the common case) is one byte per char, so one range check up front covers it: copyAscii copies
        // the ASCII prefix without per-byte checks (8 bytes at a time from a compact String's own bytes) and is
        // small enough for the JIT to inline into the probe (the general loop below is not). The general loop
        // goes on from the first char that needs more bytes, or is NUL.
        if (length <= end - position && end <= buffer.capacity() && position >= 0) {
            i = NativeWords.copyAscii(text, length, address + position);
            position += i;
            if (i == length) {
                return position;
            }
        }
        return encodeFrom(text, i, buffer, position, end);
    }

    /** The general case, from char {@code i} on: bounds-checked buffer puts, every width. */
    private static int encodeFrom(String text, int from, ByteBuffer buffer, int position, int end) {
        int length = text.length();
        for (int i = from; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80 && c != 0) {
                if (position >= end) {
                    return -position - 1;
                }
                buffer.put(position++, (byte) c);
            } else if (c < 0x800 && c != 0) {
                if (position + 2 > end) {
                    return -position - 1;
                }
                buffer.put(position++, (byte) (0xC0 | (c >> 6)));
                buffer.put(position++, (byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (position + 4 > end) {
                    return -position - 1;
                }
                int codePoint = Character.toCodePoint(c, text.charAt(++i));
                buffer.put(position++, (byte) (0xF0 | (codePoint >> 18)));
                buffer.put(position++, (byte) (0x80 | ((codePoint >> 12) & 0x3F)));
                buffer.put(position++, (byte) (0x80 | ((codePoint >> 6) & 0x3F)));
                buffer.put(position++, (byte) (0x80 | (codePoint & 0x3F)));
            } else if (c == 0 || Character.isSurrogate(c)) {
                if (position >= end) {
                    return -position - 1;
                }
                buffer.put(position++, (byte) '?');
            } else {
                if (position + 3 > end) {
                    return -position - 1;
                }
                buffer.put(position++, (byte) (0xE0 | (c >> 12)));
                buffer.put(position++, (byte) (0x80 | ((c >> 6) & 0x3F)));
                buffer.put(position++, (byte) (0x80 | (c & 0x3F)));
            }
        }
        return position;
    }
}
