package dev.userevents.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.text.MessageFormat;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link JulMessages} gives {@code MessageFormat.format}'s text whether a pattern is parsed or taken from the
 * thread's cache: for any mix of patterns (placeholders with and without format types, quotes, colliding slots),
 * after the default FORMAT locale changes, and for a format nested in another's argument.
 */
class JulMessagesTest {
    private static final List<String> PATTERNS = List.of(
        "order {0} for {1}", "{0}", "{1} then {0}", "total {0,number,#.##} of {1}", "it''s {0}", "'{0}' is {0}",
        "{0,number,integer} items", "{2} missing", "on {0,date,yyyy-MM-dd}", "plain {0} and {0}");

    @Property(tries = 300)
    void everyCallFormatsAsMessageFormatDoes(@ForAll("calls") List<Integer> patternIndexes) {
        for (int i = 0; i < patternIndexes.size(); i++) {
            String pattern = PATTERNS.get(patternIndexes.get(i));
            Object[] params = {i * 1_234.5, "ann-" + i, new Date(86_400_000L * i)};
            assertEquals(MessageFormat.format(pattern, params), JulMessages.format(pattern, params), pattern);
        }
    }

    @Provide
    Arbitrary<List<Integer>> calls() {
        return Arbitraries.integers().between(0, PATTERNS.size() - 1).list().ofMinSize(1).ofMaxSize(40);
    }

    @Test
    void aNewDefaultLocaleIsUsedFromTheNextCallOn() {
        Locale before = Locale.getDefault(Locale.Category.FORMAT);
        Object[] params = {1_234_567.5};
        try {
            Locale.setDefault(Locale.Category.FORMAT, Locale.US);
            assertEquals("1,234,567.5", JulMessages.format("{0}", params));
            Locale.setDefault(Locale.Category.FORMAT, Locale.GERMANY);
            assertEquals("1.234.567,5", JulMessages.format("{0}", params));
        } finally {
            Locale.setDefault(Locale.Category.FORMAT, before);
        }
    }

    @Test
    void aFormatNestedInAnArgumentOfTheSamePatternGetsItsOwn() {
        Object nested = new Object() {
            @Override
            public String toString() {
                return JulMessages.format("total {0,number,#.##} of {1}", new Object[] {new BigDecimal("2.5"), "inner"});
            }
        };
        JulMessages.format("total {0,number,#.##} of {1}", new Object[] {1.0, "warm"}); // cached now
        assertEquals("total 3.25 of total 2.5 of inner",
            JulMessages.format("total {0,number,#.##} of {1}", new Object[] {3.25, nested}));
        assertEquals("total 1 of again", JulMessages.format("total {0,number,#.##} of {1}", new Object[] {1, "again"}));
    }

    @Test
    void aPatternMessageFormatRefusesIsRefusedAgainEveryTime() {
        assertThrows(IllegalArgumentException.class, () -> JulMessages.format("bad {0", new Object[] {1}));
        assertThrows(IllegalArgumentException.class, () -> JulMessages.format("bad {0", new Object[] {1}));
    }
}
