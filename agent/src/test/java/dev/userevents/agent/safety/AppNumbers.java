package dev.userevents.agent.safety;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code key=value} numbers an app prints on one line ("count phase: calls=812 seconds=5.0 ..."). */
final class AppNumbers {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final String line;

    AppNumbers(String line) {
        this.line = line;
        for (String word : line.split("\\s+")) {
            int equals = word.indexOf('=');
            if (equals > 0) {
                values.put(word.substring(0, equals), word.substring(equals + 1).replaceAll("[,;]$", ""));
            }
        }
    }

    long get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new AssertionError("no " + key + "= in '" + line + "'");
        }
        return Long.parseLong(value);
    }

    double decimal(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new AssertionError("no " + key + "= in '" + line + "'");
        }
        return Double.parseDouble(value);
    }

    @Override
    public String toString() {
        return line;
    }
}
