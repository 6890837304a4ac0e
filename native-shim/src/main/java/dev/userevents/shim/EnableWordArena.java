package dev.userevents.shim;

import dev.userevents.shim.hotpath.Errno;
import dev.userevents.shim.hotpath.NativeWords;

/**
 * Hands out enable words from anonymous pages that are never unmapped: a registered word must stay
 * mapped until {@code DIAG_IOCSUNREG}, and keeping the pages for the life of the process makes that
 * true even if an unregister is missed (a JVM killed mid-shutdown). Each word gets its own 8-byte slot,
 * so 4- and 8-byte words are both naturally aligned. Pages are written once before any word is handed
 * out, so the kernel never has to fault a page in while updating a word.
 *
 * <p>Thread-safe; allocation is rare (once per probe) and takes a lock.
 */
public final class EnableWordArena {
    private static final int SLOT_SIZE = 8;

    private final long pageSize;
    private long chunkBase;
    private long chunkEnd;
    private long next;

    public EnableWordArena() {
        this.pageSize = Libc.getpagesize();
    }

    /** A word of {@code size} bytes (4 or 8) whose {@code bit} the kernel will set. */
    public synchronized EnableWord allocate(int size, int bit) {
        if (next + SLOT_SIZE > chunkEnd) {
            mapChunk();
        }
        long address = next;
        next += SLOT_SIZE;
        return EnableWord.at(address, size, bit);
    }

    private void mapChunk() {
        long length = pageSize;
        long base = Libc.mmap(0, length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        if (base == Libc.MAP_FAILED || base == 0) {
            throw new IllegalStateException("mmap of " + length + " bytes for enable words failed: "
                + Errno.describe(Libc.errno()));
        }
        for (long offset = 0; offset < length; offset += SLOT_SIZE) {
            NativeWords.svLong(base + offset, 0L); // touch every page before the kernel sees it
        }
        chunkBase = base;
        chunkEnd = base + length;
        next = chunkBase;
    }

    /**
     * Maps a fresh page and returns its address without touching it, for tests that check the kernel
     * faults the page in when it sets a bit. The page is never unmapped.
     */
    public static long mapUntouchedPage() {
        long length = Libc.getpagesize();
        long base = Libc.mmap(0, length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        if (base == Libc.MAP_FAILED || base == 0) {
            throw new IllegalStateException("mmap failed: " + Errno.describe(Libc.errno()));
        }
        return base;
    }
}
