package dev.userevents.shim;

import com.sun.jna.Pointer;
import java.lang.invoke.VarHandle;

/**
 * Stores into enable words this process allocated ({@link EnableWordArena}), for whoever sets a word itself: the
 * dry and devnull backends (no kernel), the arena touching its fresh pages, tests. Kept out of the bootstrap
 * part ({@code dev.userevents.shim.hotpath}), which every class of the JVM can see: woven code only loads words,
 * so no application class can reach a store to native memory through the agent.
 *
 * <p>Each store is a full fence after the write: a woven check on another thread sees it at its next load. A word
 * registered with the kernel belongs to the kernel: storing into it races {@code user_event_enabler_write()}.
 */
public final class EnableWordStores {
    private EnableWordStores() {
    }

    /**
     * Stores a 4-byte word.
     *
     * @param address the word's address, 4-byte aligned, inside memory this process mapped
     * @param value   the word, native-endian
     */
    public static void storeInt(long address, int value) {
        new Pointer(address).setInt(0, value);
        VarHandle.fullFence();
    }

    /**
     * Stores an 8-byte word.
     *
     * @param address the word's address, 8-byte aligned, inside memory this process mapped
     * @param value   the word, native-endian
     */
    public static void storeLong(long address, long value) {
        new Pointer(address).setLong(0, value);
        VarHandle.fullFence();
    }
}
