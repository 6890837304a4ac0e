package dev.userevents.agent.safety;

import java.util.Random;

/**
 * Bad input, reproducibly: strings, numbers and objects drawn from a seeded {@link Random}. Strings come in
 * shapes an encoder gets wrong: lone and reversed surrogates, NUL characters, code points of every Unicode
 * plane (0 to 16), characters of 1 to 4 UTF-8 bytes packed so that bounds fall inside them, and 1 MB texts.
 * Numbers favour the extremes. Objects include {@code toString()}s that throw or return null.
 */
final class RandomInputs {
    /** The seed tests use unless {@code -Dsafety.seed=N} asks for another. */
    static final long SEED = Long.getLong("safety.seed", 20_240_611L);

    /** An enum whose toString() throws: the encoder must use name(), which is final. */
    enum Hostile {
        ALPHA, OMEGA_Ω;

        @Override
        public String toString() {
            throw new IllegalStateException("enum toString must not be called");
        }
    }

    enum Plain { CARD, INVOICE }

    /** An object whose toString() throws {@code failure}. */
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

    private final Random random;

    RandomInputs(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    /** A string of one of the shapes above; null now and then. */
    String string() {
        switch (random.nextInt(12)) {
            case 0: return null;
            case 1: return "";
            case 2: return ascii(random.nextInt(40));
            case 3: return codePoints(random.nextInt(60), random.nextInt(17));
            case 4: return anyChars(random.nextInt(80));
            case 5: return withNuls(random.nextInt(50));
            case 6: return surrogateMess(random.nextInt(30));
            case 7: return packed(200 + random.nextInt(4000));
            case 8: return random.nextInt(8) == 0 ? megabyte() : codePoints(500 + random.nextInt(3000), random.nextInt(17));
            case 9: return mixedPlanes(random.nextInt(1500));
            case 10: return "\u0000";
            default: return ascii(1000 + random.nextInt(4000));
        }
    }

    String ascii(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (0x20 + random.nextInt(0x5f)));
        }
        return text.toString();
    }

    /** Random Unicode scalar values (no surrogates) of {@code plane} (0 to 16). */
    String codePoints(int count, int plane) {
        StringBuilder text = new StringBuilder(count * 2);
        for (int i = 0; i < count; i++) {
            text.appendCodePoint(scalarIn(plane));
        }
        return text.toString();
    }

    String mixedPlanes(int count) {
        StringBuilder text = new StringBuilder(count * 2);
        for (int i = 0; i < count; i++) {
            text.appendCodePoint(scalarIn(random.nextInt(17)));
        }
        return text.toString();
    }

    private int scalarIn(int plane) {
        while (true) {
            int codePoint = plane * 0x10000 + random.nextInt(0x10000);
            if (codePoint < Character.MIN_SURROGATE || codePoint > Character.MAX_SURROGATE) {
                return codePoint;
            }
        }
    }

    /** Any UTF-16 units at all: lone surrogates, NULs, controls, noncharacters. */
    String anyChars(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) random.nextInt(0x10000));
        }
        return text.toString();
    }

    String withNuls(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(random.nextInt(3) == 0 ? '\u0000' : (char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    /** High surrogates without their low half, low before high, pairs split by the end of the string. */
    String surrogateMess(int length) {
        StringBuilder text = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(4)) {
                case 0: text.append((char) (0xD800 + random.nextInt(0x400))); break;
                case 1: text.append((char) (0xDC00 + random.nextInt(0x400))); break;
                case 2: text.append((char) (0xDC00 + random.nextInt(0x400))).append((char) (0xD800 + random.nextInt(0x400))); break;
                default: text.appendCodePoint(0x10000 + random.nextInt(0x100000)); break;
            }
        }
        if (random.nextBoolean()) {
            text.append('\uD83D'); // the high half of an emoji, cut off
        }
        return text.toString();
    }

    /** 1-, 2-, 3- and 4-byte characters in runs, {@code length} chars: bounds land inside characters. */
    String packed(int length) {
        String[] runs = {"a", "é", "€", "\uD83D\uDE00", "\u0800", "\uFFFD", "\uDBFF\uDFFF"};
        StringBuilder text = new StringBuilder(length + 2);
        while (text.length() < length) {
            text.append(runs[random.nextInt(runs.length)]);
        }
        return text.toString();
    }

    /** A 1 MB (2^20 chars) string of a random shape repeated: encoding must stop at the bound, not at the end. */
    String megabyte() {
        String unit;
        switch (random.nextInt(4)) {
            case 0: unit = ascii(64); break;
            case 1: unit = codePoints(32, random.nextInt(17)); break;
            case 2: unit = anyChars(64); break;
            default: unit = packed(64); break;
        }
        StringBuilder text = new StringBuilder(1 << 20);
        while (text.length() < (1 << 20)) {
            text.append(unit);
        }
        text.setLength(1 << 20); // may split a surrogate pair at the end: a lone high surrogate
        return text.toString();
    }

    long extremeLong() {
        long[] extremes = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE,
            0x8000_0000L, 0xFFFF_FFFFL, Long.MIN_VALUE + 1};
        return random.nextBoolean() ? extremes[random.nextInt(extremes.length)] : random.nextLong();
    }

    int extremeInt() {
        int[] extremes = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x7f, 0x80, 0xff, 0xffff, -0x8000};
        return random.nextBoolean() ? extremes[random.nextInt(extremes.length)] : random.nextInt();
    }

    double extremeDouble() {
        double[] extremes = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL, 1e-5, 9.999999999999999e22,
            0.1, 1.0 / 3, 123456789012345678.0, 999999999999999.9, 1e15, 1e16, 1e-300, 4.9e-324};
        switch (random.nextInt(3)) {
            case 0: return extremes[random.nextInt(extremes.length)];
            case 1: return Double.longBitsToDouble(random.nextLong()); // any bit pattern: NaNs, subnormals
            default: return (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20);
        }
    }

    float extremeFloat() {
        float[] extremes = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
            Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_NORMAL, 0.1f, 16777216f, 9999999.5f, 1e-45f};
        switch (random.nextInt(3)) {
            case 0: return extremes[random.nextInt(extremes.length)];
            case 1: return Float.intBitsToFloat(random.nextInt());
            default: return (float) ((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(20) - 10));
        }
    }

    /** Any argument a method might take as Object: nulls, enums, misbehaving toString()s, random text. */
    Object object() {
        switch (random.nextInt(10)) {
            case 0: return null;
            case 1: return Hostile.values()[random.nextInt(2)];
            case 2: return Plain.values()[random.nextInt(2)];
            case 3: return new Throwing(new IllegalStateException("toString failed"), null);
            case 4: return new Throwing(null, new StackOverflowError());
            case 5: return new ReturnsNull();
            case 6: return random.nextInt(1000);
            case 7: return new Printed(string());
            default: return string();
        }
    }
}
