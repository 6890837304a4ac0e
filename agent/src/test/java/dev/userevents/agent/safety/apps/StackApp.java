package com.example.safety;

import dev.userevents.Tracepoint;

/**
 * A known call chain a -> b -> c whose c carries the calling stack ({@code @Tracepoint(stack = true)}), called
 * from main and from a virtual thread where the JDK has them (21+).
 * <pre>java -javaagent:... com.example.safety.StackApp</pre>
 * Prints {@code ready}, waits for {@code go}, calls a(1) on the main thread and a(2) on a virtual thread (or a
 * platform thread before JDK 21), prints {@code done}, waits for its input to end.
 */
public final class StackApp {
    static int a(int x) {
        return b(x) + 1;
    }

    static int b(int x) {
        return c(x) * 2;
    }

    @Tracepoint(name = "stack_c", stack = true, exit = true)
    static int c(int x) {
        return x + 1;
    }

    public static void main(String[] args) throws Exception {
        Driver.say("ready");
        Driver.await("go");
        a(1);
        Thread other;
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            other = (Thread) Class.forName("java.lang.Thread$Builder").getMethod("unstarted", Runnable.class)
                .invoke(builder, (Runnable) () -> a(2));
        } catch (ReflectiveOperationException e) {
            other = new Thread(() -> a(2), "stack-platform");
        }
        other.start();
        other.join();
        Driver.say("done");
        Driver.awaitEnd();
    }
}
