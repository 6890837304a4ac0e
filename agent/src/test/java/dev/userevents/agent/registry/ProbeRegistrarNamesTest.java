package dev.userevents.agent.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userevents.agent.backend.EventBackend;
import dev.userevents.agent.probe.ParameterKind;
import dev.userevents.agent.probe.ProbeDefinition;
import dev.userevents.agent.runtime.Probe;
import dev.userevents.agent.testing.RecordingBackend;
import dev.userevents.shim.EventFormat;
import dev.userevents.shim.RegistrationException;
import dev.userevents.shim.hotpath.EventSink;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When a second method asks for a taken event name: renamed {@code _2} when one name has one format; kept when
 * the backend gives each format of a name a tracepoint of its own ({@code multiFormat}), unless the fields are
 * the same too.
 */
class ProbeRegistrarNamesTest {
    private static final String CLASS = "com.example.multi.Versioned";

    @Test
    void twoFormatsOfOneNameAreRenamedWithoutMultiFormat() throws Exception {
        ProbeRegistrar registrar = new ProbeRegistrar(new RecordingBackend());
        try (URLClassLoader first = loader(); URLClassLoader second = loader()) {
            assertEquals("multi_emit", registrar.register(emitInt(), first).eventName());
            assertEquals("multi_emit_2", registrar.register(emitString(), second).eventName());
        }
    }

    @Test
    void twoFormatsOfOneNameKeepItWithMultiFormat() throws Exception {
        ProbeRegistrar registrar = new ProbeRegistrar(new MultiFormat(new RecordingBackend()));
        try (URLClassLoader first = loader(); URLClassLoader second = loader(); URLClassLoader third = loader()) {
            Probe count = registrar.register(emitInt(), first);
            Probe text = registrar.register(emitString(), second);
            assertEquals(List.of("multi_emit", "multi_emit"), List.of(count.eventName(), text.eventName()));
            // the same name and the same fields from another method would share one tracepoint: renamed
            ProbeDefinition sameFields = new ProbeDefinition(CLASS, "other", "(I)V",
                EventFormat.named("multi_emit").s32("count"), List.of(ParameterKind.INT));
            assertEquals("multi_emit_2", registrar.register(sameFields, third).eventName());
        }
    }

    private static ProbeDefinition emitInt() {
        return new ProbeDefinition(CLASS, "emit", "(I)V", EventFormat.named("multi_emit").s32("count"),
            List.of(ParameterKind.INT));
    }

    private static ProbeDefinition emitString() {
        return new ProbeDefinition(CLASS, "emit", "(Ljava/lang/String;)V",
            EventFormat.named("multi_emit").string("text"), List.of(ParameterKind.STRING));
    }

    private static URLClassLoader loader() {
        return new URLClassLoader(new URL[0], ProbeRegistrarNamesTest.class.getClassLoader());
    }

    /** A backend that lets one name carry several formats, as KernelBackend with multiFormat=true. */
    private static final class MultiFormat implements EventBackend {
        private final RecordingBackend delegate;

        MultiFormat(RecordingBackend delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean namesCarrySeveralFormats() {
            return true;
        }

        @Override
        public long allocateEnableWord() {
            return delegate.allocateEnableWord();
        }

        @Override
        public Registered register(EventFormat format, long word) throws RegistrationException {
            return delegate.register(format, word);
        }

        @Override
        public Registered registerOnBit(EventFormat format, long word, int bit) throws RegistrationException {
            return delegate.registerOnBit(format, word, bit);
        }

        @Override
        public EventSink sink() {
            return delegate.sink();
        }

        @Override
        public String describe() {
            return "multi-format test backend";
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
