package dev.userevents.agent.logs;

import dev.userevents.agent.probe.EventHeaderEvent;
import dev.userevents.agent.runtime.LogEvents;

/**
 * The log events in EventHeader form ({@code format=eventheader}): Common Schema 4.0 log records, as
 * opentelemetry-rust-contrib's user_events log exporter ({@code opentelemetry-user-events-logs},
 * {@code exporter.rs}) writes them, so that collectors of OpenTelemetry logs from user_events (Geneva, the
 * otel-arrow user_events receiver) read Java logs as they read Rust's. Each record is an event named
 * {@value #EVENT_NAME} on {@code <provider>_L<level>K1}, the level mapped as that exporter maps OpenTelemetry
 * severities (error 2, warning 3, information 4, debug and trace 5), with these fields, in this order
 * ({@link LogEvents#write} writes them):
 * <pre>
 *  __csver__          u32 0x400
 *  PartA  { time (RFC 3339, UTC, ns) [, ext_dt_traceId, ext_dt_spanId] }
 *  PartB  { _typeName "Log", body (the message), severityNumber (s16: 17, 13, 9, 5, 1), severityText }
 *  PartC  { logger.name, thread.name, exception.type, exception.message [, thread.id s64, thread.virtual bool] }
 * </pre>
 * The time comes first so that a long message, cut to the event's bound, never leaves it out.
 * Strings are counted UTF-8; {@code exception.*} are empty without a throwable, the ids empty outside a span.
 */
final class CommonSchemaLog {
    /** The event name in each record's metadata, as the Rust exporter's default. */
    static final String EVENT_NAME = "Log";
    /** The keyword of every log tracepoint. */
    static final long KEYWORD = 1;
    /** Common Schema version 4.0. */
    static final int CS_VERSION = 0x400;
    /** EventHeader level by log level, {@link LogEvents#ERROR} ... {@link LogEvents#TRACE}. */
    private static final int[] LEVELS = {2, 3, 4, 5, 5};

    private CommonSchemaLog() {
    }

    /**
     * The EventHeader level records of a log level go out at.
     *
     * @param logLevel {@link LogEvents#ERROR} ... {@link LogEvents#TRACE}
     * @return 2 (error) ... 5 (verbose)
     */
    static int eventHeaderLevel(int logLevel) {
        return LEVELS[logLevel];
    }

    /**
     * One log level's event.
     *
     * @param provider      the EventHeader provider (agent option {@code provider})
     * @param logLevel      {@link LogEvents#ERROR} ... {@link LogEvents#TRACE}
     * @param threadContext whether PartC ends with {@code thread.id} and {@code thread.virtual}
     * @param otel          whether PartA starts with {@code ext_dt_traceId} and {@code ext_dt_spanId}
     * @return the event, on the tracepoint {@code <provider>_L<level>K1}
     */
    static EventHeaderEvent event(String provider, int logLevel, boolean threadContext, boolean otel) {
        int string = EventHeaderEvent.STRING_LENGTH16_CHAR8;
        int utf = EventHeaderEvent.FORMAT_STRING_UTF;
        EventHeaderEvent.Builder event = new EventHeaderEvent.Builder(EVENT_NAME)
            .field("__csver__", EventHeaderEvent.VALUE32, EventHeaderEvent.FORMAT_UNSIGNED_INT)
            .struct(EventHeaderEvent.PART_A, otel ? 3 : 1)
            .field("time", string, utf);
        if (otel) {
            event.field(EventHeaderEvent.TRACE_ID, string, utf).field(EventHeaderEvent.SPAN_ID, string, utf);
        }
        event.struct("PartB", 4)
            .field("_typeName", string, utf)
            .field("body", string, utf)
            .field("severityNumber", EventHeaderEvent.VALUE16, EventHeaderEvent.FORMAT_SIGNED_INT)
            .field("severityText", string, utf)
            .struct("PartC", threadContext ? 6 : 4)
            .field("logger.name", string, utf)
            .field("thread.name", string, utf)
            .field("exception.type", string, utf)
            .field("exception.message", string, utf);
        if (threadContext) {
            event.field("thread.id", EventHeaderEvent.VALUE64, EventHeaderEvent.FORMAT_SIGNED_INT)
                .field("thread.virtual", EventHeaderEvent.VALUE8, EventHeaderEvent.FORMAT_BOOLEAN);
        }
        return event.build(provider, eventHeaderLevel(logLevel), KEYWORD);
    }
}
