package dev.userevents.agent.runtime;

import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The calling Java stack as one line of text, for {@link ProbeRuntime#putStack}: the frames below this package
 * (the agent's runtime), innermost first, {@code pkg.Class.method:line} each, separated by {@code ;}.
 * {@link StackWalker} gives the logical frames, inlined or not, of platform and virtual threads alike. No
 * lambdas: linking one on an application thread would load classes there ({@link ProbeRuntime#prepare}).
 */
final class CallStack implements Function<Stream<StackWalker.StackFrame>, String> {
    private static final String RUNTIME_PACKAGE = CallStack.class.getPackageName() + ".";
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final int depth;
    private final boolean firstWithoutLine;

    private CallStack(int depth, boolean firstWithoutLine) {
        this.depth = depth;
        this.firstWithoutLine = firstWithoutLine;
    }

    /**
     * The current thread's stack below the agent's runtime.
     *
     * @param depth            the most frames to write, at least 1
     * @param firstWithoutLine whether the innermost frame is written without its line (an exit by a throwable:
     *                         the JVM would name a line that did not run)
     * @return {@code com.acme.Orders.place:42;com.acme.Shop.buy:17;...}; "" when no frame is left
     */
    static String text(int depth, boolean firstWithoutLine) {
        return WALKER.walk(new CallStack(depth, firstWithoutLine));
    }

    /** Walks once at start-up, so that no class of the walk is first loaded on an application thread. */
    static void prepare() {
        text(2, false);
    }

    @Override
    public String apply(Stream<StackWalker.StackFrame> frames) {
        StringBuilder text = new StringBuilder(64 * Math.min(depth, 8));
        int written = 0;
        for (Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext() && written < depth; ) {
            StackWalker.StackFrame frame = it.next();
            if (written == 0 && frame.getClassName().startsWith(RUNTIME_PACKAGE)) {
                continue; // the runtime's own frames, above the traced method
            }
            if (written > 0) {
                text.append(';');
            }
            text.append(frame.getClassName()).append('.').append(frame.getMethodName());
            int line = frame.getLineNumber();
            if (line >= 0 && !(written == 0 && firstWithoutLine)) {
                text.append(':').append(line);
            }
            written++;
        }
        return text.toString();
    }
}
