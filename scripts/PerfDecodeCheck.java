import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks perf-decode's JSON against expected events (used by scripts/perf-decode-check.sh).
 * <pre>java scripts/PerfDecodeCheck.java PERF_DECODE_JSON EXPECTED [NAME=VALUE]...</pre>
 * The JSON is what Microsoft's perf-decode (LinuxTracepoints) prints: a UTF-8 BOM, then
 * {@code {"<file>": [ {"n": "<provider>:<event>", <fields>..., "meta": {...}}, ... ]}}. It must be valid
 * UTF-8. Numbers are kept as the text perf-decode printed (jq 1.6 would round 64-bit integers to doubles).
 *
 * <p>EXPECTED, one item a line ({@code #} starts a comment line, {@code ${NAME}} is replaced by VALUE):
 * <pre>
 * every                      fields every event has (usually meta.pid)
 *   meta.pid = ${pid}
 * event provider:name        the next event, in order; its fields (objects flattened to a.b) must be exactly
 *   field = JSON             the ones listed outside meta, in this order; meta.* ones listed are checked
 *   field ~ REGEX            the value (a string's characters, else the JSON text) matches the whole REGEX
 *   field *                  any value
 * </pre>
 * Prints each event checked and every mismatch; exits 1 if there was one, 2 on a usage or format error.
 */
public final class PerfDecodeCheck {
    private static final Pattern ITEM = Pattern.compile("\\s+(\\S+)\\s*(?:(=|~)\\s?(.*)|(\\*))");

    private PerfDecodeCheck() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: java PerfDecodeCheck.java PERF_DECODE_JSON EXPECTED [NAME=VALUE]...");
            System.exit(2);
        }
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            vars.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        List<Map<String, Object>> actual = events(Path.of(args[0]));
        Expected expected = Expected.read(Path.of(args[1]), vars);
        List<String> problems = new ArrayList<>();
        int n = Math.max(actual.size(), expected.events.size());
        for (int i = 0; i < n; i++) {
            if (i >= actual.size()) {
                problems.add("event " + i + ": missing, expected " + expected.events.get(i).name);
                continue;
            }
            Map<String, Object> event = actual.get(i);
            if (i >= expected.events.size()) {
                problems.add("event " + i + ": unexpected " + event);
                continue;
            }
            ExpectedEvent want = expected.events.get(i);
            String where = "event " + i + " (" + want.name + ")";
            StringBuilder shown = new StringBuilder();
            event.forEach((key, value) -> shown.append(shown.length() == 0 ? "" : ", ").append(key).append('=')
                .append(Check.show(value)));
            System.out.println(where + ": " + shown);
            if (!want.name.equals(event.get("n"))) {
                problems.add(where + ": name is " + event.get("n"));
            }
            List<String> fields = new ArrayList<>();
            for (String key : event.keySet()) {
                if (!key.equals("n") && !key.startsWith("meta.")) {
                    fields.add(key);
                }
            }
            List<String> wantFields = new ArrayList<>();
            for (String key : want.checks.keySet()) {
                if (!key.startsWith("meta.")) {
                    wantFields.add(key);
                }
            }
            if (!fields.equals(wantFields)) {
                problems.add(where + ": fields are " + fields + ", expected " + wantFields);
            }
            Map<String, Check> checks = new LinkedHashMap<>(expected.every);
            checks.putAll(want.checks);
            for (Map.Entry<String, Check> check : checks.entrySet()) {
                String problem = check.getValue().problem(event.get(check.getKey()));
                if (problem != null) {
                    problems.add(where + ": " + check.getKey() + " " + problem);
                }
            }
        }
        if (problems.isEmpty()) {
            System.out.println("perf-decode check: all " + actual.size() + " events as expected");
            return;
        }
        for (String problem : problems) {
            System.out.println("MISMATCH " + problem);
        }
        System.out.println("perf-decode check: " + problems.size() + " mismatch(es) in " + actual.size() + " events");
        System.exit(1);
    }

    /** The events of perf-decode's output, each flattened: "n", then fields (a.b for nested), then meta.*. */
    static List<Map<String, Object>> events(Path json) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(json)))
                .toString();
        } catch (CharacterCodingException e) {
            throw fail(json + " is not valid UTF-8: " + e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Object root = new Json(text).document();
        if (!(root instanceof Map<?, ?> files) || files.size() != 1
                || !(files.values().iterator().next() instanceof List<?> list)) {
            throw fail(json + ": expected {\"<file>\": [events]}, got " + root);
        }
        List<Map<String, Object>> events = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> event)) {
                throw fail(json + ": an event is not an object: " + item);
            }
            Map<String, Object> flat = new LinkedHashMap<>();
            flatten("", event, flat);
            events.add(flat);
        }
        return events;
    }

    private static void flatten(String prefix, Map<?, ?> object, Map<String, Object> into) {
        for (Map.Entry<?, ?> entry : object.entrySet()) {
            String key = prefix + entry.getKey();
            if (entry.getValue() instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, into);
            } else {
                into.put(key, entry.getValue());
            }
        }
    }

    private static IllegalStateException fail(String message) {
        System.err.println("perf-decode check: " + message);
        System.exit(2);
        return new IllegalStateException(message);
    }

    /** A JSON number, true, false or null, as printed. */
    record Literal(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** One expected field: a JSON value, a regex over its text, or anything. */
    record Check(Object value, Pattern regex) {
        String problem(Object actual) {
            if (actual == null) {
                return "is missing";
            }
            if (regex != null) {
                String text = actual instanceof String s ? s : actual.toString();
                return regex.matcher(text).matches() ? null : "is " + show(actual) + ", expected to match " + regex;
            }
            if (value == null || value.equals(actual)) {
                return null;
            }
            return "is " + show(actual) + ", expected " + show(value);
        }

        static String show(Object value) {
            if (!(value instanceof String s)) {
                return value.toString();
            }
            String shown = s.length() > 80 ? s.substring(0, 40) + "...(" + s.length() + " chars)..."
                + s.substring(s.length() - 20) : s;
            StringBuilder codes = new StringBuilder();
            if (!s.chars().allMatch(c -> c >= 0x20 && c < 0x7f) && s.length() <= 80) {
                codes.append(" [UTF-16:");
                s.chars().forEach(c -> codes.append(' ').append(Integer.toHexString(c)));
                codes.append(']');
            }
            return '"' + shown + '"' + codes;
        }
    }

    record ExpectedEvent(String name, Map<String, Check> checks) {
    }

    record Expected(Map<String, Check> every, List<ExpectedEvent> events) {
        static Expected read(Path file, Map<String, String> vars) throws IOException {
            Map<String, Check> every = new LinkedHashMap<>();
            List<ExpectedEvent> events = new ArrayList<>();
            Map<String, Check> current = null;
            int number = 0;
            for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                number++;
                if (raw.isBlank() || raw.stripLeading().startsWith("#")) {
                    continue;
                }
                String line = substitute(raw, vars, file + ":" + number);
                if (line.equals("every")) {
                    current = every;
                } else if (line.startsWith("event ")) {
                    current = new LinkedHashMap<>();
                    events.add(new ExpectedEvent(line.substring(6).strip(), current));
                } else {
                    Matcher item = ITEM.matcher(line);
                    if (current == null || !item.matches()) {
                        throw fail(file + ":" + number + ": expected 'every', 'event NAME' or '  FIELD = JSON'"
                            + " / '~ REGEX' / '*', got: " + line);
                    }
                    Check check;
                    if (item.group(4) != null) {
                        check = new Check(null, null);
                    } else if (item.group(2).equals("~")) {
                        check = new Check(null, Pattern.compile(item.group(3)));
                    } else {
                        check = new Check(new Json(item.group(3)).document(), null);
                    }
                    if (current == every && !item.group(1).startsWith("meta.")) {
                        throw fail(file + ":" + number + ": 'every' takes meta.* fields only, got " + item.group(1));
                    }
                    current.put(item.group(1), check);
                }
            }
            return new Expected(every, events);
        }

        private static String substitute(String line, Map<String, String> vars, String where) {
            Matcher var = Pattern.compile("\\$\\{(\\w+)}").matcher(line);
            StringBuilder out = new StringBuilder();
            while (var.find()) {
                String value = vars.get(var.group(1));
                if (value == null) {
                    throw fail(where + ": no value for ${" + var.group(1) + "} on the command line");
                }
                var.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            return var.appendTail(out).toString();
        }
    }

    /** A small JSON reader: objects keep their order, numbers stay text. */
    static final class Json {
        private final String text;
        private int at;

        Json(String text) {
            this.text = text;
        }

        Object document() {
            Object value = value();
            space();
            if (at != text.length()) {
                throw fail("JSON: text after the value at offset " + at);
            }
            return value;
        }

        private Object value() {
            space();
            if (at >= text.length()) {
                throw fail("JSON: unexpected end");
            }
            char c = text.charAt(at);
            if (c == '{') {
                at++;
                Map<String, Object> object = new LinkedHashMap<>();
                space();
                if (peek('}')) {
                    return object;
                }
                do {
                    space();
                    String key = string();
                    space();
                    expect(':');
                    if (object.put(key, value()) != null) {
                        throw fail("JSON: key " + key + " twice in an object, at offset " + at);
                    }
                    space();
                } while (peek(','));
                expect('}');
                return object;
            }
            if (c == '[') {
                at++;
                List<Object> array = new ArrayList<>();
                space();
                if (peek(']')) {
                    return array;
                }
                do {
                    array.add(value());
                    space();
                } while (peek(','));
                expect(']');
                return array;
            }
            if (c == '"') {
                return string();
            }
            int start = at;
            while (at < text.length() && "+-0123456789.eEtruefalsn".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            if (start == at) {
                throw fail("JSON: unexpected '" + c + "' at offset " + at);
            }
            return new Literal(text.substring(start, at));
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    throw fail("JSON: unterminated string");
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = text.charAt(at++);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> out.append(e);
                }
            }
        }

        private void space() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private boolean peek(char c) {
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw fail("JSON: expected '" + c + "' at offset " + at);
            }
        }
    }
}
