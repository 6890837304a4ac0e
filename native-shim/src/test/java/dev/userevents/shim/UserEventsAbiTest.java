package dev.userevents.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userevents.shim.hotpath.EventLayout;
import org.junit.jupiter.api.Test;

/**
 * Pins the numbers of {@code include/uapi/linux/user_events.h}: a wrong request number or offset is
 * answered by the kernel with ENOTTY or EINVAL at best, with a write to a random address at worst.
 * The expected ioctl values are what {@code _IOWR('*', 0, struct user_reg *)} and friends expand to
 * on x86-64 and arm64 (the size field holds sizeof a pointer, 8).
 */
class UserEventsAbiTest {

    @Test
    void registerRequestIsIowrStarZeroWithAPointerSize() {
        assertEquals(0xC0082A00L, UserEventsAbi.DIAG_IOCSREG);
    }

    @Test
    void deleteRequestIsIowStarOneWithAPointerSize() {
        assertEquals(0x40082A01L, UserEventsAbi.DIAG_IOCSDEL);
    }

    @Test
    void unregisterRequestIsIowStarTwoWithAPointerSize() {
        assertEquals(0x40082A02L, UserEventsAbi.DIAG_IOCSUNREG);
    }

    @Test
    void userRegIsTwentyEightPackedBytes() {
        assertEquals(28, UserEventsAbi.UserReg.LENGTH);
    }

    @Test
    void userRegFieldsSitAtTheirPackedOffsets() {
        assertEquals(0, UserEventsAbi.UserReg.SIZE_OFFSET);
        assertEquals(4, UserEventsAbi.UserReg.ENABLE_BIT_OFFSET);
        assertEquals(5, UserEventsAbi.UserReg.ENABLE_SIZE_OFFSET);
        assertEquals(6, UserEventsAbi.UserReg.FLAGS_OFFSET);
        assertEquals(8, UserEventsAbi.UserReg.ENABLE_ADDR_OFFSET);
        assertEquals(16, UserEventsAbi.UserReg.NAME_ARGS_OFFSET);
        assertEquals(24, UserEventsAbi.UserReg.WRITE_INDEX_OFFSET);
    }

    @Test
    void userUnregIsSixteenPackedBytes() {
        assertEquals(16, UserEventsAbi.UserUnreg.LENGTH);
    }

    @Test
    void userUnregFieldsSitAtTheirPackedOffsets() {
        assertEquals(0, UserEventsAbi.UserUnreg.SIZE_OFFSET);
        assertEquals(4, UserEventsAbi.UserUnreg.DISABLE_BIT_OFFSET);
        assertEquals(8, UserEventsAbi.UserUnreg.DISABLE_ADDR_OFFSET);
    }

    @Test
    void registrationFlagsMatchTheHeader() {
        assertEquals(1, UserEventsAbi.REG_PERSIST);
        assertEquals(2, UserEventsAbi.REG_MULTI_FORMAT);
    }

    @Test
    void eventPayloadStartsWithTheWriteIndexFollowedByTheFields() {
        assertEquals(0, EventLayout.WRITE_INDEX_OFFSET);
        assertEquals(4, EventLayout.FIELDS_OFFSET);
    }

    @Test
    void relLocPutsTheLengthInTheHighAndTheOffsetInTheLowSixteenBits() {
        assertEquals(0x000D0004, EventLayout.relLoc(4, 13));
    }

    @Test
    void kernelLimitsMatchTraceEventsUser() {
        assertEquals(512, UserEventsAbi.MAX_EVENT_DESC);
        assertEquals(1024, UserEventsAbi.MAX_FIELD_ARRAY_SIZE);
    }

    @Test
    void systemNamesMatchTheHeader() {
        assertEquals("user_events", UserEventsAbi.SYSTEM);
        assertEquals("user_events_multi", UserEventsAbi.MULTI_SYSTEM);
    }
}
