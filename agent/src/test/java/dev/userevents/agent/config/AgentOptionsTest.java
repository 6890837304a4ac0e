package dev.userevents.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code -javaagent:userevents-agent.jar=key=value,...} over {@code -Duserevents.key=value}: parsed at once,
 * and anything unknown or malformed refused with the key named.
 */
class AgentOptionsTest {

    private final Properties properties = new Properties();

    @Test
    void withoutArgumentOrPropertiesEveryOptionHasItsDefault() {
        AgentOptions options = AgentOptions.parse(null, properties);

        assertEquals("info", options.logLevel());
        assertEquals("", options.prefix());
        assertEquals(List.of(), options.includes());
        assertEquals(List.of(), options.excludes());
        assertEquals(1024, options.stringBytes());
        assertEquals(4000, options.eventBytes());
        assertFalse(options.multiFormat());
        assertFalse(options.simulateNoMultiFormat());
        assertEquals(AgentOptions.Mode.KERNEL, options.mode());
        assertEquals(AgentOptions.Sink.AUTO, options.sink());
        assertNull(options.probesFile());
        assertNull(options.tracefs());
    }

    @Test
    void defaultsMatchAnEmptyParse() {
        AgentOptions defaults = AgentOptions.defaults();

        assertEquals(AgentOptions.Mode.KERNEL, defaults.mode());
        assertEquals(1024, defaults.stringBytes());
        assertEquals("info", defaults.logLevel());
    }

    @Test
    void agentArgumentSetsOptions() {
        AgentOptions options = AgentOptions.parse("mode=dry,prefix=app_,stringBytes=64,eventBytes=2048,log=debug,"
            + "sink=jna,tracefs=/sys/kernel/tracing,probes=/etc/probes.txt", properties);

        assertEquals(AgentOptions.Mode.DRY, options.mode());
        assertEquals("app_", options.prefix());
        assertEquals(64, options.stringBytes());
        assertEquals(2048, options.eventBytes());
        assertEquals("debug", options.logLevel());
        assertEquals(AgentOptions.Sink.JNA, options.sink());
        assertEquals("/sys/kernel/tracing", options.tracefs());
        assertEquals("/etc/probes.txt", options.probesFile());
    }

    @Test
    void contextListsThreadAndOtelAndNothingElse() {
        AgentOptions defaults = AgentOptions.parse(null, properties);
        assertFalse(defaults.threadContext());
        assertTrue(defaults.otelContext(), "OpenTelemetry ids by default, where the API is seen");
        assertFalse(defaults.otelAsked(), "the default is not asked: no log line for loaders without the API");
        AgentOptions thread = AgentOptions.parse("context=thread", properties);
        assertTrue(thread.threadContext());
        assertFalse(thread.otelContext(), "a context given replaces the default");
        AgentOptions both = AgentOptions.parse("context=thread;otel", properties);
        assertTrue(both.threadContext() && both.otelContext() && both.otelAsked());
        AgentOptions none = AgentOptions.parse("context=", properties);
        assertFalse(none.threadContext() || none.otelContext());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
            () -> AgentOptions.parse("context=thread;stack", properties));
        assertTrue(unknown.getMessage().contains("'stack' is not a context"), unknown.getMessage());
    }

    @Test
    void systemPropertiesSetOptions() {
        properties.setProperty("userevents.mode", "devnull");
        properties.setProperty("userevents.multiFormat", "true");

        AgentOptions options = AgentOptions.parse(null, properties);

        assertEquals(AgentOptions.Mode.DEVNULL, options.mode());
        assertTrue(options.multiFormat());
    }

    @Test
    void agentArgumentWinsOverSystemProperty() {
        properties.setProperty("userevents.mode", "devnull");
        properties.setProperty("userevents.prefix", "fromProperty");

        AgentOptions options = AgentOptions.parse("mode=dry", properties);

        assertEquals(AgentOptions.Mode.DRY, options.mode());
        assertEquals("fromProperty", options.prefix(), "options the argument leaves out still come from properties");
    }

    @Test
    void unrelatedSystemPropertiesAreIgnored() {
        properties.setProperty("userevents.buffers", "32");
        properties.setProperty("mode", "fast");

        assertEquals(AgentOptions.Mode.KERNEL, AgentOptions.parse("", properties).mode());
    }

    @Test
    void unknownKeyIsRefusedWithTheListOfKnownKeys() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> AgentOptions.parse("mdoe=dry", properties));

        assertEquals("unknown agent option 'mdoe'; known: log, prefix, include, exclude, stringBytes, eventBytes, "
            + "multiFormat, persist, mode, sink, probes, maxCandidates, pollMillis, restoreAfter, context, stackDepth, perfMap,"
            + " tracefs, dataFd, dataSocket, logs, format, provider, simulateNoMultiFormat (a list inside a value is ';'-separated:"
            + " context=thread;otel)", refused.getMessage());
    }

    @Test
    void keyWithoutValueMeansTrue() {
        AgentOptions options = AgentOptions.parse("multiFormat,simulateNoMultiFormat", properties);

        assertTrue(options.multiFormat());
        assertTrue(options.simulateNoMultiFormat());
    }

    @Test
    void spacesAroundKeysAndValuesAndEmptyPairsAreIgnored() {
        AgentOptions options = AgentOptions.parse(" mode = dry ,, prefix=p_ ,", properties);

        assertEquals(AgentOptions.Mode.DRY, options.mode());
        assertEquals("p_", options.prefix());
    }

    @Test
    void modeAndSinkIgnoreCase() {
        AgentOptions options = AgentOptions.parse("mode=DevNull,sink=JNA", properties);

        assertEquals(AgentOptions.Mode.DEVNULL, options.mode());
        assertEquals(AgentOptions.Sink.JNA, options.sink());
    }

    @Test
    void listsSplitOnSemicolonsAndBars() {
        AgentOptions options = AgentOptions.parse("include=com.acme.*; org.shop.Cart |net.x.*,exclude=com.acme.internal.*;;",
            properties);

        assertEquals(List.of("com.acme.*", "org.shop.Cart", "net.x.*"), options.includes());
        assertEquals(List.of("com.acme.internal.*"), options.excludes());
    }

    @Test
    void valueMayContainAnEqualsSign() {
        assertEquals("/opt/a=b/probes", AgentOptions.parse("probes=/opt/a=b/probes", properties).probesFile());
    }

    @Test
    void unknownModeIsRefusedWithTheChoices() {
        assertRefused("mode=fast", "agent option mode='fast': use one of [kernel, dry, devnull]");
    }

    @Test
    void unknownSinkIsRefusedWithTheChoices() {
        assertRefused("sink=mmap", "agent option sink='mmap': use one of [auto, downcall, pwrite, channel, jna]");
    }

    @Test
    void nonNumericSizeIsRefusedNamingTheKey() {
        assertRefused("stringBytes=lots", "agent option stringBytes='lots': use a whole number of at least 8");
        assertRefused("eventBytes=4k", "agent option eventBytes='4k': use a whole number of at least 64");
    }

    @Test
    void sizesTheRuntimeWouldRefuseAreRefusedHereNamingTheKey() {
        assertRefused("stringBytes=7", "agent option stringBytes='7': use a whole number of at least 8");
        assertRefused("stringBytes=0", "agent option stringBytes='0': use a whole number of at least 8");
        assertRefused("eventBytes=63", "agent option eventBytes='63': use a whole number of at least 64");
        assertRefused("eventBytes=-1", "agent option eventBytes='-1': use a whole number of at least 64");
    }

    @Test
    void smallestSizesTheRuntimeTakesAreAccepted() {
        AgentOptions options = AgentOptions.parse("stringBytes=8,eventBytes=64", properties);

        assertEquals(8, options.stringBytes());
        assertEquals(64, options.eventBytes());
    }

    @Test
    void booleanOtherThanTrueOrFalseIsRefused() {
        assertRefused("multiFormat=yes", "agent option multiFormat='yes': use true or false");
    }

    @Test
    void booleanIgnoresCase() {
        assertTrue(AgentOptions.parse("multiFormat=TRUE", properties).multiFormat());
    }

    @Test
    void unknownLogLevelIsRefusedWithTheLevels() {
        assertRefused("log=verbose", "log level 'verbose': use off, error, warn, info or debug");
    }

    @Test
    void prefixMustBeUsableInAnEventName() {
        assertRefused("prefix=my-app", "agent option prefix='my-app': use letters, digits and '_'");
    }

    @Test
    void badSystemPropertyIsRefusedNamingTheKey() {
        properties.setProperty("userevents.eventBytes", "big");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> AgentOptions.parse(null, properties));

        assertTrue(refused.getMessage().startsWith("agent option eventBytes='big'"), refused.getMessage());
    }

    @Test
    void helpDescribesEveryOptionTheParserKnowsInTableOrder() {
        List<String> keys = new ArrayList<>();
        for (AgentOptions.Option option : AgentOptions.Option.values()) {
            keys.add(option.key);
            String sample = option == AgentOptions.Option.DATA_FD ? "3" : "x"; // a number, the others any text
            AgentOptions.parse(option.key + "=" + (option.defaultValue == null ? sample : option.defaultValue), properties);
        }
        assertEquals(keys, new ArrayList<>(AgentOptions.descriptions().keySet()));
        for (String description : AgentOptions.descriptions().values()) {
            assertFalse(description.isBlank());
        }
    }

    @Test
    void theDefaultHelpShowsIsTheValueAnAbsentOptionTakes() {
        for (AgentOptions.Option option : AgentOptions.Option.values()) {
            if (option.defaultValue != null) {
                assertEquals(AgentOptions.defaults().toString(),
                    AgentOptions.parse(option.key + "=" + option.defaultValue, properties).toString(), option.key);
                if (!option.defaultValue.isEmpty()) {
                    assertTrue(AgentOptions.descriptions().get(option.key).endsWith("(default " + option.defaultValue + ")"),
                        AgentOptions.descriptions().get(option.key));
                }
            }
        }
    }

    @Test
    void helpLinesEndWithTheirDefault() {
        assertEquals("most bytes of one string field, at least 8 (default 1024)",
            AgentOptions.descriptions().get("stringBytes"));
        assertEquals("file listing methods to trace without annotations; pattern and ondemand lines make on-demand"
            + " candidates, woven only while a tracer enables them", AgentOptions.descriptions().get("probes"));
    }

    @Test
    void toStringIsAnAgentArgumentThatParsesBackToTheSameOptions() {
        AgentOptions options = AgentOptions.parse("mode=devnull,include=a.*;b.C,stringBytes=64,probes=/p,multiFormat",
            properties);

        assertEquals("log=info,prefix=,include=a.*;b.C,exclude=,stringBytes=64,eventBytes=4000,multiFormat=true,"
            + "persist=false,mode=devnull,sink=auto,probes=/p,maxCandidates=10000,pollMillis=100,restoreAfter=10,context=otel,"
            + "stackDepth=32,perfMap=false,logs=true,format=tracefs,simulateNoMultiFormat=false",
            options.toString());
        assertEquals(options.toString(), AgentOptions.parse(options.toString(), properties).toString());
    }

    @Test
    void aDescriptorHandedInIsADescriptorNumberOrASocketPath() {
        assertNull(AgentOptions.parse(null, properties).dataFd());
        assertNull(AgentOptions.parse(null, properties).dataSocket());
        assertEquals(7, AgentOptions.parse("dataFd=7", properties).dataFd());
        assertEquals("/run/collector/ue.sock", AgentOptions.parse("dataSocket=/run/collector/ue.sock", properties).dataSocket());
        properties.setProperty("userevents.dataFd", "0");
        assertEquals(0, AgentOptions.parse(null, properties).dataFd());
        assertEquals("log=info,prefix=,include=,exclude=,stringBytes=1024,eventBytes=4000,multiFormat=false,persist=false,mode=kernel,"
            + "sink=auto,maxCandidates=10000,pollMillis=100,restoreAfter=10,context=otel,stackDepth=32,perfMap=false,dataFd=0,"
            + "logs=true,format=tracefs,simulateNoMultiFormat=false",
            AgentOptions.parse(null, properties).toString());
    }

    @Test
    void aProviderDerivedFromALongPrefixIsRefusedAsAGivenOneIs() {
        String prefix = "a".repeat(201);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> AgentOptions.parse("format=eventheader,prefix=" + prefix, properties));

        assertTrue(refused.getMessage().contains("provider") && refused.getMessage().contains("1 to 200"),
            refused.getMessage());
        assertEquals("a".repeat(200), AgentOptions.parse("format=eventheader,prefix=" + "a".repeat(200) + "_",
            properties).provider());
        assertEquals(prefix, AgentOptions.parse("prefix=" + prefix, properties).prefix(), "tracefs: no provider");
        assertEquals("p", AgentOptions.parse("format=eventheader,prefix=" + prefix + ",provider=p", properties)
            .provider());
    }

    @Test
    void multiFormatIsRefusedWithEventHeaderWhoseTracepointsCollectorsFindByName() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> AgentOptions.parse("format=eventheader,multiFormat", properties));

        assertTrue(refused.getMessage().startsWith("agent options format=eventheader and multiFormat=true"),
            refused.getMessage());
        assertTrue(AgentOptions.parse("format=eventheader,multiFormat=false", properties).format()
            == AgentOptions.Format.EVENTHEADER);
    }

    @Test
    void aBadDescriptorNumberIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> AgentOptions.parse("dataFd=-1", properties));

        assertEquals("agent option dataFd='-1': use a whole number of at least 0", refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("dataFd=seven", properties));
    }

    @Test
    void onlyOneSourceOfUserEventsDataMayBeGiven() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> AgentOptions.parse("dataFd=7,dataSocket=/run/ue.sock", properties));

        assertEquals("agent options tracefs, dataFd and dataSocket each say where user_events_data comes from: give one"
            + " of them (given: dataFd=7 dataSocket=/run/ue.sock)", refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("tracefs=/t,dataFd=7", properties));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("tracefs=/t,dataSocket=/s", properties));
    }

    @Test
    void logsIsOnUnlessTurnedOffByOptionOrProperty() {
        assertTrue(AgentOptions.parse(null, properties).logs());
        assertFalse(AgentOptions.parse("logs=false", properties).logs());
        properties.setProperty("userevents.logs", "false");
        assertFalse(AgentOptions.parse(null, properties).logs());
    }

    @Test
    void perfMapIsOffUnlessTurnedOnByOptionOrProperty() {
        assertFalse(AgentOptions.parse(null, properties).perfMap());
        assertTrue(AgentOptions.parse("perfMap=true", properties).perfMap());
        assertTrue(AgentOptions.parse("perfMap", properties).perfMap());
        assertRefused("perfMap=yes", "agent option perfMap='yes': use true or false");
        properties.setProperty("userevents.perfMap", "true");
        assertTrue(AgentOptions.parse(null, properties).perfMap());
    }

    @Test
    void parsedListsCannotBeChanged() {
        List<String> includes = AgentOptions.parse("include=a.*", properties).includes();

        assertThrows(UnsupportedOperationException.class, () -> includes.add("b.*"));
    }

    private void assertRefused(String argument, String message) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> AgentOptions.parse(argument, properties));
        assertEquals(message, refused.getMessage());
    }
}
