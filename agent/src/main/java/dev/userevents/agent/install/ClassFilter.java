package dev.userevents.agent.install;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.jspecify.annotations.Nullable;

/**
 * Which classes the agent may weave: never the JDK's nor its own; then the include patterns (all classes
 * when none) minus the exclude patterns. Patterns are class names with {@code *} matching any run of
 * characters ({@code com.acme.*}).
 */
final class ClassFilter implements ElementMatcher<TypeDescription> {
    private static final String[] NEVER = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "net.bytebuddy.", "dev.userevents.agent.", "dev.userevents.shim.",
    };

    private final List<Pattern> includes;
    private final List<Pattern> excludes;

    ClassFilter(List<String> includes, List<String> excludes) {
        this.includes = compile(includes);
        this.excludes = compile(excludes);
    }

    private static List<Pattern> compile(List<String> globs) {
        List<Pattern> patterns = new ArrayList<>();
        for (String glob : globs) {
            StringBuilder regex = new StringBuilder();
            for (String part : glob.split("\\*", -1)) {
                if (regex.length() > 0 || glob.startsWith("*")) {
                    regex.append(".*");
                }
                regex.append(Pattern.quote(part));
            }
            patterns.add(Pattern.compile(glob.startsWith("*") ? regex.substring(2) : regex.toString()));
        }
        return patterns;
    }

    @Override
    public boolean matches(TypeDescription type) {
        return accepts(type.getName());
    }

    boolean accepts(String className) {
        if (neverWoven(className)) {
            return false;
        }
        if (!includes.isEmpty() && !anyMatches(includes, className)) {
            return false;
        }
        return !anyMatches(excludes, className);
    }

    /**
     * Why this class is never woven.
     *
     * @param className binary name
     * @return the reason and the way out, for a log line; null when the class may be woven
     */
    @Nullable String refusal(String className) {
        if (neverWoven(className)) {
            return NEVER_REASON;
        }
        return accepts(className) ? null : "the agent options include/exclude rule that class out, so the line selects"
            + " nothing: remove it, or change include/exclude";
    }

    /**
     * Why no class whose name starts with this text is ever woven, whatever include and exclude say.
     *
     * @param prefix the start of class names, {@code java.util.}
     * @return the reason and the way out, for a log line; null when such a class may be woven
     */
    static @Nullable String prefixRefusal(String prefix) {
        return neverWoven(prefix) ? NEVER_REASON : null;
    }

    private static final String NEVER_REASON = "the agent never weaves the JDK's classes (java., javax., jdk., sun.,"
        + " com.sun.) nor its own, so the line selects nothing: remove it, or name the application's method that calls"
        + " into that class";

    private static boolean neverWoven(String className) {
        for (String prefix : NEVER) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyMatches(List<Pattern> patterns, String className) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(className).matches()) {
                return true;
            }
        }
        return false;
    }
}
