package dev.userevents.agent.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.testing.CapturedLog;
import dev.userevents.agent.testing.RecordingBackend;
import dev.userevents.agent.weave.ondemand.Checkout;
import dev.userevents.agent.weave.ondemand.deeper.Ledger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The probes file's pattern language and on-demand lines: what they select, and what they must not. */
class OnDemandLinesTest {
    private static final String PACKAGE = "dev.userevents.agent.weave.ondemand";

    @Test
    void classStarStaysInOnePackageAndDoubleDotReachesSubPackages() {
        MethodPattern direct = MethodPattern.parse(PACKAGE + ".*#*");
        assertTrue(direct.mayMatchClass(PACKAGE + ".Checkout"));
        assertTrue(direct.mayMatchClass(PACKAGE + ".Checkout$Inner"));
        assertFalse(direct.mayMatchClass(PACKAGE + ".deeper.Ledger"));
        assertFalse(direct.mayMatchClass(PACKAGE + "x.Checkout"), "a package whose name only starts alike");

        MethodPattern below = MethodPattern.parse(PACKAGE + "..*#*");
        assertTrue(below.mayMatchClass(PACKAGE + ".Checkout"));
        assertTrue(below.mayMatchClass(PACKAGE + ".deeper.Ledger"));
        assertFalse(below.mayMatchClass(PACKAGE + "x.Checkout"));
        assertFalse(below.mayMatchClass("dev.userevents.agent.weave.Checkout"), "the parent package is not below");

        MethodPattern prefix = MethodPattern.parse("org.h2.jdbc.Jdbc*#execute*");
        assertTrue(prefix.matches("org.h2.jdbc.JdbcStatement", "executeQuery", Set.of(), Set.of()));
        assertFalse(prefix.matches("org.h2.jdbc.JdbcStatement", "getResultSet", Set.of(), Set.of()));
        assertFalse(prefix.matches("org.h2.jdbcx.JdbcDataSource", "execute", Set.of(), Set.of()));
        assertFalse(prefix.matches("org.h2.jdbc.JdbcStatement", "reexecute", Set.of(), Set.of()),
            "a method pattern is anchored at both ends");
    }

    @Test
    void dotsAndDollarsAreLiteralNotRegex() {
        MethodPattern pattern = MethodPattern.parse("a.b$C#m*");
        assertTrue(pattern.mayMatchClass("a.b$C"));
        assertFalse(pattern.mayMatchClass("aXb$C"));
        assertFalse(pattern.mayMatchClass("a.bC"));
    }

    @Test
    void malformedPatternsAreRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> MethodPattern.parse("com.acme.*"));
        assertThrows(IllegalArgumentException.class, () -> MethodPattern.parse("com.acme...*#*"));
        assertThrows(IllegalArgumentException.class, () -> MethodPattern.parse("..acme.*#*"));
        assertThrows(IllegalArgumentException.class, () -> MethodPattern.parse("com.acme.*#to(tal"));
        assertThrows(IllegalArgumentException.class, () -> MethodPattern.parse("@"));
        assertThrows(IllegalArgumentException.class, () -> MethodPattern.parse("@com..Audited"));
    }

    @Test
    void patternLinesSelectMethodsWrittenByTheProgrammerOnly() {
        Map<String, ProbeDefinition> byMethod = definitions(Checkout.class, PACKAGE + ".*#*");

        // Not: the constructor, the lambda body, the native method, the bridge compareTo(Object).
        assertEquals(new TreeSet<>(List.of("compareTo(Ldev/userevents/agent/weave/ondemand/Checkout;)I",
            "refund(Ljava/lang/String;)Ljava/lang/String;", "total(I)I", "totalWithTax(I)I")), byMethod.keySet());
        assertEquals("Checkout_total", byMethod.get("total(I)I").format().name());
    }

    @Test
    void methodPatternAndExitOption() {
        Map<String, ProbeDefinition> byMethod = definitions(Checkout.class, PACKAGE + ".Check*#total* exit");

        assertEquals(Set.of("total(I)I", "totalWithTax(I)I"), byMethod.keySet());
        assertEquals("Checkout_totalWithTax_exit", byMethod.get("totalWithTax(I)I").exit().format().name());
    }

    @Test
    void annotationLineSelectsAnnotatedMethodsAndEveryMethodOfAnAnnotatedClass() {
        String line = "@" + PACKAGE + ".Audited";
        assertEquals(Set.of("refund(Ljava/lang/String;)Ljava/lang/String;"), definitions(Checkout.class, line).keySet());
        assertEquals(Set.of("post(I)I"), definitions(Ledger.class, line).keySet(), "abstract close() is left out");

        ProbesFile probes = ProbesFile.parse(List.of(line), "probes.txt");
        assertTrue(probes.mayName("any.Class", WovenClasses.classFile(Ledger.class)));
        assertFalse(probes.mayName("any.Class", WovenClasses.classFile(OnDemandLinesTest.class)),
            "a class file that never mentions the annotation is not parsed");
    }

    @Test
    void patternsThatSelectedNoMethodYetAreListedWithTheirLineUntilOneDoes() {
        ProbesFile probes = ProbesFile.parse(List.of(PACKAGE + ".*#total*", PACKAGE + ".*#refnud",
            "@" + PACKAGE + ".Audited"), "probes.txt");
        assertEquals(List.of("probes.txt:1 " + PACKAGE + ".*#total*", "probes.txt:2 " + PACKAGE + ".*#refnud",
            "probes.txt:3 @" + PACKAGE + ".Audited"), probes.patternsMatchingNothing(), "nothing loaded yet");
        ProbeClassWeaver weaver = new ProbeClassWeaver(new ProbeRegistrar(new RecordingBackend()), "");
        weaver.definitions(ProbeClassWeaver.plan(WovenClasses.classFile(Checkout.class), probes), null);
        assertEquals(List.of("probes.txt:2 " + PACKAGE + ".*#refnud"), probes.patternsMatchingNothing(),
            "the misspelt method name is the one left");
    }

    @Test
    void exactLineWinsOverAPatternAndOnlyPatternsAndOndemandLinesAreOnDemand() {
        ProbesFile probes = ProbesFile.parse(List.of(
            Checkout.class.getName() + "#total name=checkout_total",
            Checkout.class.getName() + "#refund ondemand",
            PACKAGE + ".*#total*"), "probes.txt");
        ProbeClassWeaver weaver = new ProbeClassWeaver(new ProbeRegistrar(new RecordingBackend()), "");
        ProbeClassWeaver.Plan plan = ProbeClassWeaver.plan(WovenClasses.classFile(Checkout.class), probes);

        Map<String, String> names = new TreeMap<>();
        weaver.definitions(plan, null).forEach((method, definition) ->
            names.put(method.name(), definition.format().name()));
        assertEquals(Map.of("total", "checkout_total", "totalWithTax", "Checkout_totalWithTax", "refund",
            "Checkout_refund"), names);
        Set<String> onDemand = new TreeSet<>();
        for (String key : weaver.onDemandKeys(plan, null)) {
            onDemand.add(key.substring(key.indexOf('#') + 1, key.indexOf('(')));
        }
        assertEquals(Set.of("refund", "totalWithTax"), onDemand);
        assertTrue(probes.hasOnDemand());
        assertFalse(ProbesFile.parse(List.of(Checkout.class.getName() + "#total"), "p").hasOnDemand());
    }

    @Test
    void patternLineRefusesANameAndParameterTypes() {
        try (CapturedLog log = CapturedLog.start()) {
            ProbesFile probes = ProbesFile.parse(List.of(
                PACKAGE + ".*#total name=x",
                PACKAGE + ".*#total(int)",
                Checkout.class.getName() + "#total name=a name=b"), "probes.txt");
            assertTrue(probes.isEmpty());
            String text = String.join("\n", log.lines());
            assertTrue(text.contains("probes.txt:1 skipped: name= is for a line naming one method"), text);
            assertTrue(text.contains("probes.txt:2 skipped: a pattern takes no parameter types"), text);
            assertTrue(text.contains("probes.txt:3 skipped: name= given twice"), text);
        }
    }

    @Test
    void linesOnlyNamingClassesNeverWovenAreFoundWithTheirNumber() {
        ProbesFile probes = ProbesFile.parse(List.of(
            "java.util.*#add*",
            "java.util.ArrayList#size",
            "com.acme..*#handle*",
            "com.acme.Checkout#total ondemand",
            "java*.x.*#*",
            "*..*#foo",
            "@java.lang.Deprecated",
            "javax..*#* exit"), "probes.txt");
        List<String> lines = probes.linesSelectingNothing(
            name -> name.startsWith("java.") || name.equals("com.acme.Checkout") ? "no: " + name : null,
            prefix -> prefix.startsWith("java.") || prefix.startsWith("javax.") ? "never: " + prefix : null);

        assertEquals(List.of("probes.txt:1 java.util.*#add*: never: java.util.",
            "probes.txt:2 java.util.ArrayList#size: no: java.util.ArrayList",
            "probes.txt:4 com.acme.Checkout#total: no: com.acme.Checkout",
            "probes.txt:8 javax..*#*: never: javax."), lines,
            "not a prefix a class outside may share (java*), a pattern starting with *, nor an annotation line");
    }

    @Test
    void classPrefixIsTheTextBeforeTheFirstWildcard() {
        assertEquals("com.acme.", MethodPattern.parse("com.acme..*#*").classPrefix());
        assertEquals("com.acme.", MethodPattern.parse("com.acme.*#*").classPrefix());
        assertEquals("org.h2.jdbc.Jdbc", MethodPattern.parse("org.h2.jdbc.Jdbc*#execute*").classPrefix());
        assertEquals("com.", MethodPattern.parse("com..acme.*#*").classPrefix());
        assertEquals("com.acme.Checkout", MethodPattern.parse("com.acme.Checkout#*").classPrefix());
        assertEquals("", MethodPattern.parse("*..*#*").classPrefix());
        assertEquals("", MethodPattern.parse("@com.acme.Traced").classPrefix());
    }

    private static Map<String, ProbeDefinition> definitions(Class<?> type, String... lines) {
        return new TreeMap<>(WovenClasses.definitions(type, "", ProbesFile.parse(List.of(lines), "probes.txt")));
    }
}
