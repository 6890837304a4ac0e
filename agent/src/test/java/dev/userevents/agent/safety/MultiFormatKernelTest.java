package dev.userevents.agent.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.Tracepoint;
import dev.userevents.shim.UserEventsAbi;
import dev.userevents.testing.GuestTracefs;
import dev.userevents.testing.JavaProcess;
import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.modifier.Ownership;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.implementation.StubMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code multiFormat=true} on the real kernel: two versions of {@code com.example.multi.Versioned} (two class
 * loaders; {@code emit(int count)} and {@code emit(String text)}, both {@code @Tracepoint(name = "multi_emit")})
 * keep the one name, each format its own tracepoint {@code user_events_multi:multi_emit.<hex id>}; the CLI's
 * {@code record multi_emit}, {@code list PID} (with each format's removal command) and {@code status} see both. And the fallback when the kernel refuses a flag,
 * on the kernel's own EINVAL (an undefined flag bit asked for with {@code simulateNoMultiFormat}).
 */
@KernelTest
class MultiFormatKernelTest {
    private static final String EVENT = "multi_emit";
    private static final String VERSIONS = EVENT + "\\.[0-9a-f]+";
    private static final Duration START = Duration.ofSeconds(150);

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void twoVersionsOfAClassShareTheNameInTracepointsOfTheirOwn(Jdk jdk) throws Exception {
        List<String> command = SafetyApps.java(jdk.java().toString(), "multiFormat=true,context=",
            SafetyApps.appClassPath(), "MultiFormatApp", versionFolder(int.class, "count").toString(),
            versionFolder(String.class, "text").toString());
        try (AppProcess app = AppProcess.start("MultiFormatApp", command)) {
            app.awaitLine("ready", START);
            List<String> tracepoints = GuestTracefs.eventDirs(UserEventsAbi.MULTI_SYSTEM, VERSIONS);
            assertEquals(2, tracepoints.size(), "one tracepoint per format: " + tracepoints + app.transcript());
            List<String> fields = new ArrayList<>();
            for (String tracepoint : tracepoints) {
                fields.add(Files.readString(GuestTracefs.eventDir(UserEventsAbi.MULTI_SYSTEM, tracepoint)
                    .resolve("format")).lines().filter(line -> line.contains("field:") && !line.contains("common_"))
                    .map(String::trim).toList().toString());
            }
            assertTrue(fields.stream().anyMatch(f -> f.contains("field:s32 count;")), fields.toString());
            // "text[]", or "text[70763968]" (seen): 6.12 prints the field's len, which user_events leaves unset
            assertTrue(fields.stream().anyMatch(f -> f.contains("field:__rel_loc char text[")), fields.toString());
            assertTrue(!GuestTracefs.eventExists(GuestTracefs.USER_EVENTS, EVENT), "nothing in user_events");

            JavaProcess record = JavaProcess.agentCli(jdk, "record", "--count", "2", EVENT);
            try {
                Wait.until(START, () -> "record enabling both versions: " + record,
                    () -> record.stderrLines().stream().filter(l -> l.startsWith("enabled user_events_multi:")).count() == 2);
                app.send("go");
                app.awaitLine("done", Duration.ofSeconds(60));
                assertEquals(0, record.awaitExit(Duration.ofSeconds(60)), "record: " + record);
            } finally {
                record.close();
            }
            List<String> recorded = record.stdoutLines().stream().filter(line -> line.contains(EVENT + ".")).toList();
            System.out.printf("record multi_emit (%s):%n  %s%n", jdk, String.join("\n  ", recorded));
            assertEquals(2, recorded.size(), "record: " + record);
            assertTrue(recorded.stream().anyMatch(line -> line.contains("count=7")), recorded.toString());
            assertTrue(recorded.stream().anyMatch(line -> line.contains("text=seven")), recorded.toString());

            JavaProcess list = JavaProcess.agentCli(jdk, "list", Long.toString(app.pid()));
            assertEquals(0, list.awaitExit(Duration.ofSeconds(120)), "list PID: " + list);
            String listed = list.stdout();
            System.out.printf("list %d (%s):%n%s%n", app.pid(), jdk, listed);
            for (String tracepoint : tracepoints) {
                assertTrue(listed.contains(UserEventsAbi.MULTI_SYSTEM + ":" + tracepoint + "  enabled")
                    || listed.contains(UserEventsAbi.MULTI_SYSTEM + ":" + tracepoint + "  disabled"), listed);
            }
            assertEquals(2, listed.lines().filter(line -> line.contains(": 1 written, 0 found no tracer, 0 dropped"))
                .count(), "each version's probe counted its event, under its own format's tracepoint only:\n" + listed);

            assertTrue(listed.contains("remove if persistent:  echo '!u:multi_emit s32 count' >> "), listed);
            assertTrue(listed.contains("remove if persistent:  echo '!u:multi_emit __rel_loc char[] text' >> "), listed);

            if (jdk == Jdk.JDK_17) { // status reads tracefs only: one JDK shows it
                JavaProcess status = JavaProcess.agentCli(jdk, "status");
                assertEquals(0, status.awaitExit(Duration.ofSeconds(120)), "status: " + status);
                for (String tracepoint : tracepoints) {
                    assertTrue(status.stdout().contains("  " + tracepoint + " "), status.stdout());
                }
            }

            String transcript = app.transcript();
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), "exit status" + transcript);
            assertEquals(List.of(), app.agentComplaints(), "agent errors or warnings" + transcript);
        }
    }

    @Test
    void kernelRefusingTheFlagsFallsBackToOneFormatPerName() throws Exception {
        List<String> command = SafetyApps.java(Jdk.JDK_25.java().toString(),
            "multiFormat=true,simulateNoMultiFormat=true,context=", SafetyApps.appClassPath(), "MultiFormatApp",
            versionFolder(int.class, "count").toString(), versionFolder(String.class, "text").toString());
        try (AppProcess app = AppProcess.start("MultiFormatApp-fallback", command)) {
            app.awaitLine("ready", START);
            assertTrue(GuestTracefs.eventExists(GuestTracefs.USER_EVENTS, EVENT), "the first version, in user_events"
                + app.transcript());
            assertEquals(List.of(), GuestTracefs.eventDirs(UserEventsAbi.MULTI_SYSTEM, VERSIONS));
            String transcript = app.transcript();
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), "exit status" + transcript);
            List<String> complaints = app.agentComplaints();
            System.out.println("fallback: " + String.join("\n  ", complaints));
            assertTrue(complaints.size() >= 2, "the refusal, then the second version's conflict" + transcript);
            assertTrue(complaints.get(0).contains("the kernel refused USER_EVENT_REG_MULTI_FORMAT"), transcript);
            assertTrue(complaints.subList(1, complaints.size()).stream().anyMatch(line -> line.contains(EVENT)),
                transcript);
        }
    }

    /**
     * A folder holding one version of {@code com.example.multi.Versioned}: {@code public static void emit(TYPE
     * NAME)} annotated {@code @Tracepoint(name = "multi_emit")}, readable by every user.
     */
    private static Path versionFolder(Class<?> type, String name) throws IOException {
        Path folder = Files.createTempDirectory("multi-" + name + "-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        new ByteBuddy().subclass(Object.class).name("com.example.multi.Versioned")
            .defineMethod("emit", void.class, Visibility.PUBLIC, Ownership.STATIC).withParameter(type, name)
            .intercept(StubMethod.INSTANCE)
            .annotateMethod(AnnotationDescription.Builder.ofType(Tracepoint.class).define("name", EVENT).build())
            .make().saveIn(folder.toFile());
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path path : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                    Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return folder;
    }
}
