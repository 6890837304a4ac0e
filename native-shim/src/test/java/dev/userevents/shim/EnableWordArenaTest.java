package dev.userevents.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Enable words handed out by the arena satisfy the kernel's rules and never overlap. */
class EnableWordArenaTest {

    @Test
    void eightByteWordsAreNaturallyAligned() {
        EnableWordArena arena = new EnableWordArena();

        for (int i = 0; i < 10; i++) {
            assertEquals(0, arena.allocate(8, 0).address() % 8);
        }
    }

    @Test
    void newWordsReadZero() {
        EnableWordArena arena = new EnableWordArena();

        for (int i = 0; i < 10; i++) {
            assertEquals(0, arena.allocate(i % 2 == 0 ? 4 : 8, 0).value());
        }
    }

    @Test
    void wordsDoNotShareAnEightByteSlot() {
        EnableWordArena arena = new EnableWordArena();
        Set<Long> slots = new HashSet<>();

        for (int i = 0; i < 20; i++) {
            slots.add(arena.allocate(4, 0).address() / 8);
        }

        assertEquals(20, slots.size());
    }

    @Test
    void allocationContinuesOnAFreshPageWhenOneIsFull() {
        EnableWordArena arena = new EnableWordArena();
        long pageSize = Libc.getpagesize();
        long first = arena.allocate(8, 0).address();

        long last = first;
        for (long i = 1; i <= pageSize / 8; i++) {
            last = arena.allocate(8, 0).address();
        }

        assertNotEquals(first / pageSize, last / pageSize);
        assertEquals(0, last % pageSize, "the word after a full page starts the next chunk");
    }

    @Test
    void untouchedPageIsPageAligned() {
        assertEquals(0, EnableWordArena.mapUntouchedPage() % Libc.getpagesize());
    }
}
