package dev.userevents.agent.safety;

import dev.userevents.agent.safety.WovenCall.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * Bad input as jqwik arbitraries, so that a failing property shrinks to a small example. Strings come in shapes
 * an encoder gets wrong: lone and reversed surrogates, NUL characters, code points of every Unicode plane (0 to
 * 16), characters of 1 to 4 UTF-8 bytes packed so that bounds fall inside them, and 1 MB texts. Numbers favour the
 * extremes. Objects include {@code toString()}s that throw or return null. Lengths are drawn uniformly (jqwik's
 * default favours short ones) and jqwik mixes its own edge cases in (empty, shortest, longest, smallest, largest).
 */
final class BadInputs {
    private BadInputs() {
    }

    /** An enum whose toString() throws: the encoder must use name(), which is final. */
    enum Hostile {
        ALPHA, OMEGA_Ω;

        @Override
        public String toString() {
            throw new IllegalStateException("enum toString must not be called");
        }
    }

    enum Plain { CARD, INVOICE }

    /** An object whose toString() throws {@code failure}, or {@code error} if there is one. */
    static final class Throwing {
        private final RuntimeException failure;
        private final Error error;

        Throwing(RuntimeException failure, Error error) {
            this.failure = failure;
            this.error = error;
        }

        @Override
        public String toString() {
            if (error != null) {
                throw error;
            }
            throw failure;
        }
    }

    /** An object whose toString() returns null. */
    static final class ReturnsNull {
        @Override
        public String toString() {
            return null;
        }
    }

    /** An object whose toString() returns {@code text}. */
    static final class Printed {
        final String text;

        Printed(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** 1-, 2-, 3- and 4-byte characters, for {@link #packed}. */
    private static final String[] RUNS = {"a", "é", "€", "\uD83D\uDE00", "\u0800", "\uFFFD", "\uDBFF\uDFFF"};
    private static final int MEGABYTE = 1 << 20;

    /**
     * A string of one of the shapes above, each as likely: null, "", "\0", ASCII (up to 39 chars), one plane's
     * scalars (up to 59), any UTF-16 units (up to 79), NULs among letters (up to 49), a surrogate mess (up to 29
     * units), packed multi-byte characters (about 200 to 4200 chars), one plane's scalars (500 to 3499) or, one
     * time in eight instead, 1 MB of text, all planes mixed (up to 1499 code points), long ASCII (1000 to 4999).
     */
    static Arbitrary<String> strings() {
        return STRINGS;
    }

    // Built once: jqwik keeps a generator per arbitrary, and building these trees per call costs more than using them.
    private static final Arbitrary<String> STRINGS = Arbitraries.oneOf(List.of(
        Arbitraries.just((String) null),
        Arbitraries.just(""),
        Arbitraries.just("\u0000"),
        ascii(0, 39),
        anyPlane(0, 59),
        anyChars(0, 79),
        withNuls(0, 49),
        surrogateMess(0, 29),
        packed(155, 3265),
        Arbitraries.frequencyOf(Tuple.of(7, anyPlane(500, 3499)), Tuple.of(1, megabytes())),
        mixedPlanes(0, 1499),
        ascii(1000, 4999)));

    /** Printable ASCII, 0x20 to 0x7e. */
    static Arbitrary<String> ascii(int minLength, int maxLength) {
        return Arbitraries.strings().withCharRange(' ', '~').ofMinLength(minLength).ofMaxLength(maxLength)
            .withLengthDistribution(RandomDistribution.uniform());
    }

    /** Scalars of one plane (0 to 16, each as likely): {@link #codePoints} of a random plane. */
    static Arbitrary<String> anyPlane(int minCount, int maxCount) {
        List<Arbitrary<String>> planes = new ArrayList<>();
        for (int plane = 0; plane <= 16; plane++) {
            planes.add(codePoints(plane, minCount, maxCount));
        }
        return Arbitraries.oneOf(planes);
    }

    /** Unicode scalar values (no surrogates) of {@code plane} (0 to 16). */
    static Arbitrary<String> codePoints(int plane, int minCount, int maxCount) {
        Arbitrary<Integer> scalar = plane == 0 ? scalars(0, 0xFFFF) : Arbitraries.integers()
            .between(plane << 16, (plane << 16) | 0xFFFF).withDistribution(RandomDistribution.uniform());
        return fromCodePoints(scalar, minCount, maxCount);
    }

    /** Unicode scalar values of any plane, each plane about as likely. */
    static Arbitrary<String> mixedPlanes(int minCount, int maxCount) {
        return fromCodePoints(scalars(0, Character.MAX_CODE_POINT), minCount, maxCount);
    }

    /** Code points from {@code first} to {@code last}, the surrogates left out. */
    private static Arbitrary<Integer> scalars(int first, int last) {
        int surrogates = Character.MAX_SURROGATE - Character.MIN_SURROGATE + 1;
        return Arbitraries.integers().between(first, last - surrogates).withDistribution(RandomDistribution.uniform())
            .map(codePoint -> codePoint < Character.MIN_SURROGATE ? codePoint : codePoint + surrogates);
    }

    private static Arbitrary<String> fromCodePoints(Arbitrary<Integer> codePoint, int minCount, int maxCount) {
        return codePoint.list().ofMinSize(minCount).ofMaxSize(maxCount).withSizeDistribution(RandomDistribution.uniform())
            .map(codePoints -> {
                StringBuilder text = new StringBuilder(codePoints.size() * 2);
                codePoints.forEach(text::appendCodePoint);
                return text.toString();
            });
    }

    /** Any UTF-16 units at all: lone surrogates, NULs, controls, noncharacters. */
    static Arbitrary<String> anyChars(int minLength, int maxLength) {
        return Arbitraries.strings().withCharRange('\u0000', '\uFFFF').ofMinLength(minLength).ofMaxLength(maxLength)
            .withLengthDistribution(RandomDistribution.uniform());
    }

    /** Letters with NULs among them, one char in three. */
    static Arbitrary<String> withNuls(int minLength, int maxLength) {
        Arbitrary<Character> letterOrNul = Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.chars().range('a', 'z')),
            Tuple.of(1, Arbitraries.just('\u0000')));
        return joined(letterOrNul.map(String::valueOf), minLength, maxLength);
    }

    /** High surrogates without their low half, low before high, pairs split by the end of the string. */
    static Arbitrary<String> surrogateMess(int minUnits, int maxUnits) {
        Arbitrary<Character> high = Arbitraries.chars().range(Character.MIN_HIGH_SURROGATE, Character.MAX_HIGH_SURROGATE);
        Arbitrary<Character> low = Arbitraries.chars().range(Character.MIN_LOW_SURROGATE, Character.MAX_LOW_SURROGATE);
        Arbitrary<String> unit = Arbitraries.oneOf(
            high.map(String::valueOf),
            low.map(String::valueOf),
            Combinators.combine(low, high).as((l, h) -> String.valueOf(l) + h),
            Arbitraries.integers().between(Character.MIN_SUPPLEMENTARY_CODE_POINT, Character.MAX_CODE_POINT)
                .map(Character::toString));
        // the high half of an emoji, cut off
        return Combinators.combine(joined(unit, minUnits, maxUnits), Arbitraries.of(false, true))
            .as((text, cutOff) -> cutOff ? text + '\uD83D' : text);
    }

    /** 1-, 2-, 3- and 4-byte characters in runs of {@code minRuns} to {@code maxRuns}: bounds land inside characters. */
    static Arbitrary<String> packed(int minRuns, int maxRuns) {
        return joined(Arbitraries.of(RUNS), minRuns, maxRuns);
    }

    private static Arbitrary<String> joined(Arbitrary<String> part, int minParts, int maxParts) {
        return part.list().ofMinSize(minParts).ofMaxSize(maxParts).withSizeDistribution(RandomDistribution.uniform())
            .map(parts -> String.join("", parts));
    }

    /**
     * 1 MB (2^20 chars) of a short text of one of four shapes repeated: encoding must stop at the bound, not at the
     * end. Shrinking shrinks the repeated text; the length stays. No jqwik edge cases: there would be 77 of these
     * texts, 80 MB built before the first try and tried far more often than their share.
     */
    static Arbitrary<String> megabytes() {
        Arbitrary<String> unit = Arbitraries.oneOf(
            ascii(64, 64),
            anyPlane(32, 32),
            anyChars(64, 64),
            packed(50, 50));
        return unit.map(BadInputs::repeatedToAMegabyte).withoutEdgeCases();
    }

    private static String repeatedToAMegabyte(String unit) {
        StringBuilder text = new StringBuilder(MEGABYTE + unit.length());
        while (text.length() < MEGABYTE) {
            text.append(unit);
        }
        text.setLength(MEGABYTE); // may split a surrogate pair at the end: a lone high surrogate
        return text.toString();
    }

    /** Half the time an extreme (0, ±1, the ends of int and long, the 32-bit boundaries), else any long. */
    static Arbitrary<Long> extremeLongs() {
        return Arbitraries.oneOf(
            Arbitraries.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE,
                0x8000_0000L, 0xFFFF_FFFFL, Long.MIN_VALUE + 1),
            Arbitraries.longs().withDistribution(RandomDistribution.uniform()));
    }

    /** Half the time an extreme (0, ±1, the ends of int, byte, char and short boundaries), else any int. */
    static Arbitrary<Integer> extremeInts() {
        return Arbitraries.oneOf(
            Arbitraries.of(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x7f, 0x80, 0xff, 0xffff, -0x8000),
            Arbitraries.integers().withDistribution(RandomDistribution.uniform()));
    }

    /**
     * A third each: an extreme (zeros, NaN, infinities, the smallest and largest, numbers at the edges of plain
     * notation), any bit pattern (NaNs with payloads, subnormals), a uniform value in (-0.5, 0.5) scaled by
     * 10^-20 to 10^19.
     */
    static Arbitrary<Double> extremeDoubles() {
        return Arbitraries.oneOf(
            Arbitraries.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
                -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL, 1e-5, 9.999999999999999e22, 0.1,
                1.0 / 3, 123456789012345678.0, 999999999999999.9, 1e15, 1e16, 1e-300, 4.9e-324),
            Arbitraries.longs().withDistribution(RandomDistribution.uniform()).map(Double::longBitsToDouble),
            Combinators.combine(centredUnits(), Arbitraries.integers().between(-20, 19))
                .as((unit, exponent) -> unit * Math.pow(10, exponent)));
    }

    /** As {@link #extremeDoubles()} for float: its extremes, any bit pattern, (-0.5, 0.5) times 10^-10 to 10^9. */
    static Arbitrary<Float> extremeFloats() {
        return Arbitraries.oneOf(
            Arbitraries.of(0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
                Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_NORMAL, 0.1f, 16777216f, 9999999.5f, 1e-45f),
            Arbitraries.integers().withDistribution(RandomDistribution.uniform()).map(Float::intBitsToFloat),
            Combinators.combine(centredUnits(), Arbitraries.integers().between(-10, 9))
                .as((unit, exponent) -> (float) (unit * Math.pow(10, exponent))));
    }

    /** Random.nextDouble() - 0.5: 53 random bits, uniform in [-0.5, 0.5). */
    private static Arbitrary<Double> centredUnits() {
        return Arbitraries.longs().between(0, (1L << 53) - 1).withDistribution(RandomDistribution.uniform())
            .map(bits -> bits * 0x1.0p-53 - 0.5);
    }

    /**
     * Any argument a method might take as Object: null, enums (one whose toString() throws), toString()s that throw
     * a RuntimeException or a StackOverflowError or return null, small Integers, objects printing any of
     * {@link #strings()}, and those strings themselves (twice as likely as each of the others).
     */
    static Arbitrary<Object> objects() {
        return OBJECTS;
    }

    private static final Arbitrary<Object> OBJECTS = Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(null)),
            Tuple.of(1, Arbitraries.of(Hostile.class).asGeneric()),
            Tuple.of(1, Arbitraries.of(Plain.class).asGeneric()),
            Tuple.of(1, Arbitraries.create(() -> new Throwing(new IllegalStateException("toString failed"), null)).asGeneric()),
            Tuple.of(1, Arbitraries.create(() -> new Throwing(null, new StackOverflowError())).asGeneric()),
            Tuple.of(1, Arbitraries.create(ReturnsNull::new).asGeneric()),
            Tuple.of(1, Arbitraries.integers().between(0, 999).asGeneric()),
            Tuple.of(1, STRINGS.map(Printed::new).asGeneric()),
            Tuple.of(2, STRINGS.asGeneric()));

    /** A value of {@code kind}: any boolean, a byte, short or char cut from {@link #extremeInts()}, and so on. */
    static Arbitrary<Object> values(Kind kind) {
        return VALUES.get(kind);
    }

    private static final Map<Kind, Arbitrary<Object>> VALUES = new EnumMap<>(Map.of(
        Kind.BOOLEAN, Arbitraries.of(false, true).asGeneric(),
        Kind.BYTE, extremeInts().map(i -> (Object) (byte) (int) i),
        Kind.SHORT, extremeInts().map(i -> (Object) (short) (int) i),
        Kind.CHAR, extremeInts().map(i -> (Object) (char) (int) i),
        Kind.INT, extremeInts().asGeneric(),
        Kind.LONG, extremeLongs().asGeneric(),
        Kind.FLOAT, extremeFloats().asGeneric(),
        Kind.DOUBLE, extremeDoubles().asGeneric(),
        Kind.STRING, STRINGS.asGeneric(),
        Kind.OBJECT, OBJECTS));

    /** One argument: its kind and value. */
    private static final class Argument {
        final Kind kind;
        final Object value;

        Argument(Kind kind, Object value) {
            this.kind = kind;
            this.value = value;
        }
    }

    /** An argument of any kind (each as likely) and any value of it; shrinking may move it to an earlier kind. */
    private static final Arbitrary<Argument> ARGUMENTS = Arbitraries.oneOf(Arrays.stream(Kind.values())
        .map(kind -> VALUES.get(kind).map(value -> new Argument(kind, value))).collect(Collectors.toList()));

    /**
     * Calls with 0 to {@code maxArguments} arguments (each length as likely) of any kinds, any values; shrinking
     * drops arguments and shrinks the rest.
     */
    static Arbitrary<WovenCall> calls(int maxArguments) {
        return ARGUMENTS.list().ofMaxSize(maxArguments).withSizeDistribution(RandomDistribution.uniform())
            .map(arguments -> new WovenCall(arguments.stream().map(a -> a.kind).toArray(Kind[]::new),
                arguments.stream().map(a -> a.value).toArray()));
    }

    /** Calls with arguments of these kinds, any values. */
    static Arbitrary<WovenCall> callsWith(Kind... kinds) {
        List<Arbitrary<Object>> values = new ArrayList<>();
        for (Kind kind : kinds) {
            values.add(values(kind));
        }
        Kind[] copy = Arrays.copyOf(kinds, kinds.length);
        return Combinators.combine(values).as(list -> new WovenCall(copy, list.toArray()));
    }
}
