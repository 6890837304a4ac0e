package dev.userevents.shim.hotpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.shim.hotpath.KernelErrors.Operation;
import org.junit.jupiter.api.Test;

/** The errno table against kernel/trace/trace_events_user.c (6.12): what is transient, and what each says. */
class KernelErrorsTest {
    @Test
    void writeErrnosThatPassByThemselvesAreTransient() {
        for (int errno : new int[] {Errno.EBADF, Errno.EFAULT, Errno.EINTR, Errno.EAGAIN}) {
            assertTrue(KernelErrors.of(Operation.WRITE, errno).isTransient(), Errno.name(errno));
        }
    }

    @Test
    void writeErrnosThatWouldRepeatArePermanent() {
        for (int errno : new int[] {Errno.EINVAL, Errno.ENOENT, Errno.EPERM, Errno.ENOSPC}) {
            assertFalse(KernelErrors.of(Operation.WRITE, errno).isTransient(), Errno.name(errno));
        }
    }

    @Test
    void everyRegisterErrnoIsPermanentAndNamesAFix() {
        for (int errno : new int[] {Errno.EMFILE, Errno.EADDRINUSE, Errno.EINVAL, Errno.E2BIG, Errno.EFAULT,
                Errno.ENOMEM, Errno.EPERM, Errno.EACCES}) {
            KernelErrors.Meaning meaning = KernelErrors.of(Operation.REGISTER, errno);
            assertFalse(meaning.isTransient(), Errno.name(errno));
            assertFalse(meaning.cause().isEmpty() || meaning.fix().isEmpty(), Errno.name(errno));
        }
    }

    @Test
    void theEventLimitIsNamedWithTheSysctlThatRaisesIt() {
        assertEquals("EMFILE (24): the kernel's limit on user_events (sysctl kernel.user_events_max, for the whole"
            + " machine) is reached; raise it, e.g. 'sysctl -w kernel.user_events_max=65536', or trace fewer methods",
            KernelErrors.describe(Operation.REGISTER, Errno.EMFILE));
    }

    @Test
    void unregisterAndDeleteErrnosSayWhatHappened() {
        assertTrue(KernelErrors.describe(Operation.UNREGISTER, Errno.ENOENT).contains("no registration at that enable word"));
        assertTrue(KernelErrors.describe(Operation.DELETE, Errno.EBUSY).contains("still registered by a process or enabled"));
        assertTrue(KernelErrors.describe(Operation.DELETE, Errno.EPERM).contains("CAP_PERFMON"));
    }

    @Test
    void anErrnoTheKernelDoesNotReturnThereIsReportedByName() {
        KernelErrors.Meaning meaning = KernelErrors.of(Operation.WRITE, Errno.EADDRINUSE);
        assertFalse(meaning.isTransient());
        assertTrue(meaning.cause().contains("EADDRINUSE") && meaning.fix().startsWith("report it"), meaning.cause());
    }
}
