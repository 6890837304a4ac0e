package dev.userevents.agent.weave;

import dev.userevents.agent.runtime.AgentLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import net.bytebuddy.jar.asm.Type;
import org.jspecify.annotations.Nullable;

/**
 * Probes on code you cannot annotate (agent option {@code probes=path}). One method, or one pattern, per line:
 * <pre>
 *   # class#method[(parameter types)]        [name=event_name] [exit] [stack] [ondemand] [level=1..5] [keyword=0xHEX]
 *   com.acme.Checkout#total
 *   com.acme.Checkout#applyCoupon(java.lang.String, int)   name=coupon_applied  exit
 *   # patterns (always on demand): class and method wildcards, or an annotation
 *   com.acme..*#handle*    exit
 *   &#64;org.springframework.web.bind.annotation.GetMapping
 * </pre>
 * Without parameter types every overload is traced. Types are written as in Java source, fully qualified or
 * simple ({@code String}, {@code int[]}). An exact line applies as {@code @Tracepoint(name=..., exit=...)}
 * would on that method, woven at class load unless it says {@code ondemand}. A pattern line
 * ({@link MethodPattern}) or an {@code ondemand} line makes on-demand candidates: their events are registered
 * when the class loads and the methods are woven only while a tracer enables them; patterns skip what cannot
 * or should not be traced (abstract, native, synthetic, bridge and lambda methods, constructors). An exact
 * line wins over a pattern, {@code @Tracepoint} over both. A malformed line is reported with its number and
 * skipped.
 */
public final class ProbesFile {
    /** No lines: only {@code @Tracepoint} methods are traced. */
    public static final ProbesFile EMPTY = new ProbesFile(Collections.emptyMap());

    private final Map<String, List<Line>> linesByClass;
    private final List<PatternLine> patterns;
    private final Set<String> annotationDescriptors;

    private ProbesFile(Map<String, List<Line>> linesByClass) {
        this(linesByClass, Collections.emptyList());
    }

    private ProbesFile(Map<String, List<Line>> linesByClass, List<PatternLine> patterns) {
        this.linesByClass = linesByClass;
        this.patterns = patterns;
        Set<String> annotations = new HashSet<>();
        for (PatternLine line : patterns) {
            if (line.pattern.annotationDescriptor() != null) {
                annotations.add(line.pattern.annotationDescriptor());
            }
        }
        this.annotationDescriptors = annotations;
    }

    private static final class PatternLine {
        final String target;
        final MethodPattern pattern;
        final TracepointSpec spec;
        /** Set once the line selected a method; read by {@code status PID} from another thread. */
        volatile boolean matched;

        PatternLine(String target, MethodPattern pattern, TracepointSpec spec) {
            this.target = target;
            this.pattern = pattern;
            this.spec = spec;
        }
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

    /**
     * Parses a probes file's lines, as {@link #read} does.
     *
     * @param lines    the file's lines
     * @param fileName the name log lines give the file ({@code probes.txt:3})
     * @return the well-formed lines; malformed ones are logged with their number and skipped
     */
    public static ProbesFile parse(List<String> lines, String fileName) {
        Map<String, List<Line>> byClass = new HashMap<>();
        List<PatternLine> patterns = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String where = fileName + ":" + (i + 1);
            String text = lines.get(i).replaceAll("#\\s.*$", "").trim();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            try {
                parseLine(text, where, byClass, patterns);
            } catch (IllegalArgumentException e) {
                AgentLog.error("probes file line " + where + " skipped: " + e.getMessage());
            }
        }
        return new ProbesFile(byClass, patterns);
    }

    private static void parseLine(String text, String where, Map<String, List<Line>> byClass,
                                  List<PatternLine> patterns) {
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
        boolean pattern = MethodPattern.isPattern(target);
        int hash = target.indexOf('#');
        if (!pattern && (hash <= 0 || hash == target.length() - 1)) {
            throw new IllegalArgumentException("expected class#method, got '" + target + "'");
        }
        String name = "";
        boolean exit = false;
        boolean stack = false;
        boolean onDemand = pattern;
        int level = TracepointSpec.DEFAULT_LEVEL;
        long keyword = TracepointSpec.DEFAULT_KEYWORD;
        for (String option : options.isEmpty() ? new String[0] : options.split("\\s+")) {
            if (option.equals("exit")) {
                exit = true;
            } else if (option.equals("stack")) {
                stack = true;
            } else if (option.equals("ondemand")) {
                onDemand = true;
            } else if (option.startsWith("name=")) {
                if (pattern) {
                    throw new IllegalArgumentException("name= is for a line naming one method; a pattern's events"
                        + " are named <Class>_<method>");
                }
                if (!name.isEmpty()) {
                    throw new IllegalArgumentException("name= given twice");
                }
                name = option.substring("name=".length());
            } else if (option.startsWith("level=")) {
                level = level(option.substring("level=".length()));
            } else if (option.startsWith("keyword=")) {
                keyword = keyword(option.substring("keyword=".length()));
            } else {
                throw new IllegalArgumentException("unknown option '" + option
                    + "' (use name=EVENT, exit, stack, ondemand, level=1..5, keyword=0xHEX)");
            }
        }
        TracepointSpec spec = new TracepointSpec(name, exit, stack, where, onDemand).withAttributes(level, keyword);
        if (pattern) {
            if (types != null) {
                throw new IllegalArgumentException("a pattern takes no parameter types: it selects every overload");
            }
            patterns.add(new PatternLine(target, MethodPattern.parse(target), spec));
            return;
        }
        String method = target.substring(hash + 1);
        List<Line> ofClass = byClass.computeIfAbsent(target.substring(0, hash), key -> new ArrayList<>());
        for (Line line : ofClass) {
            if (line.method.equals(method) && Objects.equals(line.parameterTypes, types)) {
                throw new IllegalArgumentException("line " + line.spec.origin() + " already names "
                    + target + " (lines are not merged: put every option on that line)");
            }
        }
        ofClass.add(new Line(method, types, spec));
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
     * The lines that cannot select any method because every class they may name is one the agent never weaves
     * (the JDK's, its own, or one that {@code include}/{@code exclude} rule out), in file order.
     *
     * @param classRefusal  why the agent never weaves this class (binary name) and the way out, or null when it may: asked for an
     *                      exact line's class
     * @param prefixRefusal why the agent never weaves any class whose name starts with this text and the way out, or null: asked
     *                      for a pattern line's text before its first wildcard (never for an annotation line)
     * @return one entry a line, {@code probes.txt:3 java.util.ArrayList#size: <why>}; empty when every line may
     *     select something
     */
    public List<String> linesSelectingNothing(Function<String, @Nullable String> classRefusal,
                                              Function<String, @Nullable String> prefixRefusal) {
        List<String[]> found = new ArrayList<>(); // {origin, target, why}
        for (Map.Entry<String, List<Line>> entry : linesByClass.entrySet()) {
            String why = classRefusal.apply(entry.getKey());
            if (why != null) {
                for (Line line : entry.getValue()) {
                    found.add(new String[] {line.spec.origin(), entry.getKey() + "#" + line.method, why});
                }
            }
        }
        for (PatternLine line : patterns) {
            String prefix = line.pattern.classPrefix();
            String why = line.pattern.annotationDescriptor() != null || prefix.isEmpty() ? null
                : prefixRefusal.apply(prefix);
            if (why != null) {
                found.add(new String[] {line.spec.origin(), line.target, why});
            }
        }
        found.sort(Comparator.comparingInt(ProbesFile::lineNumber));
        List<String> lines = new ArrayList<>();
        for (String[] line : found) {
            lines.add(line[0] + " " + line[1] + ": " + line[2]);
        }
        return lines;
    }

    private static int lineNumber(String[] line) {
        String origin = line[0];
        return Integer.parseInt(origin.substring(origin.lastIndexOf(':') + 1));
    }

    /**
     * Whether the file names no method.
     *
     * @return true when no well-formed line was read, as for {@link #EMPTY}
     */
    public boolean isEmpty() {
        return linesByClass.isEmpty() && patterns.isEmpty();
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

    /**
     * Whether any line makes on-demand candidates (a pattern, or the word {@code ondemand}).
     *
     * @return true when the agent needs its on-demand poll thread
     */
    public boolean hasOnDemand() {
        if (!patterns.isEmpty()) {
            return true;
        }
        for (List<Line> lines : linesByClass.values()) {
            for (Line line : lines) {
                if (line.spec.onDemand()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether a class may hold methods this file selects: the cheap test before the class file is parsed.
     *
     * @param className binary name, {@code com.acme.Outer$Inner}
     * @param classFile the class file, searched for the descriptors of the annotations that lines name
     * @return true when an exact line names the class, a class pattern matches its name, or its class file
     *     mentions an annotation a line selects by
     */
    public boolean mayName(String className, byte[] classFile) {
        if (linesByClass.containsKey(className)) {
            return true;
        }
        for (PatternLine line : patterns) {
            if (line.pattern.annotationDescriptor() == null && line.pattern.mayMatchClass(className)) {
                return true;
            }
        }
        for (String descriptor : annotationDescriptors) {
            if (ClassBytes.mentions(classFile, descriptor)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@link ClassScan} must look at every method of this class (by name; annotation lines aside). */
    boolean mayNameByName(String className) {
        if (linesByClass.containsKey(className) || !annotationDescriptors.isEmpty()) {
            return true;
        }
        for (PatternLine line : patterns) {
            if (line.pattern.mayMatchClass(className)) {
                return true;
            }
        }
        return false;
    }

    /** The spec for {@code method} of class {@code className}, or null: an exact line first, then a pattern. */
    @Nullable TracepointSpec specFor(String className, DeclaredMethod method, Set<String> classAnnotations,
                                     Set<String> methodAnnotations) {
        for (Line line : linesByClass.getOrDefault(className, Collections.emptyList())) {
            if (line.method.equals(method.name()) && parametersMatch(line.parameterTypes, method)) {
                return line.spec;
            }
        }
        if (patterns.isEmpty() || !method.isCandidate()) {
            return null;
        }
        for (PatternLine line : patterns) {
            if (line.pattern.matches(className, method.name(), classAnnotations, methodAnnotations)) {
                if (!line.matched) {
                    line.matched = true;
                }
                return line.spec;
            }
        }
        return null;
    }

    /**
     * The pattern lines that have selected no method so far, in file order: a misspelt package or method name
     * shows as one here (classes load lazily, so "so far" is all anyone can say).
     *
     * @return one entry a line, {@code probes.txt:3 com.acme.*#handel*}; empty when every pattern matched
     */
    public List<String> patternsMatchingNothing() {
        List<String> idle = new ArrayList<>();
        for (PatternLine line : patterns) {
            if (!line.matched) {
                idle.add(line.spec.origin() + " " + line.target);
            }
        }
        return idle;
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
