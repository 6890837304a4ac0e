package dev.userevents.agent.e2e.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.testing.JavaProcess;
import dev.userevents.testing.Jdk;
import dev.userevents.testing.KernelTest;
import dev.userevents.testing.ShippedJars;
import dev.userevents.testing.TraceInstance;
import dev.userevents.testing.TracedEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code -javaagent:userevents-agent.jar=probes=FILE} with {@code e2e-tool/order-service.probes}: two methods of
 * the example that carry no annotation, {@code summary(long)} (named, with an exit event, returning a String)
 * and the static {@code priceCents} (no parameter list, default name), and one malformed line.
 */
@KernelTest
class ProbesFileKernelTest {
    private static final String PREFIX = "pf_";
    private static final String PRICE = PREFIX + "OrderService_priceCents";
    private static final String SUMMARY = PREFIX + "summary";
    private static final String SUMMARY_EXIT = PREFIX + "summary_exit";
    private static final int ORDERS = 40;
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @Test
    void listedMethodsEmitExactValuesAndTheMalformedLineIsReportedOnceWithItsNumber() throws Exception {
        Path probes = copyOfProbesFile();
        List<String> agent = List.of(ShippedJars.javaagent("prefix=" + PREFIX + ",probes=" + probes));
        try (TraceInstance tracer = TraceInstance.create("e2e-tool-" + "probes").readPipe();
             JavaProcess app = JavaProcess.quickOrderService(Jdk.JDK_17, agent, ORDERS, 100)) {
            tracer.enableWhenRegistered(TIMEOUT, PRICE, SUMMARY, SUMMARY_EXIT);

            // priceCents(item) runs once per order: items cycle through the example's menu, order by order
            List<TracedEvent> prices = tracer.await(6, TIMEOUT, PRICE);
            int first = firstOrderFor(prices.get(0));
            for (int i = 0; i < prices.size(); i++) {
                assertEquals(new TracedEvent(PRICE, "item=" + OrderOracle.item(first + i)), prices.get(i), prices::toString);
            }

            assertEquals(0, app.awaitExit(TIMEOUT), app::toString);
            String summary = OrderOracle.summary(ORDERS);
            assertEquals(summary, app.stdout().strip(), app::toString);
            // the enabled events outlive the application (the tracer holds them), so its last lines still decode
            assertEquals(List.of(new TracedEvent(SUMMARY, "orders=" + TracedEvent.hexDec(ORDERS))),
                tracer.await(1, TIMEOUT, SUMMARY));
            TracedEvent exit = tracer.await(1, TIMEOUT, SUMMARY_EXIT).get(0);
            Matcher fields = Pattern.compile("ret=" + Pattern.quote(summary) + " duration_ns=0x[0-9a-f]+ \\((\\d+)\\) thrown=")
                .matcher(exit.fields());
            assertTrue(fields.matches(), exit::toString);
            assertTrue(Long.parseLong(fields.group(1)) > 0, exit::toString);

            List<String> aboutTheFile = new ArrayList<>();
            List<String> complaints = new ArrayList<>();
            for (String line : app.stderrLines()) {
                if (line.contains("probes file")) {
                    aboutTheFile.add(line);
                } else if (!line.startsWith("[userevents] INFO ")) {
                    complaints.add(line);
                }
            }
            assertEquals(1, aboutTheFile.size(), app::toString);
            assertTrue(aboutTheFile.get(0).startsWith("[userevents] ERROR probes file line order-service.probes:4 skipped: "),
                aboutTheFile::toString);
            assertEquals(List.of(), complaints, app::toString);
        }
    }

    /** The order whose item {@code event} names and whose successors' items follow: any of them, menu-wise. */
    private static int firstOrderFor(TracedEvent event) {
        for (int id = 1; id <= 6; id++) {
            if (event.fields().equals("item=" + OrderOracle.item(id))) {
                return id;
            }
        }
        throw new AssertionError("not an item of the example's menu: " + event);
    }

    /** The test resource, copied out of the shared build folder (a rebuild on the host may rewrite it). */
    private static Path copyOfProbesFile() throws Exception {
        Path resource = Path.of(ProbesFileKernelTest.class.getResource("/e2e-tool/order-service.probes").toURI());
        Path copy = Files.createTempDirectory("e2e-tool-probes-").resolve("order-service.probes");
        return Files.copy(resource, copy);
    }
}
