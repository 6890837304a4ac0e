package dev.userevents.agent.weave;

import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The methods one on-demand probes-file line selects: a class pattern and a method pattern
 * ({@code com.acme.*#total*}), or an annotation ({@code @org.springframework.web.bind.annotation.GetMapping}).
 *
 * <p>Class patterns are binary names ({@code com.acme.Outer$Inner}) with two wildcards: {@code *} matches
 * any run of characters within one package segment (no {@code .}), and {@code ..} before the last segment
 * matches the package and every sub-package: {@code com.acme..*} is every class in {@code com.acme} and
 * below, {@code com.acme.*} only those directly in {@code com.acme}. Method patterns are names with
 * {@code *} for any run of characters. An annotation line selects the methods that carry the annotation and
 * every method of a class that carries it (AspectJ's {@code within} and {@code execution} wildcards, cut down).
 */
final class MethodPattern {
    private final @Nullable Pattern classPattern;
    private final @Nullable Pattern methodPattern;
    /** {@code Lcom/acme/Traced;}: null unless an annotation line. */
    private final @Nullable String annotationDescriptor;
    /** The class pattern's text before its first wildcard ({@code com.acme.} for {@code com.acme..*}). */
    private final String classPrefix;

    private MethodPattern(@Nullable Pattern classPattern, @Nullable Pattern methodPattern,
                          @Nullable String annotationDescriptor, String classPrefix) {
        this.classPattern = classPattern;
        this.methodPattern = methodPattern;
        this.annotationDescriptor = annotationDescriptor;
        this.classPrefix = classPrefix;
    }

    /**
     * Whether a probes-file target is a pattern rather than one class and method.
     *
     * @param target the text before the options: {@code class#method} or {@code @annotation}
     * @return true for an annotation or a target with {@code *} or {@code ..}
     */
    static boolean isPattern(String target) {
        return target.startsWith("@") || target.contains("*") || target.contains("..");
    }

    /**
     * Parses {@code class#method} (either side may hold wildcards) or {@code @annotation}.
     *
     * @param target the line's target, as {@link #isPattern} accepted it
     * @return the pattern
     * @throws IllegalArgumentException with the reason, for a malformed target
     */
    static MethodPattern parse(String target) {
        if (target.startsWith("@")) {
            String annotation = target.substring(1);
            if (!annotation.matches("[\\p{javaJavaIdentifierPart}$.]+") || annotation.contains("..")
                || annotation.startsWith(".") || annotation.endsWith(".")) {
                throw new IllegalArgumentException("expected @fully.qualified.Annotation, got '" + target + "'");
            }
            return new MethodPattern(null, null, "L" + annotation.replace('.', '/') + ";", "");
        }
        int hash = target.indexOf('#');
        if (hash <= 0 || hash == target.length() - 1) {
            throw new IllegalArgumentException("expected class#method, got '" + target + "'");
        }
        String classPart = target.substring(0, hash);
        String methodPart = target.substring(hash + 1);
        if (!classPart.matches("[\\p{javaJavaIdentifierPart}$.*]+") || classPart.contains("...")
            || classPart.startsWith(".") || classPart.endsWith(".")) {
            throw new IllegalArgumentException("'" + classPart + "' is not a class pattern (letters, digits, '$', '.',"
                + " '*' within a package segment, '..' for sub-packages)");
        }
        if (!methodPart.matches("[\\p{javaJavaIdentifierPart}$*]+")) {
            throw new IllegalArgumentException("'" + methodPart + "' is not a method pattern (a name with '*')");
        }
        int star = classPart.indexOf('*');
        int dots = classPart.indexOf("..");
        int end = star < 0 ? dots < 0 ? classPart.length() : dots + 1 : dots < 0 ? star : Math.min(star, dots + 1);
        return new MethodPattern(Pattern.compile(classRegex(classPart)), Pattern.compile(glob(methodPart, ".*")), null,
            classPart.substring(0, end));
    }

    private static String classRegex(String classPart) {
        StringBuilder regex = new StringBuilder();
        String[] packages = classPart.split("\\.\\.", -1);
        for (int i = 0; i < packages.length; i++) {
            if (i > 0) {
                regex.append("\\.(?:[^.]+\\.)*"); // '..': this package or any below it
            }
            regex.append(glob(packages[i], "[^.]*"));
        }
        return regex.toString();
    }

    /** {@code text} as a regex: each {@code *} becomes {@code star}, everything else is literal. */
    private static String glob(String text, String star) {
        StringBuilder regex = new StringBuilder();
        String[] literals = text.split("\\*", -1);
        for (int i = 0; i < literals.length; i++) {
            if (i > 0) {
                regex.append(star);
            }
            if (!literals[i].isEmpty()) {
                regex.append(Pattern.quote(literals[i]));
            }
        }
        return regex.toString();
    }

    /**
     * Whether a class may hold selected methods, judged by its name alone.
     *
     * @param className binary name, {@code com.acme.Outer$Inner}
     * @return true when the class pattern matches; always true for an annotation line (the class file decides)
     */
    boolean mayMatchClass(String className) {
        return classPattern == null || classPattern.matcher(className).matches();
    }

    /**
     * What every class this line may select starts with, judged by the pattern alone.
     *
     * @return the class pattern's text before its first wildcard, a {@code ..} kept as its first {@code .}
     *     ({@code com.acme.} for {@code com.acme..*}, {@code org.h2.jdbc.Jdbc} for {@code org.h2.jdbc.Jdbc*});
     *     empty for an annotation line or a pattern that starts with {@code *}
     */
    String classPrefix() {
        return classPrefix;
    }

    /**
     * The annotation this line selects by, as a descriptor.
     *
     * @return {@code Lcom/acme/Traced;}, or null for a name pattern
     */
    @Nullable String annotationDescriptor() {
        return annotationDescriptor;
    }

    /**
     * Whether this line selects one method.
     *
     * @param className         the method's class, binary name
     * @param methodName        the method's name
     * @param classAnnotations  descriptors of the annotations on the class
     * @param methodAnnotations descriptors of the annotations on the method
     * @return true when selected
     */
    boolean matches(String className, String methodName, Set<String> classAnnotations, Set<String> methodAnnotations) {
        if (annotationDescriptor != null) {
            return classAnnotations.contains(annotationDescriptor) || methodAnnotations.contains(annotationDescriptor);
        }
        return mayMatchClass(className) && methodPattern != null && methodPattern.matcher(methodName).matches();
    }
}
