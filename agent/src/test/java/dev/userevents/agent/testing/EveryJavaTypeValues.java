package dev.userevents.agent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

/**
 * The decoded fields of the EventHeader "every Java type" event, as both its tests call it (the woven sample on
 * the host, the app in the guest): {@code (true, (byte) -7, (short) -300, 'é', Integer.MIN_VALUE, Long.MAX_VALUE,
 * 1.25e-3f, Math.PI, "who-é-29 🎉", List.of(1, 2), Color.GREEN)}.
 */
public final class EveryJavaTypeValues {
    private EveryJavaTypeValues() {
    }

    /**
     * Asserts each field's decoded value: integers as {@code Long} of their width, floats as themselves, the char
     * as a {@code Character}, strings and objects' texts as UTF-8 strings, the enum by name.
     *
     * @param values the decoded event's values by field name ({@link EventHeaderDecoder.Event#values()})
     */
    public static void assertDecoded(Map<String, Object> values) {
        assertEquals(true, values.get("flag"));
        assertEquals(-7L, values.get("small"));
        assertEquals(-300L, values.get("medium"));
        assertEquals('é', values.get("letter"));
        assertEquals((long) Integer.MIN_VALUE, values.get("number"));
        assertEquals(Long.MAX_VALUE, values.get("big"));
        assertEquals(1.25e-3f, values.get("ratio"));
        assertEquals(Math.PI, values.get("precise"));
        assertEquals("who-é-29 🎉", values.get("text"));
        assertEquals("[1, 2]", values.get("thing"));
        assertEquals("GREEN", values.get("color"));
    }
}
