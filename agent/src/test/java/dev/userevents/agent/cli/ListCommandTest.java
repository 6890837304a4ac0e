package dev.userevents.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.runtime.ProbeCounts;
import dev.userevents.agent.runtime.ProbeRuntime;
import dev.userevents.agent.testing.EnableWords;
import dev.userevents.agent.testing.RecordingBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code list}'s fields, read from a format file and written as {@code dynamic_events} takes them. */
class ListCommandTest {
    /** A 6.12 format file of {@code u:collect_all s8 tiny; __rel_loc char[] who; s64 big}, as the guest shows it. */
    private static final String FORMAT = String.join("\n",
        "name: collect_all",
        "ID: 1532",
        "format:",
        "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;",
        "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;",
        "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;",
        "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;",
        "",
        "\tfield:s8 tiny;\toffset:8;\tsize:1;\tsigned:1;",
        "\tfield:__rel_loc char who[];\toffset:9;\tsize:4;\tsigned:1;",
        "\tfield:s64 big;\toffset:13;\tsize:8;\tsigned:1;",
        "",
        "print fmt: \"tiny=%d who=%s big=%lld\", REC->tiny, __get_rel_str(who), REC->big",
        "");

    @Test
    void fieldsAreWrittenAsRegisteredWithArrayBracketsOnTheType(@TempDir Path dir) throws Exception {
        Path format = Files.writeString(dir.resolve("format"), FORMAT);

        assertEquals("s8 tiny; __rel_loc char[] who; s64 big", ListCommand.fields(format));
    }

    @Test
    void registeredFieldsComeFromDynamicEventsMatchedLooselyToTheFormatFile(@TempDir Path dir) throws Exception {
        Path dynamic = Files.writeString(dir.resolve("dynamic_events"), String.join("\n",
            "p:kprobes/open do_sys_open",
            "u:multi_emit s32 count",
            "u:multi_emit __rel_loc char[] text",
            "u:log_error __rel_loc char[] logger; __rel_loc char[] message",
            ""));
        Map<String, List<String>> registered = ListCommand.dynamicEvents(dynamic);

        assertEquals(List.of("multi_emit", "log_error"), List.copyOf(registered.keySet()));
        assertEquals("__rel_loc char[] text", ListCommand.registeredFields(registered, "multi_emit",
            "__rel_loc char[] text"));
        assertEquals("s32 count", ListCommand.registeredFields(registered, "multi_emit", "s32 count"));
        // 6.12 printed a stray length in a format file (the field's len left unset): the registered text wins
        assertEquals("__rel_loc char[] logger; __rel_loc char[] message", ListCommand.registeredFields(registered,
            "log_error", "__rel_loc char[-1068248320] logger; __rel_loc char[] message"));
        assertEquals("s8 x", ListCommand.registeredFields(registered, "absent", "s8 x"));
    }

    @Test
    void eachFormatsTracepointShowsOnlyItsOwnProbesCountersAndAProbeWithoutFieldsShowsEverywhere() {
        List<ListCommand.ProbeCounters> probes = List.of(
            new ListCommand.ProbeCounters("s32 count", "1 written"),
            new ListCommand.ProbeCounters("__rel_loc char[] text", "2 written"), new ListCommand.ProbeCounters(null, "3 written"));
        assertEquals(List.of("1 written", "3 written"), ListCommand.countersOf(probes, "s32 count"));
        assertEquals(List.of("2 written", "3 written"), ListCommand.countersOf(probes, "__rel_loc char text[]"),
            "the format file's spelling matches the registered one");
        assertEquals(List.of("1 written", "2 written", "3 written"), ListCommand.countersOf(probes, null));
    }

    @Test
    void anEventHeaderTracepointShowsTheCountersOfEveryProbeOnItEachNamed() {
        RecordingBackend backend = new RecordingBackend();
        Probe placed = new Probe(ProbeRuntime.nextProbeId(), "order_placed", "Orders.place", -1,
            EnableWords.allocate(), 0, 0, backend.sink());
        placed.encodeAsEventHeader(new byte[0], "shop_L5K1");
        Probe tracefs = new Probe(ProbeRuntime.nextProbeId(), "order_failed", "Orders.fail", -1,
            EnableWords.allocate(), 0, 0, backend.sink());
        assertEquals("probe order_placed on shop_L5K1: 0 written, 0 found no tracer, 0 dropped",
            ProbeCounts.of(placed));

        Map<String, List<ListCommand.ProbeCounters>> byName = ListCommand.countersByName(List.of(ProbeCounts.of(placed),
            "probe log_debug on shop_L5K1: 2 written, 0 found no tracer, 0 dropped", ProbeCounts.of(tracefs)));
        assertEquals(List.of("shop_L5K1", "order_failed"), List.copyOf(byName.keySet()),
            "by the tracepoint the events share (list PID reads the tracepoints from user_events_status)");
        assertEquals(List.of("order_placed: 0 written, 0 found no tracer, 0 dropped",
            "log_debug: 2 written, 0 found no tracer, 0 dropped"),
            ListCommand.countersOf(byName.get("shop_L5K1"), "u8 eventheader_flags; u8 version; u16 id; u16 tag;"
                + " u8 opcode; u8 level"));
        assertEquals(List.of("0 written, 0 found no tracer, 0 dropped"),
            ListCommand.countersOf(byName.get("order_failed"), "s32 orderId"));
    }

    @Test
    void probeLinesAreReadWithTheirFieldsBracketsInsideIncluded() {
        Map<String, List<ListCommand.ProbeCounters>> byName = ListCommand.countersByName(List.of("totals: 2 event(s) written",
            "probe multi_emit [__rel_loc char[] text]: 1 written, 0 found no tracer, 0 dropped",
            "probe multi_emit [s32 count]: 2 written, 0 found no tracer, 0 dropped",
            "probe order_placed: 3 written, 0 found no tracer, 0 dropped"));
        assertEquals(List.of("multi_emit", "order_placed"), List.copyOf(byName.keySet()));
        assertEquals(List.of("1 written, 0 found no tracer, 0 dropped"),
            ListCommand.countersOf(byName.get("multi_emit"), "__rel_loc char[] text"));
        assertEquals(List.of("2 written, 0 found no tracer, 0 dropped"),
            ListCommand.countersOf(byName.get("multi_emit"), "s32 count"));
        assertEquals(List.of("3 written, 0 found no tracer, 0 dropped"),
            ListCommand.countersOf(byName.get("order_placed"), "s32 orderId"));
    }

    @Test
    void anUnreadableFormatGivesNull(@TempDir Path dir) {
        assertEquals(null, ListCommand.fields(dir.resolve("missing")));
    }
}
