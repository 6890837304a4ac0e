package dev.userevents.agent.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.Tracepoint;
import dev.userevents.agent.probe.ParameterKind;
import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.testing.CapturedLog;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.implementation.StubMethod;
import org.junit.jupiter.api.Test;

/** Which methods become events, under which names, with which fields. */
class ProbeDefinitionsTest {

    @Test
    void defaultNameIsSimpleClassNameUnderscoreMethod() {
        assertEquals("TracedSample_add", definitionOf(TracedSample.class, "add").format().name());
    }

    @Test
    void nestedClassesAreJoinedWithUnderscores() {
        assertEquals("TracedSample_Nested_run", definitionOf(TracedSample.Nested.class, "run").format().name());
        assertEquals("GenericHandler_Upper_handle",
            definitionOf(GenericHandler.Upper.class, "handle").format().name());
    }

    @Test
    void explicitNameReplacesTheDefault() {
        assertEquals("custom_name", definitionOf(TracedSample.class, "named").format().name());
    }

    @Test
    void prefixGoesBeforeDefaultAndExplicitNames() {
        Map<String, ProbeDefinition> byMethod = byMethod(TracedSample.class, "app_");

        assertEquals("app_TracedSample_add", byMethod.get("add(II)I").format().name());
        assertEquals("app_custom_name", byMethod.get("named(I)I").format().name());
    }

    @Test
    void overloadsAreNumberedInDescriptorOrder() {
        Map<String, ProbeDefinition> byMethod = byMethod(TracedSample.class, "");

        assertEquals("TracedSample_overloaded", byMethod.get("overloaded(I)Ljava/lang/String;").format().name());
        assertEquals("TracedSample_overloaded_2", byMethod.get("overloaded(JJ)Ljava/lang/String;").format().name());
        assertEquals("TracedSample_overloaded_3",
            byMethod.get("overloaded(Ljava/lang/String;)Ljava/lang/String;").format().name());
    }

    @Test
    void differentMethodsSharingAnExplicitNameAreNumberedToo() {
        Map<String, ProbeDefinition> byMethod = byMethod(NamingSample.class, "");

        assertEquals("shared", byMethod.get("first(I)V").format().name());
        assertEquals("shared_2", byMethod.get("second(J)V").format().name());
    }

    @Test
    void fieldsAreNamedAfterTheParameters() {
        assertEquals("TracedSample_add s32 a; s32 b", definitionOf(TracedSample.class, "add").format().command());
    }

    @Test
    void everyJavaTypeMapsToItsFieldType() {
        assertEquals("TracedSample_everyType u8 flag; s8 small; s16 medium; u16 letter; s32 count; s64 total; "
                + "__rel_loc char[] ratio; __rel_loc char[] amount; __rel_loc char[] text; __rel_loc char[] color; "
                + "__rel_loc char[] other",
            definitionOf(TracedSample.class, "everyType").format().command());
    }

    @Test
    void parameterKindsFollowTheParameters() {
        assertEquals(List.of(ParameterKind.BOOLEAN, ParameterKind.BYTE, ParameterKind.SHORT, ParameterKind.CHAR,
                ParameterKind.INT, ParameterKind.LONG, ParameterKind.FLOAT, ParameterKind.DOUBLE, ParameterKind.STRING,
                ParameterKind.OBJECT, ParameterKind.OBJECT),
            definitionOf(TracedSample.class, "everyType").parameters());
    }

    @Test
    void fixedSizeAndStringCountDescribeThePayload() {
        ProbeDefinition definition = definitionOf(TracedSample.class, "everyType");

        assertEquals(1 + 1 + 2 + 2 + 4 + 8 + 5 * 4, definition.format().fixedSize());
        assertEquals(5, definition.stringFields());
    }

    @Test
    void arraysAreObjectsEncodedAsText() {
        assertEquals("NamingSample_arrays __rel_loc char[] values; __rel_loc char[] grid",
            definitionOf(NamingSample.class, "arrays").format().command());
    }

    @Test
    void parameterNamesAreSanitizedAndDuplicatesFallBackToArgN() {
        // a$b and a_b both become a_b: the second keeps its position name
        assertEquals("NamingSample_dollars s32 a_b; s32 arg1; __rel_loc char[] _x",
            definitionOf(NamingSample.class, "dollars").format().command());
    }

    @Test
    void parametersWithoutNamesAreArgZeroArgOne() {
        byte[] classFile = new ByteBuddy()
            .subclass(Object.class)
            .name("com.acme.Unnamed")
            .defineMethod("run", void.class, Modifier.PUBLIC)
            .withParameters(int.class, String.class)
            .intercept(StubMethod.INSTANCE)
            .annotateMethod(AnnotationDescription.Builder.ofType(Tracepoint.class).build())
            .make()
            .getBytes();

        ProbeDefinition definition = only(definitionsOf(classFile));

        assertEquals("Unnamed_run s32 arg0; __rel_loc char[] arg1", definition.format().command());
    }

    @Test
    void methodKeyNamesClassMethodAndDescriptor() {
        assertEquals("dev.userevents.agent.weave.TracedSample#add(II)I", definitionOf(TracedSample.class, "add").methodKey());
    }

    @Test
    void methodsWithoutBodiesAreLeftOutWithAWarning() {
        try (CapturedLog log = CapturedLog.start()) {
            Map<String, ProbeDefinition> byMethod = byMethod(AbstractSample.class, "");

            assertEquals(List.of("concrete(I)V"), new ArrayList<>(byMethod.keySet()));
            assertEquals(1, log.linesWith("AbstractSample.todo ignored").size(), log.lines().toString());
            assertEquals(1, log.linesWith("AbstractSample.inC ignored").size(), log.lines().toString());
        }
    }

    @Test
    void interfaceMethodWithoutBodyIsLeftOut() {
        byte[] classFile = new ByteBuddy()
            .makeInterface()
            .name("com.acme.Api")
            .defineMethod("call", void.class, Modifier.PUBLIC | Modifier.ABSTRACT)
            .withParameters(int.class)
            .withoutCode()
            .annotateMethod(AnnotationDescription.Builder.ofType(Tracepoint.class).build())
            .make()
            .getBytes();

        try (CapturedLog log = CapturedLog.start()) {
            assertTrue(definitionsOf(classFile).isEmpty());
            assertEquals(1, log.linesWith("Api.call ignored").size(), log.lines().toString());
        }
    }

    @Test
    void bridgeMethodIsNotDefined() {
        Map<String, ProbeDefinition> byMethod = byMethod(GenericHandler.Upper.class, "");

        assertEquals(List.of("handle(Ljava/lang/String;)Ljava/lang/String;"), new ArrayList<>(byMethod.keySet()));
        assertEquals("GenericHandler_Upper_handle", byMethod.values().iterator().next().format().name());
    }

    @Test
    void invalidExplicitNameLeavesOnlyThatMethodOutWithAnError() {
        try (CapturedLog log = CapturedLog.start()) {
            Map<String, ProbeDefinition> byMethod = byMethod(NamingSample.class, "");

            assertFalse(byMethod.containsKey("badName(I)V"));
            assertTrue(byMethod.containsKey("dollars(IILjava/lang/String;)V"));
            List<String> errors = log.linesWith("not-an-identifier");
            assertEquals(1, errors.size(), log.lines().toString());
            assertTrue(errors.get(0).contains("ERROR probe not-an-identifier on dev.userevents.agent.weave.NamingSample.badName(I)V left off"),
                errors.get(0));
        }
    }

    @Test
    void methodsWithoutTracepointAreNotDefined() {
        Map<String, ProbeDefinition> byMethod = byMethod(TracedSample.class, "");

        assertFalse(byMethod.containsKey("untraced(I)Ljava/util/List;"));
        assertFalse(byMethod.containsKey("callTwice(J)J"));
        assertTrue(byMethod(UntracedSample.class, "").isEmpty());
    }

    @Test
    void tracepointWithoutExitHasNoExitEvent() {
        assertNull(definitionOf(TracedSample.class, "add").exit());
    }

    private static ProbeDefinition definitionOf(Class<?> type, String methodName) {
        List<ProbeDefinition> found = new ArrayList<>();
        for (ProbeDefinition definition : byMethod(type, "").values()) {
            if (definition.methodName().equals(methodName)) {
                found.add(definition);
            }
        }
        assertEquals(1, found.size(), "definitions of " + methodName);
        return found.get(0);
    }

    /** Definitions keyed by {@code name + descriptor}. */
    private static Map<String, ProbeDefinition> byMethod(Class<?> type, String prefix) {
        return new TreeMap<>(WovenClasses.definitions(type, prefix, ProbesFile.EMPTY));
    }

    /** The definitions the agent makes of a class file's methods. */
    private static Map<DeclaredMethod, ProbeDefinition> definitionsOf(byte[] classFile) {
        ClassScan scan = ClassScan.of(classFile, ProbesFile.EMPTY);
        return ProbeDefinitions.of(scan.className(), scan.specs(), "", scan.unmatched());
    }

    private static ProbeDefinition only(Map<DeclaredMethod, ProbeDefinition> definitions) {
        assertEquals(1, definitions.size());
        return definitions.values().iterator().next();
    }
}
