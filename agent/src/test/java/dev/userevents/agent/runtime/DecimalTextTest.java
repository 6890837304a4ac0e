package dev.userevents.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Float and double text as C's {@code %.7g} and {@code %.15g} would print it, but for the exponent, which
 * has no leading zeros ({@code 1e+20}, {@code 1e-6}), and for plain notation reaching down to {@code 1e-5}.
 * Any value's digits: {@link DecimalTextPropertyTest}.
 */
class DecimalTextTest {

    @Test
    void zeroKeepsItsSign() {
        assertEquals("0", doubleText(0.0));
        assertEquals("-0", doubleText(-0.0));
        assertEquals("-0", floatText(-0.0f));
    }

    @Test
    void specialValuesAreSpelledAsJavaSpellsThem() {
        assertEquals("NaN", doubleText(Double.NaN));
        assertEquals("Infinity", doubleText(Double.POSITIVE_INFINITY));
        assertEquals("-Infinity", doubleText(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", floatText(Float.NaN));
    }

    @Test
    void wholeNumbersHaveNoDecimalPoint() {
        assertEquals("1", doubleText(1.0));
        assertEquals("-1", doubleText(-1.0));
        assertEquals("100", doubleText(100.0));
        assertEquals("123456789012345", doubleText(123456789012345.0));
    }

    @Test
    void trailingZerosOfTheFractionAreDropped() {
        assertEquals("12.5", doubleText(12.5));
        assertEquals("0.5", doubleText(0.5));
        assertEquals("-123.456", doubleText(-123.456));
        assertEquals("1234.5", doubleText(1234.5));
    }

    @Test
    void doubleIsRoundedToFifteenSignificantDigits() {
        assertEquals("0.1", doubleText(0.1));
        assertEquals("0.333333333333333", doubleText(1.0 / 3));
        assertEquals("0.666666666666667", doubleText(2.0 / 3));
        assertEquals("3.14159265358979", doubleText(Math.PI));
        assertEquals("0.3", doubleText(0.1 + 0.2));
    }

    @Test
    void roundingThatCarriesIntoANewDigitMovesTheDecimalPoint() {
        assertEquals("10", doubleText(9.999999999999998));
        assertEquals("1000000", doubleText(999999.9999999999));
        assertEquals("1e+15", doubleText(999999999999999.9));
    }

    @Test
    void plainNotationCoversExponentsFromMinusFiveToFourteen() {
        assertEquals("100000000000000", doubleText(1e14));
        assertEquals("1e+15", doubleText(1e15));
        assertEquals("0.00001", doubleText(1e-5));
        assertEquals("0.0001234", doubleText(0.0001234));
        assertEquals("1e-6", doubleText(1e-6));
    }

    @Test
    void largeAndSmallDoublesUseScientificNotation() {
        assertEquals("1e+300", doubleText(1e300));
        assertEquals("1e-300", doubleText(1e-300));
        assertEquals("1.23456789012346e+15", doubleText(1234567890123456.0));
        assertEquals("-2.5e-7", doubleText(-2.5e-7));
        assertEquals("9.22337203685478e+18", doubleText((double) Long.MAX_VALUE));
    }

    @Test
    void extremeDoublesKeepFifteenDigits() {
        assertEquals("1.79769313486232e+308", doubleText(Double.MAX_VALUE));
        assertEquals("2.2250738585072e-308", doubleText(Double.MIN_NORMAL));
    }

    @Test
    void subnormalDoublesArePrinted() {
        assertEquals("4.94065645841247e-324", doubleText(Double.MIN_VALUE));
        assertEquals("1e-310", doubleText(1e-310));
        // the subnormal nearest -2.5e-320 has only a few significant bits; its fifteen digits show that
        assertEquals("-2.49997216795671e-320", doubleText(-2.5e-320));
    }

    @Test
    void floatIsRoundedToSevenSignificantDigits() {
        assertEquals("0.1", floatText(0.1f));
        assertEquals("12.5", floatText(12.5f));
        assertEquals("0.3333333", floatText(1f / 3));
        assertEquals("3.141593", floatText((float) Math.PI));
        assertEquals("1234567", floatText(1234567f));
    }

    @Test
    void floatUsesScientificNotationFromSevenIntegerDigits() {
        assertEquals("1.234568e+7", floatText(12345678f));
        assertEquals("1.677722e+7", floatText(16777216f));
        assertEquals("1e+10", floatText(1e10f));
    }

    @Test
    void floatNearAPowerOfTenRoundsUpToIt() {
        // 1e-5f is 9.99999974737875e-6 as a double: seven digits round it back to 1e-5
        assertEquals("0.00001", floatText(1e-5f));
    }

    @Test
    void floatTieAtTheEighthDigitRoundsAwayFromZero() {
        assertEquals("7489171", floatText(7489170.5f));
        assertEquals("-7489171", floatText(-7489170.5f));
    }

    @Test
    void extremeFloatsKeepSevenDigits() {
        assertEquals("3.402823e+38", floatText(Float.MAX_VALUE));
        assertEquals("1.175494e-38", floatText(Float.MIN_NORMAL));
        assertEquals("1.401298e-45", floatText(Float.MIN_VALUE));
    }

    @Test
    void longestTextFitsTheDeclaredMaximum() {
        double[] longest = {-1.23456789012345e-300, -1.23456789012345e-5, -123456789012345.0, -Double.MIN_VALUE};
        for (double value : longest) {
            assertTrue(doubleText(value).length() <= DecimalText.MAX_LENGTH, doubleText(value));
        }
    }

    static String doubleText(double value) {
        return text(value, DecimalText.DOUBLE_DIGITS);
    }

    static String floatText(float value) {
        return text(value, DecimalText.FLOAT_DIGITS);
    }

    private static String text(double value, int digits) {
        ByteBuffer buffer = ByteBuffer.allocate(DecimalText.MAX_LENGTH + 8);
        int end = DecimalText.write(value, digits, buffer, 4);
        byte[] bytes = new byte[end - 4];
        buffer.get(4, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
