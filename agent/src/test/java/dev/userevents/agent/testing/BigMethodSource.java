package dev.userevents.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A class with one traced method so large that a probe does not fit in it (the JVM's limit is 65,535 bytes
 * of bytecode per method) and one small traced method, written as Java source and compiled with the JDK's
 * own compiler: a 22,000-line source file has no place in the repository.
 */
public final class BigMethodSource {
    /**
     * {@code r += 1} compiles to one 3-byte {@code iinc}: the method body is 4 + 3 x this many bytes, 65,509,
     * which javac accepts and which no woven entry check (about 40 bytes) fits beside.
     */
    static final int INCREMENTS = 21_835;

    private BigMethodSource() {
    }

    /**
     * The source of {@code pkg.simpleName}: {@code big(int depth, String tag)} (65,509 bytes of bytecode,
     * returns {@code depth + 21835}) and {@code small(int x)} (returns {@code 2x}), both {@code @Tracepoint}
     * with the event names {@code bigName} and {@code smallName}; {@code exit} adds exit events to both;
     * {@code mainBody} (may be empty) becomes a {@code main} method.
     */
    public static String source(String pkg, String simpleName, String bigName, String smallName, boolean exit,
                                String mainBody) {
        String annotation = exit ? "(name = \"%s\", exit = true)" : "(name = \"%s\")";
        StringBuilder java = new StringBuilder(INCREMENTS * 16);
        java.append("package ").append(pkg).append(";\n\nimport dev.userevents.Tracepoint;\n\n")
            .append("public final class ").append(simpleName).append(" {\n")
            .append("    @Tracepoint").append(String.format(annotation, bigName)).append('\n')
            .append("    public static int big(int depth, String tag) {\n        int r = depth;\n");
        for (int i = 0; i < INCREMENTS; i++) {
            java.append("        r += 1;\n");
        }
        java.append("        return r;\n    }\n\n")
            .append("    @Tracepoint").append(String.format(annotation, smallName)).append('\n')
            .append("    public static int small(int x) {\n        return 2 * x;\n    }\n");
        if (!mainBody.isEmpty()) {
            java.append("\n    public static void main(String[] args) throws Exception {\n").append(mainBody)
                .append("\n    }\n");
        }
        return java.append("}\n").toString();
    }

    /**
     * Compiles {@code source} of class {@code pkg.simpleName} into {@code outputDir}.
     *
     * @return the folder holding the class files (the class path root)
     * @throws IllegalStateException when javac reports an error (its output is in the message)
     */
    public static Path compile(Path outputDir, String pkg, String simpleName, String source, String classPath) {
        try {
            Path sourceDir = Files.createDirectories(outputDir.resolve("src/" + pkg.replace('.', '/')));
            Path file = sourceDir.resolve(simpleName + ".java");
            Files.writeString(file, source, StandardCharsets.UTF_8);
            Path classes = Files.createDirectories(outputDir.resolve("classes"));
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
            int status = javac.run(null, null, errors, List.of("-g", "-parameters", "-cp", classPath, "-d",
                classes.toString(), file.toString()).toArray(new String[0]));
            if (status != 0) {
                throw new IllegalStateException("javac failed: " + errors.toString(StandardCharsets.UTF_8));
            }
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
