package dev.userevents.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistRecordingTest {
    private static final PrintStream NOWHERE = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void theTriggerKeysByThrownAndLog2DurationAndSortsByTheFieldNames() {
        HistRecording hist = new HistRecording(Path.of("/nowhere"), List.of("e_exit"), null, 0, 0, false, NOWHERE, NOWHERE);
        assertEquals("hist:keys=thrown,duration_ns.log2:vals=hitcount:sort=thrown,duration_ns", hist.trigger(true));
        assertEquals("hist:keys=duration_ns.log2:vals=hitcount:sort=duration_ns", hist.trigger(false));
    }

    @Test
    void aFilterBecomesTheTriggersIfClause() {
        HistRecording hist = new HistRecording(Path.of("/nowhere"), List.of("e_exit"), "ret > 3", 0, 0, false, NOWHERE,
            NOWHERE);
        assertEquals("hist:keys=thrown,duration_ns.log2:vals=hitcount:sort=thrown,duration_ns if ret > 3",
            hist.trigger(true));
    }

    @Test
    void anExitEventIsRecognisedByItsDurationField() {
        String format = """
            name: hist_sleep_exit
            ID: 1234
            format:
            \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;

            \tfield:s64 duration_ns;\toffset:8;\tsize:8;\tsigned:1;
            \tfield:__rel_loc char thrown[];\toffset:16;\tsize:4;\tsigned:1;
            """;
        assertTrue(HistRecording.hasField(format, "duration_ns"));
        assertTrue(HistRecording.hasField(format, "thrown"));
        assertFalse(HistRecording.hasField(format, "ret"));
        assertFalse(HistRecording.hasField(format, "thr"));
        assertFalse(HistRecording.hasField("format:\n\tfield:s32 orderId;\toffset:8;\tsize:4;\tsigned:1;\n",
            "duration_ns"));
    }


    @Test
    void histNeedsAnEventAndTakesNoCountAndIntervalNeedsHist() {
        assertThrows(Cli.UsageException.class, () -> RecordCommand.parse(new String[] {"--hist"}, NOWHERE, NOWHERE));
        assertThrows(Cli.UsageException.class,
            () -> RecordCommand.parse(new String[] {"--hist", "--count", "3", "e_exit"}, NOWHERE, NOWHERE));
        assertThrows(Cli.UsageException.class,
            () -> RecordCommand.parse(new String[] {"--interval", "1", "e_exit"}, NOWHERE, NOWHERE));
    }

    @Test
    void bufferSizeIsAWholePositiveNumberAndNotForHist() throws Cli.UsageException {
        RecordCommand.parse(new String[] {"--buffer-kb", "64", "e"}, NOWHERE, NOWHERE);
        for (String size : new String[] {"0", "-4", "1.5", "lots"}) {
            Cli.UsageException refused = assertThrows(Cli.UsageException.class,
                () -> RecordCommand.parse(new String[] {"--buffer-kb", size, "e"}, NOWHERE, NOWHERE));
            assertTrue(refused.getMessage().contains("'" + size + "'"), refused.getMessage());
        }
        assertThrows(Cli.UsageException.class,
            () -> RecordCommand.parse(new String[] {"--hist", "--buffer-kb", "64", "e_exit"}, NOWHERE, NOWHERE));
    }
}
