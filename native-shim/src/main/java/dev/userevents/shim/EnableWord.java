package dev.userevents.shim;

import dev.userevents.shim.hotpath.NativeWords;

/**
 * A word of native memory whose bit the kernel sets while a tracer has the event enabled.
 *
 * <p>The kernel's rules ({@code user_reg_get()}): size 4 or 8, bit 0..31 or 0..63, the address naturally
 * aligned and writable, and mapped for as long as the registration lives (unregister with
 * {@code DIAG_IOCSUNREG} before the memory is ever freed). The bit number counts in the native-endian
 * integer, not in bytes: bit 0 of a 4-byte word is the value 1.
 */
public final class EnableWord {
    private final long address;
    private final int size;
    private final int bit;

    private EnableWord(long address, int size, int bit) {
        this.address = address;
        this.size = size;
        this.bit = bit;
    }

    /**
     * A word at an address the caller keeps mapped; checked against the kernel's rules ({@code user_reg_get()}
     * and {@code user_event_enabler_create()} in {@code kernel/trace/trace_events_user.c}).
     *
     * @param address the word's virtual address in this process, non-zero and a multiple of {@code size}
     * @param size the word's size in bytes: 4 or 8
     * @param bit the bit the kernel sets, counted from the least significant: 0 to {@code size * 8 - 1}
     * @return the word; nothing is read or written yet
     * @throws IllegalArgumentException if the size is not 4 or 8, the bit does not fit the word, or the address
     *     is 0 or not naturally aligned; the message names the value and the rule
     */
    public static EnableWord at(long address, int size, int bit) {
        if (size != 4 && size != 8) {
            throw new IllegalArgumentException("enable size " + size + " at 0x" + Long.toHexString(address)
                + ": the kernel takes 4 or 8 bytes");
        }
        if (bit < 0 || bit >= size * 8) {
            throw new IllegalArgumentException("enable bit " + bit + " does not fit a " + size
                + "-byte word: use 0.." + (size * 8 - 1));
        }
        if (address == 0 || address % size != 0) {
            throw new IllegalArgumentException("enable address 0x" + Long.toHexString(address)
                + " is not aligned to its size " + size + ": the kernel needs natural alignment");
        }
        return new EnableWord(address, size, bit);
    }

    /**
     * The word's address.
     *
     * @return the virtual address, naturally aligned to {@link #size()}
     */
    public long address() {
        return address;
    }

    /**
     * The word's size, {@code enable_size} of {@code struct user_reg}.
     *
     * @return 4 or 8 (bytes)
     */
    public int size() {
        return size;
    }

    /**
     * The bit the kernel sets while a tracer listens, {@code enable_bit} of {@code struct user_reg}.
     *
     * @return 0 to {@code size() * 8 - 1}
     */
    public int bit() {
        return bit;
    }

    /**
     * The word's raw value, read with an opaque load ({@link NativeWords}): never hoisted out of a loop, no
     * ordering with other memory; the kernel's store becomes visible soon, which is all a tracer needs.
     *
     * @return the whole word, a 4-byte word zero-extended to a long
     */
    public long value() {
        return size == 4 ? NativeWords.loInt(address) & 0xffffffffL : NativeWords.loLong(address);
    }

    /**
     * Whether the kernel has set this word's bit: some tracer listens.
     *
     * @return {@code true} while at least one tracer has the event enabled
     */
    public boolean isSet() {
        return (value() & (1L << bit)) != 0;
    }

    @Override
    public String toString() {
        return "EnableWord[0x" + Long.toHexString(address) + ", size " + size + ", bit " + bit + "]";
    }
}
