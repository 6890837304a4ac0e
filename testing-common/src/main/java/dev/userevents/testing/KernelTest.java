package dev.userevents.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that needs a kernel with user_events: the host's {@code mvn verify} skips it (root pom,
 * {@code excludedGroups}) and {@code vm/kernel-tests.sh} runs it in the guest ({@code --include-tag kernel}),
 * as root with tracefs mounted. The tag name is what both select on.
 *
 * <p>Not a {@code @Test} itself: it goes on the class, whose methods are plain, parameterized or class
 * template tests alike, or jqwik properties. Both tags are here because each engine reads only its own:
 * JUnit's {@code @Tag} for Jupiter, {@code net.jqwik.api.Tag} for jqwik; with one missing, that engine's
 * kernel tests would run on the host.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(KernelTest.TAG)
@net.jqwik.api.Tag(KernelTest.TAG)
public @interface KernelTest {
    /** The JUnit tag the build and the guest runner select on. */
    String TAG = "kernel";
}
