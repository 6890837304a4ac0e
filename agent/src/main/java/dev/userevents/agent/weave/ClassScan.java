package dev.userevents.agent.weave;

import dev.userevents.agent.runtime.AgentLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import org.jspecify.annotations.Nullable;

/**
 * The {@code @Tracepoint} methods of one class file, and those its probes-file lines name, read with plain ASM:
 * no Byte Buddy type descriptions, method bodies skipped. Parameter names come from the MethodParameters attribute (javac {@code -parameters}),
 * never from debug information (Byte Buddy's type pool read them the same way).
 */
final class ClassScan extends ClassVisitor {
    private static final String TRACEPOINT_DESCRIPTOR = "L" + ProbeDefinitions.TRACEPOINT.replace('.', '/') + ";";

    private final Map<DeclaredMethod, TracepointSpec> specs = new LinkedHashMap<>();
    private final String className;
    private final ProbesFile probes;
    /** Every declared method, kept only when the probes file names this class (for its unmatched lines). */
    private final List<DeclaredMethod> declared = new ArrayList<>();
    /** Descriptors of the class's own annotations, for annotation lines of the probes file. */
    private final Set<String> classAnnotations = new HashSet<>();
    private boolean probesFileMayName;
    private int version;

    private ClassScan(String className, ProbesFile probes) {
        super(Opcodes.ASM9);
        this.className = className;
        this.probes = probes;
    }

    static ClassScan of(byte[] classFile, ProbesFile probes) {
        ClassReader reader = new ClassReader(classFile);
        ClassScan scan = new ClassScan(reader.getClassName().replace('/', '.'), probes);
        // Not SKIP_DEBUG: ASM counts MethodParameters as debug information.
        reader.accept(scan, ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
        return scan;
    }

    @Override
    public void visit(int version, int access, String name, @Nullable String signature, @Nullable String superName,
                      String @Nullable [] interfaces) {
        this.version = version & 0xFFFF;
        this.probesFileMayName = probes.mayNameByName(className);
    }

    @Override
    public @Nullable AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
        classAnnotations.add(descriptor);
        return null;
    }

    /** The class file's major version (61 for Java 17). */
    int majorVersion() {
        return version;
    }

    /** The binary name, {@code com.acme.Outer$Inner}. */
    String className() {
        return className;
    }

    /** The methods annotated {@code @Tracepoint}, in declaration order, with what each annotation asks. */
    Map<DeclaredMethod, TracepointSpec> specs() {
        return Collections.unmodifiableMap(specs);
    }

    /** The probes-file lines of this class that match none of its methods. */
    List<String> unmatched() {
        return probes.unmatched(className, declared);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        return new MethodScan(access, name, descriptor);
    }

    private final class MethodScan extends MethodVisitor {
        private final int access;
        private final String name;
        private final String descriptor;
        /** From the MethodParameters attribute: null for an entry without a name. */
        private final List<@Nullable String> parameterNames = new ArrayList<>();
        /** Null until the method's {@code @Tracepoint} is visited; stays null for other methods. */
        private @Nullable TracepointValues tracepoint;
        /** Descriptors of every annotation on the method, for annotation lines of the probes file. */
        private final Set<String> annotations = new HashSet<>();

        MethodScan(int access, String name, String descriptor) {
            super(Opcodes.ASM9);
            this.access = access;
            this.name = name;
            this.descriptor = descriptor;
        }

        @Override
        public void visitParameter(@Nullable String parameterName, int parameterAccess) {
            parameterNames.add(parameterName);
        }

        @Override
        public @Nullable AnnotationVisitor visitAnnotation(String annotationDescriptor, boolean visible) {
            annotations.add(annotationDescriptor);
            if (!annotationDescriptor.equals(TRACEPOINT_DESCRIPTOR)) {
                return null;
            }
            tracepoint = new TracepointValues();
            return tracepoint;
        }

        @Override
        public void visitEnd() {
            TracepointValues values = tracepoint;
            boolean inProbesFile = probesFileMayName;
            if (values == null && !inProbesFile) {
                return;
            }
            // A MethodParameters attribute that does not cover every parameter names none of them.
            boolean named = parameterNames.size() == Type.getArgumentTypes(descriptor).length;
            DeclaredMethod method = new DeclaredMethod(name, descriptor, access, named ? parameterNames : null);
            TracepointSpec fromFile = inProbesFile ? probes.specFor(className, method, classAnnotations, annotations) : null;
            TracepointSpec spec = values != null ? new TracepointSpec(values.name, values.exit, values.stack, "@Tracepoint")
                .withAttributes(values.level, values.keyword)
                : fromFile;
            if (values != null && fromFile != null && !fromFile.onDemand()) {
                AgentLog.info("probes file line " + fromFile.origin() + " names " + className + "." + name
                    + ", which has @Tracepoint: the annotation applies, the line is ignored");
            }
            if (inProbesFile) {
                declared.add(method);
            }
            if (spec != null) {
                specs.put(method, spec);
            }
        }
    }

    /** The annotation's values; absent ones keep {@code Tracepoint}'s defaults ("", false, false). */
    private static final class TracepointValues extends AnnotationVisitor {
        String name = "";
        boolean exit;
        boolean stack;
        int level = TracepointSpec.DEFAULT_LEVEL;
        long keyword = TracepointSpec.DEFAULT_KEYWORD;

        TracepointValues() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(String element, Object value) {
            if (element.equals("name") && value instanceof String text) {
                name = text;
            } else if (element.equals("exit") && value instanceof Boolean flag) {
                exit = flag;
            } else if (element.equals("stack") && value instanceof Boolean flag) {
                stack = flag;
            } else if (element.equals("level") && value instanceof Integer number) {
                level = number;
            } else if (element.equals("keyword") && value instanceof Long bits) {
                keyword = bits;
            }
        }
    }
}
