package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.userevents.shim.EventFormat;
import dev.userevents.shim.FieldType;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The event format builder fed random names and field lists (seeded, bounded). Whatever it is given, it
 * either builds a format the kernel can take (C identifiers, no duplicate or {@code common_} field, a command
 * shorter than MAX_EVENT_DESC) or refuses with an IllegalArgumentException that names the problem; never
 * another exception, never a format it should have refused. The guest half registers accepted formats with
 * the real kernel ({@code KernelAcceptsEncodedEventsKernelTest}).
 */
class EventFormatPropertyTest {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern COMMAND = Pattern.compile(
        "[A-Za-z_][A-Za-z0-9_]*( (s8|u8|s16|u16|s32|u32|s64|u64|__rel_loc char\\[\\]|char\\[[0-9]+\\]) [A-Za-z_][A-Za-z0-9_]*"
            + "(; (s8|u8|s16|u16|s32|u32|s64|u64|__rel_loc char\\[\\]|char\\[[0-9]+\\]) [A-Za-z_][A-Za-z0-9_]*)*)?");

    @Test
    void anyTextEitherNamesAnEventOrIsRefusedWithAMessage_20000Names() {
        RandomInputs in = new RandomInputs(RandomInputs.SEED);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            String name = name(in);
            EventFormat format;
            try {
                format = EventFormat.named(name);
            } catch (IllegalArgumentException refused) {
                assertNotNull(refused.getMessage());
                assertTrue(refused.getMessage().startsWith("event name"), refused.getMessage());
                assertTrue(name == null || name.isEmpty() || !IDENTIFIER.matcher(name).matches()
                    || name.length() > EventFormat.MAX_NAME_LENGTH, "refused a valid name: " + name);
                continue;
            } catch (RuntimeException other) {
                throw new AssertionError("named(" + RandomCall.describe(name) + ") threw " + other, other);
            }
            accepted++;
            assertTrue(IDENTIFIER.matcher(name).matches() && name.length() <= EventFormat.MAX_NAME_LENGTH,
                "accepted an invalid name: " + name);
            assertEquals(name, format.command());
        }
        System.out.printf("event format: 20000 random names, %d accepted, the rest refused with a message%n", accepted);
    }

    @Test
    void sanitizedTextAlwaysNamesAnEvent_20000Names() {
        RandomInputs in = new RandomInputs(RandomInputs.SEED + 1);
        for (int i = 0; i < 20_000; i++) {
            String text = in.string();
            if (text == null) {
                continue;
            }
            String name = EventFormat.sanitize(text);
            EventFormat.named(name); // throws if sanitize let something through
            assertEquals(name, EventFormat.sanitize(name), "sanitize is idempotent");
            assertTrue(!name.startsWith("common_"), name);
        }
    }

    @Test
    void randomFieldListsBuildCommandsTheKernelParsesOrAreRefused_5000Formats() {
        RandomInputs in = new RandomInputs(RandomInputs.SEED + 2);
        Random random = in.random();
        int built = 0;
        int refusals = 0;
        for (int i = 0; i < 5000; i++) {
            EventFormat format = EventFormat.named("e" + i);
            int steps = random.nextInt(60);
            for (int step = 0; step < steps; step++) {
                String field = random.nextInt(4) == 0 ? existingOrReserved(format, random) : name(in);
                FieldType type = FieldType.values()[random.nextInt(FieldType.values().length)];
                int arrayLength = random.nextInt(1100) - 20;
                String before = format.command();
                try {
                    EventFormat next = type == FieldType.CHAR_ARRAY ? format.charArray(field, arrayLength)
                        : format.with(type, field);
                    assertEquals(before, format.command(), "the builder is immutable");
                    assertEquals(format.fields().size() + 1, next.fields().size());
                    format = next;
                } catch (IllegalArgumentException refused) {
                    refusals++;
                    assertNotNull(refused.getMessage());
                    assertTrue(refused.getMessage().contains(format.name()) || refused.getMessage().contains("char["),
                        "the message names the event: " + refused.getMessage());
                } catch (RuntimeException other) {
                    throw new AssertionError("adding " + type + " " + RandomCall.describe(field) + " threw " + other, other);
                }
            }
            checkBuildable(format);
            built++;
        }
        System.out.printf("event format: %d random field lists built, %d additions refused with a message%n", built,
            refusals);
    }

    /** What the kernel's parser needs ({@code user_event_parse_cmd()}, kernel/trace/trace_events_user.c). */
    static void checkBuildable(EventFormat format) {
        String command = format.command();
        assertTrue(command.getBytes(StandardCharsets.UTF_8).length < 512, "command of 512 bytes or more: " + command);
        assertTrue(COMMAND.matcher(command).matches(), "not a command the kernel parses: " + command);
        Set<String> names = new HashSet<>();
        int size = 0;
        for (EventFormat.Field field : format.fields()) {
            assertTrue(names.add(field.name()), "duplicate field " + field.name());
            assertTrue(!field.name().startsWith("common_"), field.name());
            assertTrue(field.type() != FieldType.CHAR_ARRAY || (field.arrayLength() >= 1 && field.arrayLength() <= 1024));
            size += field.size();
        }
        assertEquals(size, format.fixedSize());
    }

    /** Names: valid identifiers, near-misses, Unicode, empty, null, and some past 255 characters. */
    static String name(RandomInputs in) {
        Random random = in.random();
        switch (random.nextInt(8)) {
            case 0: return identifier(random, 1 + random.nextInt(20));
            case 1: return identifier(random, 240 + random.nextInt(30));
            case 2: return random.nextInt(10) + identifier(random, random.nextInt(8));
            case 3: return identifier(random, 3) + " ;=,.-" .charAt(random.nextInt(6)) + identifier(random, 3);
            case 4: return random.nextInt(4) == 0 ? null : "";
            case 5: return "common_" + identifier(random, 4);
            default: {
                String text = random.nextBoolean() ? in.anyChars(random.nextInt(30)) : in.mixedPlanes(random.nextInt(30));
                return random.nextBoolean() ? identifier(random, 2) + text : text;
            }
        }
    }

    private static String identifier(Random random, int length) {
        String first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
        String rest = first + "0123456789";
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < length; i++) {
            String from = i == 0 ? first : rest;
            name.append(from.charAt(random.nextInt(from.length())));
        }
        return name.toString();
    }

    private static String existingOrReserved(EventFormat format, Random random) {
        List<EventFormat.Field> fields = format.fields();
        if (!fields.isEmpty() && random.nextBoolean()) {
            return fields.get(random.nextInt(fields.size())).name();
        }
        return "common_" + identifier(random, 1 + random.nextInt(5));
    }

    @Test
    void nullAndEmptyFieldNamesAreRefusedNotThrownAsNullPointers() {
        for (String bad : new String[] {null, ""}) {
            try {
                EventFormat.named("e").s32(bad);
                fail("accepted field name " + RandomCall.describe(bad));
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().contains("field name in event e"), expected.getMessage());
            }
        }
    }
}
