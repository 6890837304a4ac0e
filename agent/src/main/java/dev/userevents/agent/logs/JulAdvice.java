package dev.userevents.agent.logs;

import dev.userevents.agent.runtime.LogEvents;
import dev.userevents.shim.hotpath.NativeWords;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.bytebuddy.asm.Advice;

/**
 * The advice template woven into {@code java.util.logging.Logger}: every {@code log(Level, ...)} and {@code
 * logp(Level, ...)} overload, which {@code fine(...)}, {@code info(...)}, ... and {@code System.Logger}'s
 * default backend call before JUL tests the level. It reads the log events' enable word (one load, a test,
 * a branch); only when a log event is traced does it hand the arguments to {@link LogEvents#writeJul}, which
 * formats the message as JUL's {@code Formatter.formatMessage} does. {@code log(LogRecord)} is left alone:
 * JUL calls it from the overloads above, once a record passed their level test.
 */
final class JulAdvice {
    private JulAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@LogWord long word, @Advice.This Logger logger, @Advice.Argument(0) Level level,
                      @Advice.Origin("#m#d") String signature, @Advice.AllArguments Object[] arguments) {
        if (NativeWords.loInt(word) != 0) {
            int our = LogEvents.fromJul(level.intValue());
            if (LogEvents.enter(word, our)) {
                try {
                    LogEvents.writeJul(our, logger.getName(), signature, arguments);
                } finally {
                    LogEvents.exit();
                }
            }
        }
    }
}
