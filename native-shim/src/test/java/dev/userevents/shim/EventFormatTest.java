package dev.userevents.shim;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The command strings {@code DIAG_IOCSREG} receives, and the formats refused before the kernel sees them
 * ({@code user_event_parse_cmd()}, {@code user_event_parse_field()} and {@code user_field_array_size()}
 * in {@code kernel/trace/trace_events_user.c}).
 */
class EventFormatTest {

    @Test
    void eventWithoutFieldsIsJustItsName() {
        assertEquals("tick", EventFormat.named("tick").command());
    }

    @Test
    void s8FieldIsDeclaredAsS8() {
        assertEquals("e s8 f", EventFormat.named("e").s8("f").command());
    }

    @Test
    void u8FieldIsDeclaredAsU8() {
        assertEquals("e u8 f", EventFormat.named("e").u8("f").command());
    }

    @Test
    void s16FieldIsDeclaredAsS16() {
        assertEquals("e s16 f", EventFormat.named("e").s16("f").command());
    }

    @Test
    void u16FieldIsDeclaredAsU16() {
        assertEquals("e u16 f", EventFormat.named("e").u16("f").command());
    }

    @Test
    void s32FieldIsDeclaredAsS32() {
        assertEquals("e s32 f", EventFormat.named("e").s32("f").command());
    }

    @Test
    void u32FieldIsDeclaredAsU32() {
        assertEquals("e u32 f", EventFormat.named("e").u32("f").command());
    }

    @Test
    void s64FieldIsDeclaredAsS64() {
        assertEquals("e s64 f", EventFormat.named("e").s64("f").command());
    }

    @Test
    void u64FieldIsDeclaredAsU64() {
        assertEquals("e u64 f", EventFormat.named("e").u64("f").command());
    }

    @Test
    void stringFieldIsDeclaredAsRelLocCharArray() {
        assertEquals("e __rel_loc char[] f", EventFormat.named("e").string("f").command());
    }

    @Test
    void charArrayFieldIsDeclaredWithItsLength() {
        assertEquals("e char[16] f", EventFormat.named("e").charArray("f", 16).command());
    }

    @Test
    void fieldsAreSeparatedBySemicolonsInDeclarationOrder() {
        EventFormat order = EventFormat.named("order").s32("id").s64("cents").string("customer");

        assertEquals("order s32 id; s64 cents; __rel_loc char[] customer", order.command());
    }

    @Test
    void addingAFieldLeavesTheOriginalFormatUnchanged() {
        EventFormat base = EventFormat.named("order").s32("id");

        EventFormat extended = base.s64("cents");

        assertEquals("order s32 id", base.command());
        assertEquals("order s32 id; s64 cents", extended.command());
    }

    @Test
    void fixedSizeCountsEachFieldOnceAndAStringAsItsFourByteRelLoc() {
        EventFormat format = EventFormat.named("e").s8("a").u16("b").s32("c").u64("d").string("s").charArray("t", 10);

        assertEquals(1 + 2 + 4 + 8 + 4 + 10, format.fixedSize());
    }

    @Test
    void charArrayOfOneIsAccepted() {
        assertEquals(1, EventFormat.named("e").charArray("c", 1).fields().get(0).size());
    }

    @Test
    void charArrayOfMaxFieldArraySizeIsAccepted() {
        assertEquals(1024, EventFormat.named("e").charArray("c", 1024).fields().get(0).size());
    }

    @Test
    void charArrayOfZeroIsRefusedWithTheAllowedRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> EventFormat.named("e").charArray("c", 0));

        assertEquals("char[0] c in event e: the kernel takes char[N] with N from 1 to 1024", e.getMessage());
    }

    @Test
    void charArrayBeyondMaxFieldArraySizeIsRefusedWithTheAllowedRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> EventFormat.named("e").charArray("c", 1025));

        assertEquals("char[1025] c in event e: the kernel takes char[N] with N from 1 to 1024", e.getMessage());
    }

    @Test
    void charArrayWithoutALengthIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> EventFormat.named("e").with(FieldType.CHAR_ARRAY, "c"));

        assertTrue(e.getMessage().contains("charArray(\"c\", N)"), e.getMessage());
    }

    @Test
    void identifierWithLettersDigitsAndUnderscoresIsAcceptedAsEventName() {
        assertEquals("_Order_v2", EventFormat.named("_Order_v2").name());
    }

    @Test
    void emptyEventNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventFormat.named(""));

        assertEquals("event name is empty", e.getMessage());
    }

    @Test
    void eventNameStartingWithADigitIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventFormat.named("2fast"));

        assertTrue(e.getMessage().startsWith("event name '2fast' starts with a digit"), e.getMessage());
    }

    @Test
    void eventNameWithAPunctuationCharacterIsRefusedNamingTheCharacterAndItsIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventFormat.named("order-placed"));

        assertTrue(e.getMessage().startsWith("event name 'order-placed' has '-' at index 5"), e.getMessage());
    }

    @Test
    void eventNameWithASpaceIsRefused() {
        // A space would end the name in the command string and turn the rest into a field declaration.
        assertThrows(IllegalArgumentException.class, () -> EventFormat.named("order placed"));
    }

    @Test
    void eventNameOfMaxNameLengthIsAccepted() {
        String name = "e".repeat(EventFormat.MAX_NAME_LENGTH);

        assertEquals(name, EventFormat.named(name).name());
    }

    @Test
    void eventNameLongerThanMaxNameLengthIsRefused() {
        String name = "e".repeat(EventFormat.MAX_NAME_LENGTH + 1);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventFormat.named(name));

        assertTrue(e.getMessage().contains("is 256 characters long; at most 255"), e.getMessage());
    }

    @Test
    void fieldNameWithASemicolonIsRefusedNamingTheEvent() {
        // A ';' would split the declaration into two fields.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> EventFormat.named("order").u32("a;u64 b"));

        assertTrue(e.getMessage().startsWith("field name in event order 'a;u64 b' has ';' at index 1"), e.getMessage());
    }

    @Test
    void fieldNameStartingWithCommonIsRefused() {
        // common_type, common_pid, ... are the header fields every trace event already has.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> EventFormat.named("order").s32("common_pid"));

        assertTrue(e.getMessage().contains("common_"), e.getMessage());
    }

    @Test
    void duplicateFieldNameIsRefusedNamingFieldAndEvent() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> EventFormat.named("order").s32("id").u64("id"));

        assertEquals("field 'id' appears twice in event order", e.getMessage());
    }

    @Test
    void duplicateCharArrayFieldNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EventFormat.named("order").string("id").charArray("id", 4));
    }

    @Test
    void commandOfFiveHundredElevenBytesIsAccepted() {
        EventFormat format = formatWithCommandLength(511);

        assertEquals(511, format.command().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void commandOfFiveHundredTwelveBytesIsRefusedBecauseTheNulWouldNotFit() {
        // strndup_user(name_args, MAX_EVENT_DESC) in user_events_ioctl_reg(): 511 characters plus NUL.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> formatWithCommandLength(512));

        assertTrue(e.getMessage().contains("512 bytes; the kernel takes at most 511 (MAX_EVENT_DESC)"), e.getMessage());
    }

    @Test
    void charArrayDeclarationsCountTowardsTheLimitWithTheirLength() {
        // "e char[16] aaa…; char[16] bbb…": 22 characters plus the two field names.
        EventFormat accepted = EventFormat.named("e").charArray("a".repeat(245), 16).charArray("b".repeat(244), 16);
        assertEquals(511, accepted.command().length());

        assertThrows(IllegalArgumentException.class,
            () -> EventFormat.named("e").charArray("a".repeat(245), 16).charArray("b".repeat(245), 16));
        assertEquals(511, accepted.renamed("f").command().length(), "same length under a name as long");
    }

    @Test
    void renamingToANameThatMakesTheCommandFiveHundredTwelveBytesIsRefused() {
        EventFormat format = formatWithCommandLength(100, 511);
        String longerName = format.name() + "x";

        assertThrows(IllegalArgumentException.class, () -> format.renamed(longerName));
    }

    @Test
    void renamingKeepsTheFields() {
        EventFormat format = EventFormat.named("order").s32("id").string("customer");

        assertEquals("order_2 s32 id; __rel_loc char[] customer", format.renamed("order_2").command());
    }

    @Test
    void formatsWithTheSameNameAndFieldsAreEqual() {
        assertEquals(EventFormat.named("order").s32("id").charArray("c", 4),
            EventFormat.named("order").s32("id").charArray("c", 4));
    }

    @Test
    void formatsDifferingInOneFieldTypeAreNotEqual() {
        assertNotEquals(EventFormat.named("order").s32("id"), EventFormat.named("order").u32("id"));
    }

    @Test
    void sanitizeReplacesEveryNonIdentifierCharacterWithAnUnderscore() {
        assertEquals("com_example_Order_place_int_", EventFormat.sanitize("com.example.Order#place(int)"));
    }

    @Test
    void sanitizeReplacesNonAsciiLettersWithUnderscores() {
        assertEquals("h_llo", EventFormat.sanitize("héllo"));
    }

    @Test
    void sanitizePrefixesALeadingDigitWithAnUnderscore() {
        assertEquals("_9lives", EventFormat.sanitize("9lives"));
    }

    @Test
    void sanitizeTurnsEmptyTextIntoAnUnderscore() {
        assertEquals("_", EventFormat.sanitize(""));
    }

    @Test
    void sanitizeLeavesAValidIdentifierUnchanged() {
        assertEquals("order_placed_v2", EventFormat.sanitize("order_placed_v2"));
    }

    @Test
    void sanitizeCutsLongTextToMaxNameLength() {
        assertEquals(EventFormat.MAX_NAME_LENGTH, EventFormat.sanitize("a".repeat(1000)).length());
    }

    @Test
    void sanitizedLongTextStartingWithADigitStaysWithinMaxNameLength() {
        String sanitized = EventFormat.sanitize("1".repeat(1000));

        assertEquals(EventFormat.MAX_NAME_LENGTH, sanitized.length());
        assertDoesNotThrow(() -> EventFormat.named(sanitized));
    }

    @Test
    void sanitizedTextIsAcceptedAsAnEventName() {
        String sanitized = EventFormat.sanitize("9 Orders/placed: ✓");

        assertDoesNotThrow(() -> EventFormat.named(sanitized));
    }

    @Test
    void sanitizedTextIsAcceptedAsAFieldName() {
        // A parameter called common_pid must not make registration fail later.
        String sanitized = EventFormat.sanitize("common_pid");

        assertDoesNotThrow(() -> EventFormat.named("e").s32(sanitized));
    }

    /** A format whose command string is exactly {@code length} bytes, with the longest allowed name. */
    private static EventFormat formatWithCommandLength(int length) {
        return formatWithCommandLength(EventFormat.MAX_NAME_LENGTH, length);
    }

    /** A format of u8 fields whose command string is exactly {@code length} bytes: "name u8 f..;u8 g..". */
    private static EventFormat formatWithCommandLength(int nameLength, int length) {
        EventFormat format = EventFormat.named("e".repeat(nameLength));
        int remaining = length - nameLength - " u8 ".length();
        char fieldName = 'f';
        while (remaining > EventFormat.MAX_NAME_LENGTH) {
            format = format.u8(String.valueOf(fieldName).repeat(EventFormat.MAX_NAME_LENGTH));
            remaining -= EventFormat.MAX_NAME_LENGTH + "; u8 ".length();
            fieldName++;
        }
        return format.u8(String.valueOf(fieldName).repeat(remaining));
    }
}
