package dev.userevents.agent.weave;

import java.nio.charset.StandardCharsets;

/**
 * A cheap look at raw class files, so the agent parses only the classes that can contain probes. An
 * annotation's type appears in the constant pool as its descriptor ({@code Ldev/userevents/Tracepoint;})
 * in modified UTF-8, which for ASCII is the plain bytes: a class that lacks those bytes has no
 * {@code @Tracepoint} method.
 */
public final class ClassBytes {
    /** {@code Ldev/userevents/Tracepoint;} in ASCII, as the constant pool holds it. */
    public static final byte[] TRACEPOINT_DESCRIPTOR = "Ldev/userevents/Tracepoint;".getBytes(StandardCharsets.US_ASCII);

    private ClassBytes() {
    }

    /**
     * Whether the class file may have a {@code @Tracepoint} method.
     *
     * @param classFile a class file
     * @return false when its bytes lack the annotation's descriptor; true otherwise
     */
    public static boolean mentionsTracepoint(byte[] classFile) {
        return indexOf(classFile, TRACEPOINT_DESCRIPTOR) >= 0;
    }

    /** Whether the class file holds {@code ascii} (a descriptor such as {@code Lcom/acme/Traced;}) anywhere. */
    static boolean mentions(byte[] classFile, String ascii) {
        return indexOf(classFile, ascii.getBytes(StandardCharsets.US_ASCII)) >= 0;
    }

    /**
     * Where {@code needle} first occurs in {@code haystack}.
     *
     * @param haystack the bytes searched
     * @param needle   the bytes looked for, at least one
     * @return the index of the first occurrence; -1 if none
     */
    public static int indexOf(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
