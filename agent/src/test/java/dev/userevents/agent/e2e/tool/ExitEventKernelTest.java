package dev.userevents.agent.e2e.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.testing.JavaProcess;
import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.ShippedJars;
import dev.userevents.testing.TraceInstance;
import dev.userevents.testing.TracedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code @Tracepoint(name = "payment_charged", exit = true) long charge(int orderId, long cents)}: its exit
 * event {@code payment_charged_exit} has {@code ret}, {@code duration_ns} and {@code thrown}, and an enable
 * switch of its own. Only the exit event is enabled here.
 */
@KernelTest
class ExitEventKernelTest {
    private static final String PREFIX = "exit_";
    private static final String CHARGED = PREFIX + "payment_charged";
    private static final String CHARGED_EXIT = CHARGED + "_exit";
    private static final int ORDERS = 50;
    private static final int LINES = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final Pattern EXIT_FIELDS =
        Pattern.compile("ret=0x[0-9a-f]+ \\((-?\\d+)\\) duration_ns=0x[0-9a-f]+ \\((-?\\d+)\\) thrown=(.*)");

    @Test
    void exitEventCarriesReturnValueDurationAndThrownClassAndIsEmittedAlone() throws Exception {
        List<String> agent = List.of(ShippedJars.javaagent("prefix=" + PREFIX + ",log=debug"));
        try (TraceInstance tracer = TraceInstance.create("e2e-tool-" + "exit").readPipe();
             JavaProcess app = JavaProcess.quickOrderService(Jdk.JDK_17, agent, ORDERS, 100)) {
            tracer.enableWhenRegistered(TIMEOUT, CHARGED_EXIT);
            List<TracedEvent> exits = tracer.await(LINES, TIMEOUT, CHARGED_EXIT);

            List<long[]> values = new ArrayList<>(); // {ret, duration_ns}
            List<String> thrown = new ArrayList<>();
            for (TracedEvent exit : exits) {
                Matcher fields = EXIT_FIELDS.matcher(exit.fields());
                assertTrue(fields.matches(), exit::toString);
                values.add(new long[] {Long.parseLong(fields.group(1)), Long.parseLong(fields.group(2))});
                thrown.add(fields.group(3));
                assertTrue(Long.parseLong(fields.group(2)) > 0, () -> "duration_ns > 0: " + exit);
            }
            // charge() runs once per order, on one thread: the lines are consecutive orders from some first one
            int first = firstOrderMatching(values, thrown);
            for (int i = 0; i < LINES; i++) {
                int id = first + i;
                boolean declined = OrderOracle.declined(id);
                assertEquals(declined ? 0 : OrderOracle.authorization(id), values.get(i)[0], "ret of order " + id);
                assertEquals(declined ? "java.lang.IllegalStateException" : "", thrown.get(i), "thrown of order " + id);
            }
            assertTrue(thrown.contains("java.lang.IllegalStateException"), "ten orders include a declined one: " + thrown);

            assertEquals(0, app.awaitExit(TIMEOUT), app::toString);
            assertEquals(OrderOracle.summary(ORDERS), app.stdout().strip(), app::toString);
            // the agent's counts at exit (log=debug): the entry probe's own switch stayed off, it wrote nothing
            Matcher exitCount = Pattern.compile("probe " + CHARGED_EXIT + ": (\\d+) written, 0 found no tracer")
                .matcher(app.stderr());
            assertTrue(exitCount.find(), app::toString);
            assertTrue(Integer.parseInt(exitCount.group(1)) >= LINES, app::toString);
            assertTrue(app.stderr().contains("probe " + CHARGED + ": 0 written, 0 found no tracer"), app::toString);
            assertEquals(List.of(), tracer.pipeEvents().stream().filter(event -> !event.name().equals(CHARGED_EXIT)).toList());
        }
    }

    /** The order the first line belongs to: the one from which all lines match. */
    private static int firstOrderMatching(List<long[]> values, List<String> thrown) {
        for (int first = 1; first <= ORDERS; first++) {
            boolean all = true;
            for (int i = 0; i < values.size() && all; i++) {
                int id = first + i;
                long ret = OrderOracle.declined(id) ? 0 : OrderOracle.authorization(id);
                all = values.get(i)[0] == ret && thrown.get(i).isEmpty() != OrderOracle.declined(id);
            }
            if (all) {
                return first;
            }
        }
        throw new AssertionError("no run of consecutive orders returns " + values.stream().map(v -> v[0]).toList()
            + " with thrown " + thrown);
    }
}
