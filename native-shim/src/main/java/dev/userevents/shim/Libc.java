package dev.userevents.shim;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * libc through JNA direct mapping: native methods bound once, called without reflection or
 * argument boxing. Every function returns the raw C result; on failure read {@link #errno()}
 * immediately, on the same thread (JNA saves errno per thread right after each call).
 *
 * <p>Pointers are passed as {@code long} addresses so no {@code Pointer} object is created per call.
 */
final class Libc {
    static final int O_RDWR = 0x2;
    static final int O_CLOEXEC = 0x80000;

    static final int PROT_READ = 0x1;
    static final int PROT_WRITE = 0x2;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_ANONYMOUS = 0x20;
    static final long MAP_FAILED = -1L;

    static {
        Native.register(NativeLibrary.getInstance("c"));
    }

    private Libc() {
    }

    static native int open(String path, int flags);

    static native int close(int fd);

    /** {@code int ioctl(int fd, unsigned long request, void *arg)}. */
    static native int ioctl(int fd, long request, long arg);

    /** {@code ssize_t write(int fd, const void *buf, size_t count)}. */
    static native long write(int fd, long buf, long count);

    static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    static native int munmap(long addr, long length);

    static native long getpagesize();

    static int errno() {
        return Native.getLastError();
    }
}
