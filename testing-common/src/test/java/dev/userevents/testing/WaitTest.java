package dev.userevents.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaitTest {
    @Test
    void returnsTheFirstValueOfferedCheckingAtOnceAndOnTheTestsThread() {
        Thread test = Thread.currentThread();
        AtomicInteger calls = new AtomicInteger();
        long start = System.nanoTime();
        String value = Wait.forValue(Duration.ofSeconds(5), () -> "a value", () -> {
            assertSame(test, Thread.currentThread(), "polled on the test's thread");
            return calls.incrementAndGet() < 3 ? Optional.empty() : Optional.of("third");
        });
        assertEquals("third", value);
        assertEquals(3, calls.get());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos(), "polls every 50 ms, not every second");
    }

    @Test
    void timeoutFailsWithTheDescriptionAsItIsWhenTheTimeRunsOut() {
        AtomicInteger calls = new AtomicInteger();
        AssertionError failure = assertThrows(AssertionError.class,
            () -> Wait.until(Duration.ofMillis(300), () -> "something after " + calls.get() + " checks", () -> {
                calls.incrementAndGet();
                return false;
            }));
        assertEquals("waited 0 s for something after " + calls.get() + " checks", failure.getMessage());
        assertTrue(calls.get() > 1, "checked more than once: " + calls.get());
    }

    @Test
    void aConditionThatThrowsEndsTheWaitWithItsOwnFailure() {
        AtomicInteger calls = new AtomicInteger();
        AssertionError early = new AssertionError("the process exited");
        AssertionError failure = assertThrows(AssertionError.class,
            () -> Wait.until(Duration.ofSeconds(30), () -> "never", () -> {
                calls.incrementAndGet();
                throw early;
            }));
        assertSame(early, failure);
        assertEquals(1, calls.get());
    }
}
