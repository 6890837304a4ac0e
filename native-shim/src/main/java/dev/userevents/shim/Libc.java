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
    static final int O_RDONLY = 0x0;
    static final int O_WRONLY = 0x1;
    static final int O_RDWR = 0x2;
    static final int O_ACCMODE = 0x3;
    static final int O_CLOEXEC = 0x80000;

    static final int F_SETFD = 2;
    static final int F_GETFL = 3;
    static final int FD_CLOEXEC = 1;

    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SCM_RIGHTS = 1;
    static final int SO_RCVTIMEO = 20;
    static final int SO_SNDTIMEO = 21;
    static final int MSG_CTRUNC = 0x8;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int MSG_CMSG_CLOEXEC = 0x40000000;

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

    /** {@code int fcntl(int fd, int cmd, int arg)}: the commands used here take an int or nothing. */
    static native int fcntl(int fd, int cmd, int arg);

    static native int socket(int domain, int type, int protocol);

    /** {@code int connect(int fd, const struct sockaddr *addr, socklen_t len)}. */
    static native int connect(int fd, long addr, int length);

    /** {@code int setsockopt(int fd, int level, int name, const void *value, socklen_t length)}. */
    static native int setsockopt(int fd, int level, int name, long value, int length);

    /** {@code ssize_t send(int fd, const void *buf, size_t count, int flags)}. */
    static native long send(int fd, long buf, long count, int flags);

    /** {@code ssize_t recvmsg(int fd, struct msghdr *msg, int flags)}. */
    static native long recvmsg(int fd, long msg, int flags);

    static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    static native int munmap(long addr, long length);

    static native long getpagesize();

    static int errno() {
        return Native.getLastError();
    }
}
