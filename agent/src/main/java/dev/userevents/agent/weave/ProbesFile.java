package dev.userevents.agent.weave;

import dev.userevents.agent.runtime.AgentLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.Type;
import org.jspecify.annotations.Nullable;

/**
 * Probes on code you cannot annotate (agent option {@code probes=path}). One method per line:
 * <pre>
 *   # class#method[(parameter types)]        [name=event_name] [exit] [stack] [level=1..5] [keyword=0xHEX]
 *   com.acme.Checkout#total
 *   com.acme.Checkout#applyCoupon(java.lang.String, int)   name=coupon_applied  exit
 * </pre>
 * Without parameter types every overload is traced. Types are written as in Java source, fully qualified or
 * simple ({@code String}, {@code int[]}). A line applies exactly as {@code @Tracepoint(name=..., exit=...)}
 * would on that method. A malformed line is reported with its number and skipped.
 */
public final class ProbesFile {
    /** No lines: only {@code @Tracepoint} methods are traced. */
    public static final ProbesFile EMPTY = new ProbesFile(Collections.emptyMap());

    private final Map<String, List<Line>> linesByClass;

    private ProbesFile(Map<String, List<Line>> linesByClass) {
        this.linesByClass = linesByClass;
    }

    private static final class Line {
        final String method;
        final @Nullable List<String> parameterTypes; // null: any overload
        final TracepointSpec spec;

        Line(String method, @Nullable List<String> parameterTypes, TracepointSpec spec) {
            this.method = method;
            this.parameterTypes = parameterTypes;
            this.spec = spec;
        }
    }

    /**
     * Reads a probes file. Malformed lines are logged with their number and skipped; an unreadable file is
     * logged once.
     *
     * @param file the file the agent option {@code probes} names, UTF-8
     * @return the well-formed lines; {@link #EMPTY} if the file cannot be read
     */
    public static ProbesFile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            AgentLog.error("probes file " + file + " cannot be read (" + e + "); only @Tracepoint methods are traced");
            return EMPTY;
        }
        return parse(lines, file.getFileName().toString());
    }

    static ProbesFile parse(List<String> lines, String fileName) {
        Map<String, List<Line>> byClass = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String where = fileName + ":" + (i + 1);
            String text = lines.get(i).replaceAll("#\\s.*$", "").trim();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            try {
                parseLine(text, where, byClass);
            } catch (IllegalArgumentException e) {
                AgentLog.error("probes file line " + where + " skipped: " + e.getMessage());
            }
        }
        return new ProbesFile(byClass);
    }

    private static void parseLine(String text, String where, Map<String, List<Line>> byClass) {
        int open = text.indexOf('(');
        int close = text.indexOf(')');
        String target;
        String options;
        List<String> types = null;
        if (open >= 0) {
            if (close < open) {
                throw new IllegalArgumentException("'(' without ')' in '" + text + "'");
            }
            target = text.substring(0, open).trim();
            types = new ArrayList<>();
            for (String type : text.substring(open + 1, close).split(",", -1)) {
                if (!type.trim().isEmpty()) {
                    types.add(type.trim());
                }
            }
            options = text.substring(close + 1).trim();
        } else {
            String[] parts = text.split("\\s+", 2);
            target = parts[0];
            options = parts.length > 1 ? parts[1] : "";
        }
        int hash = target.indexOf('#');
        if (hash <= 0 || hash == target.length() - 1) {
            throw new IllegalArgumentException("expected class#method, got '" + target + "'");
        }
        String name = "";
        boolean exit = false;
        boolean stack = false;
        int level = TracepointSpec.DEFAULT_LEVEL;
        long keyword = TracepointSpec.DEFAULT_KEYWORD;
        for (String option : options.isEmpty() ? new String[0] : options.split("\\s+")) {
            if (option.equals("exit")) {
                exit = true;
            } else if (option.equals("stack")) {
                stack = true;
            } else if (option.startsWith("name=")) {
                name = option.substring("name=".length());
            } else if (option.startsWith("level=")) {
                level = level(option.substring("level=".length()));
            } else if (option.startsWith("keyword=")) {
                keyword = keyword(option.substring("keyword=".length()));
            } else {
                throw new IllegalArgumentException("unknown option '" + option
                    + "' (use name=EVENT, exit, stack, level=1..5, keyword=0xHEX)");
            }
        }
        byClass.computeIfAbsent(target.substring(0, hash), key -> new ArrayList<>())
            .add(new Line(target.substring(hash + 1), types, new TracepointSpec(name, exit, stack, where)
            .withAttributes(level, keyword)));
    }

    /**
     * The classes this file names, for the type matcher.
     *
     * @return the class names as written before {@code #} (binary names, {@code com.acme.Outer$Inner}); a view,
     *     not to be modified
     */
    public Set<String> classNames() {
        return linesByClass.keySet();
    }

    /**
     * Whether the file names no method.
     *
     * @return true when no well-formed line was read, as for {@link #EMPTY}
     */
    public boolean isEmpty() {
        return linesByClass.isEmpty();
    }

    /** An EventHeader level, 1 (critical) to 5 (verbose). */
    private static int level(String text) {
        if (!text.matches("[1-5]")) {
            throw new IllegalArgumentException("level=" + text + ": use 1 (critical), 2 (error), 3 (warning),"
                + " 4 (information) or 5 (verbose)");
        }
        return Integer.parseInt(text);
    }

    /** An EventHeader keyword, 64 bits: {@code 0x}-prefixed hex, or decimal. */
    private static long keyword(String text) {
        try {
            return text.startsWith("0x") || text.startsWith("0X") ? Long.parseUnsignedLong(text.substring(2), 16)
                : Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("keyword=" + text + ": use a 64-bit mask, hex (0x2a) or decimal", e);
        }
    }

    /** The spec for {@code method} of class {@code className}, or null. */
    @Nullable TracepointSpec specFor(String className, DeclaredMethod method) {
        List<Line> lines = linesByClass.get(className);
        if (lines == null) {
            return null;
        }
        for (Line line : lines) {
            if (line.method.equals(method.name()) && parametersMatch(line.parameterTypes, method)) {
                return line.spec;
            }
        }
        return null;
    }

    /** Lines of this class that matched no method: worth a log line when the class loads. */
    List<String> unmatched(String className, Iterable<DeclaredMethod> methods) {
        List<String> unmatched = new ArrayList<>();
        for (Line line : linesByClass.getOrDefault(className, Collections.emptyList())) {
            boolean found = false;
            for (DeclaredMethod method : methods) {
                found |= line.method.equals(method.name()) && parametersMatch(line.parameterTypes, method);
            }
            if (!found) {
                unmatched.add(line.spec.origin() + " " + className + "#" + line.method
                    + (line.parameterTypes == null ? "" : "(" + String.join(", ", line.parameterTypes) + ")"));
            }
        }
        return unmatched;
    }

    /**
     * Whether the method's parameter types are the line's, each written as its binary name ({@code a.B$C},
     * {@code [I}), as in source ({@code int[]}, {@code a.B$C[]}) or simple ({@code String}, {@code B$C}).
     */
    private static boolean parametersMatch(@Nullable List<String> expected, DeclaredMethod method) {
        if (expected == null) {
            return true;
        }
        Type[] actual = Type.getArgumentTypes(method.descriptor());
        if (actual.length != expected.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            String source = actual[i].getClassName(); // int[] and a.B$C rather than [I and La/B$C;
            String name = actual[i].getSort() == Type.ARRAY ? actual[i].getDescriptor().replace('/', '.') : source;
            String simple = source.substring(source.lastIndexOf('.') + 1);
            String want = expected.get(i).replace(" ", "");
            if (!want.equals(name) && !want.equals(source) && !want.equals(simple)) {
                return false;
            }
        }
        return true;
    }
}
