package dev.userevents.shim;

import dev.userevents.shim.hotpath.Errno;

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

    /** An arena with no pages yet: the first {@link #allocate} maps one. */
    public EnableWordArena() {
        this.pageSize = Libc.getpagesize();
    }

    /**
     * A word of {@code size} bytes whose {@code bit} the kernel will set, in an 8-byte slot of its own. Maps
     * a new page ({@code mmap}, anonymous, private) when the current one is used up.
     *
     * @param size the word's size in bytes: 4 or 8
     * @param bit the bit within the word: 0 to {@code size * 8 - 1}
     * @return a zeroed word, mapped until the process exits
     * @throws IllegalStateException if {@code mmap} of a new page fails; the message carries the errno
     * @throws IllegalArgumentException if size or bit break {@link EnableWord#at}'s rules
     */
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
            EnableWordStores.storeLong(base + offset, 0L); // touch every page before the kernel sees it
        }
        chunkBase = base;
        chunkEnd = base + length;
        next = chunkBase;
    }

    /**
     * Maps a fresh page and returns its address without touching it, for tests that check the kernel
     * faults the page in when it sets a bit. The page is never unmapped.
     *
     * @return the page's address, aligned to the page size ({@code getpagesize()} bytes)
     * @throws IllegalStateException if {@code mmap} fails; the message carries the errno
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
