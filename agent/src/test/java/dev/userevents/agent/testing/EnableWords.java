package dev.userevents.agent.testing;

import dev.userevents.shim.EnableWordArena;
import dev.userevents.shim.EnableWordStores;

/** 4-byte enable words in native memory that tests set and clear in place of the kernel. */
public final class EnableWords {
    private static final EnableWordArena ARENA = new EnableWordArena();

    private EnableWords() {
    }

    /** A fresh word reading 0: its probe is disabled. */
    public static long allocate() {
        return ARENA.allocate(4, 0).address();
    }

    /** A fresh word reading 1: a tracer listens. */
    public static long allocateEnabled() {
        long address = allocate();
        enable(address);
        return address;
    }

    public static void enable(long address) {
        EnableWordStores.storeInt(address, 1);
    }

    public static void disable(long address) {
        EnableWordStores.storeInt(address, 0);
    }
}
