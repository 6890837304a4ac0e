package dev.userevents.agent.e2e;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded polling: the guest runs under software emulation, where a JVM start takes anywhere from 10 to
 * 60 seconds, so tests wait for what they need to see instead of sleeping fixed times, and never forever.
 */
final class Await {
    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    /** Returns once {@code condition} holds; throws AssertionError naming {@code what} after {@code timeout}. */
    static void until(Duration timeout, Supplier<String> what, BooleanSupplier condition) throws InterruptedException {
        value(timeout, what, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** The first value {@code probe} offers within {@code timeout}; throws AssertionError naming {@code what} after it. */
    static <T> T value(Duration timeout, Supplier<String> what, Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what.get());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
