package dev.userevents.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.shim.UserEventsUnavailableException.Reason;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What opening the data file says when it cannot be opened; needs no user_events. */
class UserEventsDataFileTest {

    @TempDir
    Path temp;

    @Test
    void tracefsWithoutTheDataFileMeansTheKernelLacksUserEvents() {
        UserEventsUnavailableException e = assertThrows(UserEventsUnavailableException.class,
            () -> UserEventsDataFile.open(Tracefs.at(temp)));

        assertEquals(Reason.KERNEL_WITHOUT_USER_EVENTS, e.reason());
        assertTrue(e.getMessage().startsWith(temp.resolve("user_events_data") + " does not exist"), e.getMessage());
    }

    @Test
    void dataFileThatIsADirectoryCannotBeOpened() throws Exception {
        java.nio.file.Files.createDirectory(temp.resolve("user_events_data"));

        UserEventsUnavailableException e = assertThrows(UserEventsUnavailableException.class,
            () -> UserEventsDataFile.open(Tracefs.at(temp)));

        assertEquals(Reason.OPEN_FAILED, e.reason());
        assertTrue(e.getMessage().contains("EISDIR") || e.getMessage().contains("(21)"), e.getMessage());
    }
}
