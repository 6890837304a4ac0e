package dev.userevents.agent.e2e.tool;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded polling. Under emulation a JVM takes 5 to 15 s to start and an attach tens of seconds, with wide
 * spread: tests wait for what they need to see, never a fixed time, and never forever.
 */
final class Poll {
    private static final long POLL_MILLIS = 50;

    private Poll() {
    }

    /** Returns once {@code condition} holds; AssertionError naming {@code what} after {@code timeout}. */
    static void until(Duration timeout, Supplier<String> what, BooleanSupplier condition) throws InterruptedException {
        value(timeout, what, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** The first value {@code probe} offers within {@code timeout}; AssertionError naming {@code what} after it. */
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
