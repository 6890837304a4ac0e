package dev.userevents.agent.runtime;

import java.nio.ByteBuffer;

/**
 * Floats and doubles as decimal text, written into a buffer without allocating (the kernel's event
 * format has no floating-point type, so these become string fields). Like C's {@code %.Ng}: {@code N}
 * significant digits (7 for float, 15 for double: what each type holds exactly), trailing zeros dropped,
 * plain notation for exponents -5..N-1, else {@code d.ddde[+-]x}.
 */
final class DecimalText {
    /** The longest text this writes: sign, 17 digits, point, "e-308". */
    static final int MAX_LENGTH = 32;

    static final int FLOAT_DIGITS = 7;
    static final int DOUBLE_DIGITS = 15;

    private static final long[] POWERS_OF_TEN = new long[19];
    /**
     * Largest |shift| scaled by one exact power of ten: doubles hold 10^0..10^22 exactly, and POWERS_OF_TEN
     * goes to 10^18.
     */
    private static final int EXACT_POWERS = 18;

    static {
        long power = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = power;
            power *= 10;
        }
    }

    private DecimalText() {
    }

    /** Writes {@code value} at {@code position}; returns the position after the text. */
    static int write(double value, int significantDigits, ByteBuffer buffer, int position) {
        if (Double.isNaN(value)) {
            return ascii("NaN", buffer, position);
        }
        if (value < 0 || (value == 0 && 1 / value < 0)) {
            buffer.put(position++, (byte) '-');
            value = -value;
        }
        if (Double.isInfinite(value)) {
            return ascii("Infinity", buffer, position);
        }
        if (value == 0) {
            buffer.put(position++, (byte) '0');
            return position;
        }
        int exponent = (int) Math.floor(Math.log10(value));
        long digits = scaledDigits(value, significantDigits, exponent);
        if (digits >= POWERS_OF_TEN[significantDigits]) {
            exponent++;
            digits = scaledDigits(value, significantDigits, exponent);
        } else if (digits < POWERS_OF_TEN[significantDigits - 1]) {
            exponent--;
            digits = scaledDigits(value, significantDigits, exponent);
        } else if (digits == POWERS_OF_TEN[significantDigits - 1]
                && Math.abs(significantDigits - exponent) <= EXACT_POWERS) {
            // log10 rounds some values just under 10^exponent up to exponent (999999999999998.5 gave 1e+15): one
            // that fits in the digits one exponent lower is under 10^exponent, and is written there (where the
            // scaling there is exact, so that the test is)
            long below = scaledDigits(value, significantDigits, exponent - 1);
            if (below < POWERS_OF_TEN[significantDigits]) {
                exponent--;
                digits = below;
            }
        }
        if (digits >= POWERS_OF_TEN[significantDigits]) { // rounding carried into a new digit: 9.99.. -> 10
            digits /= 10;
            exponent++;
        }
        int count = significantDigits;
        while (count > 1 && digits % 10 == 0) {
            digits /= 10;
            count--;
        }
        if (exponent >= -5 && exponent < significantDigits) {
            return plain(digits, count, exponent, buffer, position);
        }
        position = plain(digits, count, 0, buffer, position);
        buffer.put(position++, (byte) 'e');
        buffer.put(position++, (byte) (exponent < 0 ? '-' : '+'));
        return unsigned(Math.abs(exponent), buffer, position);
    }

    /** {@code value / 10^(exponent - digits + 1)}, rounded: the significant digits as an integer. */
    private static long scaledDigits(double value, int significantDigits, int exponent) {
        int shift = significantDigits - 1 - exponent;
        if (shift >= -EXACT_POWERS && shift <= EXACT_POWERS) {
            // 10^|shift| is exact as a double, so the product or quotient is rounded once, and where that rounding
            // lands on a half (x.5) the exact error, which fma gives, says which way the true value lies: 0.1007271393090945
            // is 0.1007271393090944933.. and times 10^15 rounds to ...094.5, which would round up to ...095
            double power = POWERS_OF_TEN[Math.abs(shift)];
            double scaled = shift >= 0 ? value * power : value / power;
            double floor = Math.floor(scaled);
            if (scaled - floor != 0.5) {
                return Math.round(scaled);
            }
            // value * power - scaled, or value - scaled * power (power times the quotient's error): both exact
            double error = shift >= 0 ? Math.fma(value, power, -scaled) : Math.fma(-scaled, power, value);
            return error < 0 ? (long) floor : (long) floor + 1; // an exact half rounds up, as Math.round
        }
        double scaled = value;
        // Two steps keep 10^shift finite for subnormal values (shift up to ~340).
        if (shift > 300) {
            scaled *= 1e300;
            shift -= 300;
        } else if (shift < -300) {
            scaled /= 1e300;
            shift += 300;
        }
        scaled = shift >= 0 ? scaled * Math.pow(10, shift) : scaled / Math.pow(10, -shift);
        return Math.round(scaled);
    }

    /** The {@code count} digits of {@code digits} with the decimal point after digit {@code exponent}. */
    private static int plain(long digits, int count, int exponent, ByteBuffer buffer, int position) {
        if (exponent < 0) {
            buffer.put(position++, (byte) '0');
            buffer.put(position++, (byte) '.');
            for (int i = -1; i > exponent; i--) {
                buffer.put(position++, (byte) '0');
            }
            return digitsOf(digits, count, buffer, position);
        }
        int integerDigits = exponent + 1;
        for (int i = 0; i < Math.max(count, integerDigits); i++) {
            if (i == integerDigits) {
                buffer.put(position++, (byte) '.');
            }
            int digit = i < count ? (int) (digits / POWERS_OF_TEN[count - 1 - i] % 10) : 0;
            buffer.put(position++, (byte) ('0' + digit));
        }
        return position;
    }

    private static int digitsOf(long digits, int count, ByteBuffer buffer, int position) {
        for (int i = count - 1; i >= 0; i--) {
            buffer.put(position++, (byte) ('0' + (int) (digits / POWERS_OF_TEN[i] % 10)));
        }
        return position;
    }

    private static int unsigned(int value, ByteBuffer buffer, int position) {
        int count = value >= 100 ? 3 : value >= 10 ? 2 : 1;
        return digitsOf(value, count, buffer, position);
    }

    private static int ascii(String text, ByteBuffer buffer, int position) {
        for (int i = 0; i < text.length(); i++) {
            buffer.put(position++, (byte) text.charAt(i));
        }
        return position;
    }
}
