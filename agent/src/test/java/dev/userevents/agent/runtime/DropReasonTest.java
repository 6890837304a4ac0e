package dev.userevents.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class DropReasonTest {
    @Test
    void theOrdinalsTheCallFreeFallbacksUseAreTheReasonsTheyMean() {
        assertEquals(0, DropReason.STACK_OVERFLOW.ordinal());
        assertEquals(1, DropReason.OUT_OF_MEMORY.ordinal());
        assertEquals(2, DropReason.VM_ERROR.ordinal());
        assertEquals(3, DropReason.NO_BUFFER.ordinal());
    }

    @Test
    void virtualMachineErrorsAreTransientAndEverythingElseIsNot() {
        assertEquals(DropReason.STACK_OVERFLOW, DropReason.of(new StackOverflowError()));
        assertEquals(DropReason.OUT_OF_MEMORY, DropReason.of(new OutOfMemoryError("Java heap space")));
        assertEquals(DropReason.VM_ERROR, DropReason.of(new InternalError()));
        assertNull(DropReason.of(new IllegalStateException()));
        assertNull(DropReason.of(new IndexOutOfBoundsException()), "a bug of the encoder: it would repeat");
    }

    @Test
    void aClassAStackOverflowKeptFromInitialisingIsTransient() {
        assertEquals(DropReason.STACK_OVERFLOW, DropReason.of(new ExceptionInInitializerError(new StackOverflowError())));
        assertEquals(DropReason.VM_ERROR, DropReason.of(new NoClassDefFoundError("Could not initialize class X")));
        assertEquals(DropReason.OUT_OF_MEMORY, DropReason.of(new RuntimeException(new OutOfMemoryError())));
    }
}
