package dev.userevents.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Bounded waits, through Awaitility. Under emulation a JVM takes 5 to 15 s to start and an attach tens of
 * seconds, with wide spread: tests wait for what they need to see, never a fixed time, and never forever.
 *
 * <p>The conditions are checked on the test's own thread (no extra thread on a single emulated CPU), first at
 * once, then every 50 ms. A condition that throws ends the wait with that exception: a process that exited
 * early fails the test at once, with its output. On timeout the failure is an AssertionError whose
 * description is built then, so it can show what the test saw last (a process's output, the trace so far).
 */
public final class Wait {
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private Wait() {
    }

    /**
     * Awaitility with the settings above, for the waits the two methods below do not cover.
     *
     * @param timeout how long the wait may take
     * @return a condition factory to finish with {@code until(...)}
     */
    public static ConditionFactory atMost(Duration timeout) {
        return Awaitility.await()
            .atMost(timeout)
            .pollInSameThread()
            .pollDelay(Duration.ZERO)
            .pollInterval(POLL_INTERVAL);
    }

    /**
     * Returns once {@code condition} holds; AssertionError "waited N s for WHAT" after {@code timeout}.
     *
     * @param timeout how long to wait
     * @param what what is waited for, asked for on timeout only
     * @param condition checked every 50 ms; an exception it throws ends the wait
     */
    public static void until(Duration timeout, Supplier<String> what, Callable<Boolean> condition) {
        forValue(timeout, what, () -> condition.call() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /**
     * The first value {@code probe} offers within {@code timeout}; AssertionError naming {@code what} after it.
     *
     * @param <T> the value's type
     * @param timeout how long to wait
     * @param what what is waited for, asked for on timeout only
     * @param probe checked every 50 ms: empty until the value is there; an exception it throws ends the wait
     * @return the value
     */
    public static <T> T forValue(Duration timeout, Supplier<String> what, Callable<Optional<T>> probe) {
        try {
            return atMost(timeout).until(probe, Optional::isPresent).get();
        } catch (ConditionTimeoutException timedOut) {
            throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what.get(), timedOut);
        }
    }
}
