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
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * The event format builder fed random names and field lists (jqwik properties, shrunk when one fails). Whatever it
 * is given, it either builds a format the kernel can take (C identifiers, no duplicate or {@code common_} field, a
 * command shorter than MAX_EVENT_DESC) or refuses with an IllegalArgumentException that names the problem; never
 * another exception, never a format it should have refused. The guest half registers accepted formats with the
 * real kernel ({@code KernelAcceptsEncodedEventsKernelTest}).
 */
class EventFormatPropertyTest {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern COMMAND = Pattern.compile(
        "[A-Za-z_][A-Za-z0-9_]*( (s8|u8|s16|u16|s32|u32|s64|u64|__rel_loc char\\[\\]|char\\[[0-9]+\\]) [A-Za-z_][A-Za-z0-9_]*"
            + "(; (s8|u8|s16|u16|s32|u32|s64|u64|__rel_loc char\\[\\]|char\\[[0-9]+\\]) [A-Za-z_][A-Za-z0-9_]*)*)?");
    private static final String IDENTIFIER_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
    private static final String IDENTIFIER_PART = IDENTIFIER_START + "0123456789";

    private int namesTried;
    private int accepted;
    private int formats;
    private int refusals;

    @Property(tries = 10_000)
    void anyTextEitherNamesAnEventOrIsRefusedWithAMessage(@ForAll("names") String name) {
        namesTried++;
        EventFormat format;
        try {
            format = EventFormat.named(name);
        } catch (IllegalArgumentException refused) {
            assertNotNull(refused.getMessage());
            assertTrue(refused.getMessage().startsWith("event name"), refused.getMessage());
            assertTrue(name == null || name.isEmpty() || !IDENTIFIER.matcher(name).matches()
                || name.length() > EventFormat.MAX_NAME_LENGTH, "refused a valid name: " + name);
            return;
        } catch (RuntimeException other) {
            throw new AssertionError("named(" + WovenCall.describe(name) + ") threw " + other, other);
        }
        accepted++;
        assertTrue(IDENTIFIER.matcher(name).matches() && name.length() <= EventFormat.MAX_NAME_LENGTH,
            "accepted an invalid name: " + name);
        assertEquals(name, format.command());
    }

    @AfterProperty
    void summary() {
        if (namesTried > 0) {
            System.out.printf("event format: %d random names, %d accepted, the rest refused with a message%n",
                namesTried, accepted);
        }
        if (formats > 0) {
            System.out.printf("event format: %d random field lists built, %d additions refused with a message%n",
                formats, refusals);
        }
    }

    @Property(tries = 2000)
    void sanitizedTextAlwaysNamesAnEvent(@ForAll("texts") Text text) {
        String name = EventFormat.sanitize(text.value);
        EventFormat.named(name); // throws if sanitize let something through
        assertEquals(name, EventFormat.sanitize(name), "sanitize is idempotent");
        assertTrue(!name.startsWith("common_"), name);
    }

    /** Any of {@link BadInputs#strings()} but null. */
    @Provide
    Arbitrary<Text> texts() {
        return BadInputs.strings().filter(Objects::nonNull).map(Text::new);
    }

    /** A text that jqwik's report shows through {@link WovenCall#describe}: a 1 MB one by its start and end. */
    static final class Text {
        final String value;

        Text(String value) {
            this.value = value;
        }

        @Override
        public String toString() {
            return WovenCall.describe(value);
        }
    }

    @Property(tries = 1000)
    void randomFieldListsBuildCommandsTheKernelParsesOrAreRefused(@ForAll("fieldAdditions") List<Addition> additions) {
        EventFormat format = EventFormat.named("e" + formats++);
        for (Addition addition : additions) {
            String field = addition.fieldIn(format);
            FieldType type = addition.type;
            String before = format.command();
            try {
                EventFormat next = type == FieldType.CHAR_ARRAY ? format.charArray(field, addition.arrayLength)
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
                throw new AssertionError("adding " + type + " " + WovenCall.describe(field) + " threw " + other, other);
            }
        }
        checkBuildable(format);
    }

    /**
     * Field lists of 0 to 59 additions. A field's name is one of {@link #names()} three times in four, else a reserved
     * {@code common_} name, or half the time (when the format has fields by then) one of theirs again; an array
     * length of -20 to 1079 goes with every type and counts for char[] only.
     */
    @Provide
    Arbitrary<List<Addition>> fieldAdditions() {
        Arbitrary<String> reserved = identifiers(1, 5).map(name -> "common_" + name);
        Arbitrary<Tuple.Tuple2<Boolean, String>> named = Arbitraries.frequencyOf(
            Tuple.of(6, names().map(name -> Tuple.of(false, name))),
            Tuple.of(1, reserved.map(name -> Tuple.of(true, name))),
            Tuple.of(1, reserved.map(name -> Tuple.of(false, name))));
        Arbitrary<Addition> addition = Combinators.combine(named, Arbitraries.integers().between(0, 58),
                Arbitraries.of(FieldType.class),
                Arbitraries.integers().between(-20, 1079).withDistribution(RandomDistribution.uniform()))
            .as((name, pick, type, arrayLength) -> new Addition(name.get2(), name.get1(), pick, type, arrayLength));
        return addition.list().ofMaxSize(59).withSizeDistribution(RandomDistribution.uniform());
    }

    /** One field added to a format: a name, or one of the format's own (the {@code pick}-th) if it has some. */
    static final class Addition {
        final String name;
        final boolean existing;
        final int pick;
        final FieldType type;
        final int arrayLength;

        Addition(String name, boolean existing, int pick, FieldType type, int arrayLength) {
            this.name = name;
            this.existing = existing;
            this.pick = pick;
            this.type = type;
            this.arrayLength = arrayLength;
        }

        String fieldIn(EventFormat format) {
            List<EventFormat.Field> fields = format.fields();
            return existing && !fields.isEmpty() ? fields.get(pick % fields.size()).name() : name;
        }

        @Override
        public String toString() {
            return type + (type == FieldType.CHAR_ARRAY ? "[" + arrayLength + "] " : " ")
                + (existing ? "existing field " + pick + " or " : "") + WovenCall.describe(name);
        }
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

    /**
     * Names, each kind as likely but null and empty (one in eight between them, null a quarter of that): valid
     * identifiers of 1 to 20 characters and of 240 to 269 (some past the 255 allowed), a digit first, two short
     * identifiers joined by a space or punctuation, {@code common_} names, and (twice as likely) any UTF-16 units or
     * code points of any plane, half of them after a 2-character identifier.
     */
    static Arbitrary<String> names() {
        return NAMES;
    }

    @Provide("names")
    Arbitrary<String> namesToTry() {
        return NAMES;
    }

    private static final Arbitrary<String> NAMES = Arbitraries.frequencyOf(
        Tuple.of(4, identifiers(1, 20)),
        Tuple.of(4, identifiers(240, 269)),
        Tuple.of(4, Combinators.combine(Arbitraries.integers().between(0, 9),
                Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("")), Tuple.of(7, identifiers(1, 7))))
            .as((digit, name) -> digit + name)),
        Tuple.of(4, Combinators.combine(identifiers(3, 3), Arbitraries.of(' ', ';', '=', ',', '.', '-'), identifiers(3, 3))
            .as((first, separator, second) -> first + separator + second)),
        Tuple.of(1, Arbitraries.just((String) null)),
        Tuple.of(3, Arbitraries.just("")),
        Tuple.of(4, identifiers(4, 4).map(name -> "common_" + name)),
        Tuple.of(8, Combinators.combine(Arbitraries.of(false, true), identifiers(2, 2),
                Arbitraries.oneOf(BadInputs.anyChars(0, 29), BadInputs.mixedPlanes(0, 29)))
            .as((prefixed, name, text) -> prefixed ? name + text : text)));

    /** C identifiers of {@code minLength} (at least 1) to {@code maxLength} characters, each length as likely. */
    private static Arbitrary<String> identifiers(int minLength, int maxLength) {
        return Combinators.combine(Arbitraries.of(IDENTIFIER_START.toCharArray()),
                Arbitraries.strings().withChars(IDENTIFIER_PART).ofMinLength(minLength - 1).ofMaxLength(maxLength - 1)
                    .withLengthDistribution(RandomDistribution.uniform()))
            .as((first, rest) -> first + rest);
    }

    @Example
    void nullAndEmptyFieldNamesAreRefusedNotThrownAsNullPointers() {
        for (String bad : new String[] {null, ""}) {
            try {
                EventFormat.named("e").s32(bad);
                fail("accepted field name " + WovenCall.describe(bad));
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().contains("field name in event e"), expected.getMessage());
            }
        }
    }
}
