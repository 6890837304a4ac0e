package dev.userevents.agent.weave;

import static dev.userevents.agent.weave.WovenClasses.BACKEND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.testing.CapturedLog;
import dev.userevents.agent.testing.EnableWords;
import dev.userevents.agent.testing.EventPayload;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probes on methods without annotations, listed one a line in a probes file. */
class ProbesFileTest {
    private static final String SAMPLE = "dev.userevents.agent.weave.ProbesFileSample";

    @Test
    void lineWithoutParameterTypesTracesEveryOverload() {
        Map<String, ProbeDefinition> byMethod = definitions(SAMPLE + "#total");

        assertEquals(Set.of("total(I)I", "total(II)I"), byMethod.keySet());
        assertEquals("ProbesFileSample_total", byMethod.get("total(I)I").format().name());
        assertEquals("ProbesFileSample_total_2", byMethod.get("total(II)I").format().name());
    }

    @Test
    void parameterTypesSelectOneOverload() {
        assertEquals(Set.of("total(II)I"), definitions(SAMPLE + "#total(int, int)").keySet());
    }

    @Test
    void parameterTypesMayBeSimpleOrQualifiedNamesAndArrays() {
        assertEquals(Set.of("apply(Ljava/lang/String;[I)V"), definitions(SAMPLE + "#apply(String, int[])").keySet());
        assertEquals(Set.of("apply(Ljava/lang/String;[I)V"),
            definitions(SAMPLE + "#apply(java.lang.String, int[])").keySet());
    }

    @Test
    void stackOptionEndsBothEventsWithTheStack() {
        ProbeDefinition definition = definitions(SAMPLE + "#apply(String, int[]) exit stack")
            .get("apply(Ljava/lang/String;[I)V");

        assertEquals("ProbesFileSample_apply __rel_loc char[] code; __rel_loc char[] amounts; __rel_loc char[] stack",
            definition.format().command());
        assertEquals("ProbesFileSample_apply_exit s64 duration_ns; __rel_loc char[] thrown; __rel_loc char[] stack",
            definition.exit().format().command());
    }

    @Test
    void levelAndKeywordOptionsActAsTheAnnotationWould() {
        ProbeDefinition definition = definitions(SAMPLE + "#apply(String, int[]) exit level=2 keyword=0x2A")
            .get("apply(Ljava/lang/String;[I)V");

        assertEquals(2, definition.level());
        assertEquals(0x2a, definition.keyword());
        assertEquals(2, definition.exit().level(), "the exit event carries the same attributes");
        assertEquals(0x2a, definition.exit().keyword());
        ProbeDefinition plain = definitions(SAMPLE + "#apply(String, int[])").get("apply(Ljava/lang/String;[I)V");
        assertEquals(5, plain.level(), "verbose unless asked");
        assertEquals(1, plain.keyword());
    }

    @Test
    void nameAndExitOptionsActAsTheAnnotationWould() {
        ProbeDefinition definition = definitions(SAMPLE + "#apply(String, int[])  name=coupon_applied  exit")
            .get("apply(Ljava/lang/String;[I)V");

        assertEquals("coupon_applied __rel_loc char[] code; __rel_loc char[] amounts", definition.format().command());
        assertEquals("coupon_applied_exit s64 duration_ns; __rel_loc char[] thrown", definition.exit().format().command());
    }

    @Test
    void badLevelOrKeywordSkipsTheLineWithOneLogLine() {
        try (CapturedLog log = CapturedLog.start()) {
            ProbesFile probes = ProbesFile.parse(List.of(SAMPLE + "#total(int) level=6",
                SAMPLE + "#total(int, int) keyword=0xZZ", SAMPLE + "#apply level=1"), "probes.txt");

            assertEquals(Set.of("apply(Ljava/lang/String;[I)V"), definitions(probes).keySet());
            assertEquals(List.of("[userevents] ERROR probes file line probes.txt:1 skipped: level=6: use 1 (critical),"
                + " 2 (error), 3 (warning), 4 (information) or 5 (verbose)"), log.linesWith("probes.txt:1"));
            assertEquals(List.of("[userevents] ERROR probes file line probes.txt:2 skipped: keyword=0xZZ: use a 64-bit"
                + " mask, hex (0x2a) or decimal"), log.linesWith("probes.txt:2"));
        }
    }

    @Test
    void commentsAndBlankLinesAreSkipped() {
        ProbesFile probes = ProbesFile.parse(List.of("# probes for the sample", "", "   ",
            SAMPLE + "#total(int)   # the one-argument total"), "probes.txt");

        assertEquals(Set.of(SAMPLE), probes.classNames());
        assertEquals(Set.of("total(I)I"), definitions(probes).keySet());
    }

    @Test
    void malformedLinesAreLoggedWithTheirNumberAndSkipped() {
        try (CapturedLog log = CapturedLog.start()) {
            ProbesFile probes = ProbesFile.parse(List.of("NoHashHere", SAMPLE + "#total(int", SAMPLE + "#total fast",
                SAMPLE + "#apply"), "probes.txt");

            assertEquals(Set.of("apply(Ljava/lang/String;[I)V"), definitions(probes).keySet());
            assertEquals(1, log.linesWith("probes.txt:1 skipped: expected class#method").size(), log.lines().toString());
            assertEquals(1, log.linesWith("probes.txt:2 skipped").size(), log.lines().toString());
            assertEquals(1, log.linesWith("probes.txt:3 skipped: unknown option 'fast'").size(), log.lines().toString());
        }
    }

    @Test
    void aSecondLineForTheSameMethodIsLoggedNotSilentlyIgnored() {
        try (CapturedLog log = CapturedLog.start()) {
            ProbesFile probes = ProbesFile.parse(List.of(SAMPLE + "#total(int)", SAMPLE + "#total(int)  exit",
                SAMPLE + "#apply ondemand", SAMPLE + "#apply name=x", SAMPLE + "#total(int, int) exit"), "probes.txt");

            assertEquals(1, log.linesWith("probes.txt:2 skipped: line probes.txt:1 already names " + SAMPLE
                + "#total (lines are not merged: put every option on that line)").size(), log.lines().toString());
            assertEquals(1, log.linesWith("probes.txt:4 skipped: line probes.txt:3 already names").size(),
                log.lines().toString());
            assertEquals(2, log.lines().size(), "another overload is another method: " + log.lines());
            Map<String, ProbeDefinition> byMethod = definitions(probes);
            assertNull(byMethod.get("total(I)I").exit(), "the first line is kept, as written");
            assertNotNull(byMethod.get("total(II)I").exit());
        }
    }

    @Test
    void lineMatchingNoMethodIsReportedWhenItsClassLoads() {
        try (CapturedLog log = CapturedLog.start()) {
            definitions(SAMPLE + "#missing", SAMPLE + "#total(long)");

            assertEquals(1, log.linesWith("#missing matches no method").size(), log.lines().toString());
            assertEquals(1, log.linesWith("#total(long) matches no method").size(), log.lines().toString());
        }
    }

    @Test
    void annotationWinsOverAProbesFileLine() {
        ProbesFile probes = ProbesFile.parse(List.of(TracedSample.class.getName() + "#add name=from_file"), "p.txt");

        try (CapturedLog log = CapturedLog.start()) {
            Map<String, ProbeDefinition> byMethod = definitions(TracedSample.class, probes);

            assertEquals("TracedSample_add", byMethod.get("add(II)I").format().name());
            assertEquals(1, log.linesWith("p.txt:1 names " + TracedSample.class.getName() + ".add, which has @Tracepoint")
                .size(), log.lines().toString());
        }
    }

    @Test
    void unreadableFileIsEmptyAndLoggedOnce(@TempDir Path directory) {
        try (CapturedLog log = CapturedLog.start()) {
            ProbesFile probes = ProbesFile.read(directory.resolve("absent.txt"));

            assertSame(ProbesFile.EMPTY, probes);
            assertEquals(1, log.linesWith("absent.txt cannot be read").size(), log.lines().toString());
        }
    }

    @Test
    void methodNamedInTheFileIsWovenLikeAnAnnotatedOne() throws Throwable {
        ProbesFile probes = ProbesFile.parse(List.of(SAMPLE + "#total(int, int) name=file_total"), "probes.txt");
        Class<?> woven = WovenClasses.define(SAMPLE, Objects.requireNonNull(WovenClasses.weave(
            WovenClasses.classFile(ProbesFileSample.class), probes, getClass().getClassLoader())), getClass().getClassLoader());
        long word = BACKEND.enableWord("file_total");
        EnableWords.enable(word);
        try {
            Method total = woven.getMethod("total", int.class, int.class);

            assertEquals(7, total.invoke(null, 3, 4));

            List<EventPayload> events = BACKEND.sink().eventsOf(BACKEND.writeIndex("file_total"));
            assertEquals(1, events.size());
            assertEquals(3, events.get(0).s32());
            assertEquals(4, events.get(0).s32());
        } finally {
            EnableWords.disable(word);
        }
    }

    @Test
    void classNotNamedGetsNothing() {
        ProbesFile probes = ProbesFile.parse(List.of(SAMPLE + "#total"), "probes.txt");

        assertTrue(definitions(UntracedSample.class, probes).isEmpty());
        assertNull(probes.specFor(UntracedSample.class.getName(),
            new DeclaredMethod("total", "(I)I", Modifier.PUBLIC | Modifier.STATIC, null), Set.of(), Set.of()));
    }

    private static Map<String, ProbeDefinition> definitions(String... lines) {
        return definitions(ProbesFile.parse(List.of(lines), "probes.txt"));
    }

    private static Map<String, ProbeDefinition> definitions(ProbesFile probes) {
        return definitions(ProbesFileSample.class, probes);
    }

    /** The definitions the agent makes of {@code type}'s methods, keyed by name and descriptor. */
    private static Map<String, ProbeDefinition> definitions(Class<?> type, ProbesFile probes) {
        return new TreeMap<>(WovenClasses.definitions(type, "", probes));
    }
}
