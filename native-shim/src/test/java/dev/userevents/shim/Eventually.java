package dev.userevents.shim;

import java.util.function.BooleanSupplier;

/** Polls for kernel work that happens asynchronously (fault-in workers, RCU-deferred reference drops). */
final class Eventually {
    private static final long TIMEOUT_NANOS = 5_000_000_000L;

    private Eventually() {
    }

    /** Whether {@code condition} became true within 5 seconds. */
    static boolean holds(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }
}
