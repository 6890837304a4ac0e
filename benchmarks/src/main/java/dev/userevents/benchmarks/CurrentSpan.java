package dev.userevents.benchmarks;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

// JMH's Scope is written in full: OpenTelemetry's Scope is the one imported.
/**
 * A span of the real OpenTelemetry SDK, current on the benchmark thread for the whole trial, so that
 * {@code context=otel} has ids to write (an application serving a request inside a span).
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class CurrentSpan {
    @SuppressWarnings("NullAway.Init") // set in open(), before JMH calls any benchmark
    private SdkTracerProvider provider;
    @SuppressWarnings("NullAway.Init")
    private Span span;
    @SuppressWarnings("NullAway.Init")
    private Scope scope;

    /** Starts the span and makes it current on this (the benchmark's) thread. */
    @Setup(Level.Trial)
    @SuppressWarnings("MustBeClosedChecker") // closed in close(): a scope that spans the trial, by design
    public void open() {
        provider = SdkTracerProvider.builder().build();
        span = provider.get("benchmarks").spanBuilder("checkout").startSpan();
        scope = span.makeCurrent();
    }

    /** Ends the span and the provider. */
    @TearDown(Level.Trial)
    public void close() {
        scope.close();
        span.end();
        provider.close();
    }
}
