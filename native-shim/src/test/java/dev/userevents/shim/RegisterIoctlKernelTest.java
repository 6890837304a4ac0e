package dev.userevents.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.userevents.shim.hotpath.Errno;
import dev.userevents.testing.KernelTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel's own checks of {@code struct user_reg} ({@code user_reg_get()}), reached with a raw
 * {@code DIAG_IOCSREG} that bypasses {@link EnableWord#at}: proof that the rules {@link EnableWord} enforces
 * are the kernel's, and that the errors the public API reports are the kernel's answers.
 */
@KernelTest
class RegisterIoctlKernelTest {
    private final RegisteredEvents events = new RegisteredEvents();
    private final Memory words = new Memory(64);

    {
        words.clear();
    }

    @AfterEach
    void cleanUp() {
        events.close();
    }

    @Test
    void wellFormedRawRegistrationSucceeds() throws Exception {
        UserEventsDataFile file = events.open();
        long address = alignedBase();

        int errno = rawRegister(file, RegisteredEvents.uniqueName("raw_ok") + " u32 value", address, 8, 0, 0);

        assertEquals(0, errno, Errno.describe(errno));
    }

    @Test
    void kernelRefusesAMisalignedEnableAddressWithEinval() throws Exception {
        UserEventsDataFile file = events.open();

        int errno = rawRegister(file, RegisteredEvents.uniqueName("raw_misaligned") + " u32 value",
            alignedBase() + 2, 4, 0, 0);

        assertEquals(Errno.EINVAL, errno, Errno.describe(errno));
    }

    @Test
    void kernelRefusesAnEightByteWordAlignedOnlyToFourWithEinval() throws Exception {
        UserEventsDataFile file = events.open();

        int errno = rawRegister(file, RegisteredEvents.uniqueName("raw_half_aligned") + " u32 value",
            alignedBase() + 4, 8, 0, 0);

        assertEquals(Errno.EINVAL, errno, Errno.describe(errno));
    }

    @Test
    void kernelRefusesEnableSizeTwoWithEinval() throws Exception {
        UserEventsDataFile file = events.open();

        int errno = rawRegister(file, RegisteredEvents.uniqueName("raw_size2") + " u32 value", alignedBase(), 2, 0, 0);

        assertEquals(Errno.EINVAL, errno, Errno.describe(errno));
    }

    @Test
    void kernelRefusesBitThirtyTwoOfAFourByteWordWithEinval() throws Exception {
        UserEventsDataFile file = events.open();

        int errno = rawRegister(file, RegisteredEvents.uniqueName("raw_bit32") + " u32 value", alignedBase(), 4, 32, 0);

        assertEquals(Errno.EINVAL, errno, Errno.describe(errno));
    }

    @Test
    void kernelRefusesUnknownRegistrationFlagsWithEinval() throws Exception {
        UserEventsDataFile file = events.open();

        int errno = rawRegister(file, RegisteredEvents.uniqueName("raw_flags") + " u32 value", alignedBase(), 8, 0,
            1 << 2);

        assertEquals(Errno.EINVAL, errno, Errno.describe(errno));
    }

    @Test
    void unmappedEnableAddressIsRefusedWithEnomemNamingTheWord() throws Exception {
        // access_ok() passes; the kernel then fails to fault the page in, frees the enabler and
        // user_events_ioctl_reg() reports the missing enabler as ENOMEM, not EFAULT.
        UserEventsDataFile file = events.open();
        EnableWord unmapped = EnableWord.at(0x1000, 8, 0);  // below vm.mmap_min_addr: never mapped
        EventFormat format = EventFormat.named(RegisteredEvents.uniqueName("unmapped")).u32("value");

        RegistrationException e = assertThrows(RegistrationException.class, () -> events.register(file, format, unmapped));

        assertEquals(Errno.ENOMEM, e.errno());
        assertTrue(e.getMessage().contains(unmapped.toString()) && e.getMessage().contains("mapped and writable"),
            e.getMessage());
    }

    @Test
    void kernelAddressAsEnableWordIsRefusedWithEfaultNamingTheWord() throws Exception {
        // access_ok() in user_reg_get() refuses addresses outside user space.
        UserEventsDataFile file = events.open();
        EnableWord kernelSpace = EnableWord.at(0xffff_8880_0000_0000L, 8, 0);
        EventFormat format = EventFormat.named(RegisteredEvents.uniqueName("kernel_space")).u32("value");

        RegistrationException e = assertThrows(RegistrationException.class,
            () -> events.register(file, format, kernelSpace));

        assertEquals(Errno.EFAULT, e.errno());
        assertTrue(e.getMessage().contains(kernelSpace.toString()) && e.getMessage().contains("mapped and writable"),
            e.getMessage());
    }

    @Test
    void unknownFieldTypeIsRefusedWithEinvalNamingTheEvent() throws Exception {
        UserEventsDataFile file = events.open();
        String name = RegisteredEvents.uniqueName("raw_long");

        // "long" is refused by user_field_size(): its size differs between 32- and 64-bit processes.
        int errno = rawRegister(file, name + " long value", alignedBase(), 8, 0, 0);

        assertEquals(Errno.EINVAL, errno, Errno.describe(errno));
    }

    private long alignedBase() {
        return (Pointer.nativeValue(words) + 7) & ~7L;
    }

    /**
     * DIAG_IOCSREG with a hand-built struct user_reg; 0 or the errno. A registration that succeeds is
     * unregistered at once, so the kernel never writes into {@link #words} after the test frees it.
     */
    private static int rawRegister(UserEventsDataFile file, String command, long enableAddress, int enableSize,
            int enableBit, int flags) {
        byte[] text = command.getBytes(StandardCharsets.UTF_8);
        Memory name = new Memory(text.length + 1L);
        name.write(0, text, 0, text.length);
        name.setByte(text.length, (byte) 0);
        Memory reg = new Memory(28);
        reg.clear();
        reg.setInt(0, 28);
        reg.setByte(4, (byte) enableBit);
        reg.setByte(5, (byte) enableSize);
        reg.setShort(6, (short) flags);
        reg.setLong(8, enableAddress);
        reg.setLong(16, Pointer.nativeValue(name));
        int result = Libc.ioctl(file.fd(), 0xC0082A00L, Pointer.nativeValue(reg));
        int errno = result < 0 ? Libc.errno() : 0;
        java.lang.ref.Reference.reachabilityFence(name);
        if (result == 0) {
            Memory unreg = new Memory(16);
            unreg.clear();
            unreg.setInt(0, 16);
            unreg.setByte(4, (byte) enableBit);
            unreg.setLong(8, enableAddress);
            Libc.ioctl(file.fd(), 0x40082A02L, Pointer.nativeValue(unreg));
        }
        return errno;
    }
}
