package dev.userevents.agent.logs;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.userevents.agent.runtime.LogEvents;
import dev.userevents.shim.hotpath.NativeWords;
import net.bytebuddy.asm.Advice;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

/**
 * Advice templates woven into Logback's {@code ch.qos.logback.classic.Logger} (1.3 and later), where every
 * SLF4J call arrives before Logback looks at the level: {@code filterAndLog_0_Or3Plus}, {@code
 * filterAndLog_1}, {@code filterAndLog_2} (the classic API and {@code LocationAwareLogger}) and {@code
 * log(org.slf4j.event.LoggingEvent)} (SLF4J 2's fluent API). Each reads the log events' enable word (one
 * load, a test, a branch); only when a log event is traced does it format the message as Logback's {@code
 * LoggingEvent} would (SLF4J's {@code MessageFormatter}, a trailing throwable argument taken as the
 * throwable) and write the record to its level's event. Logback then goes on exactly as before: its own
 * level, turbo filters and appenders decide what the application's outputs get.
 *
 * <p>{@code isDebugEnabled()} is left alone: Logback's {@code log(LoggingEvent)} appends without a level
 * check (the fluent API asked {@code isDebugEnabled()} first), so a true answer it would not have given
 * would put records in the application's appenders. Calls guarded by it reach the bridge only at levels
 * the application's configuration enables.
 */
final class LogbackAdvice {
    private LogbackAdvice() {
    }

    static final class Params {
        private Params() {
        }

        /** {@code filterAndLog_0_Or3Plus(fqcn, marker, level, msg, Object[] params, t)}. */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@LogWord long word, @Advice.This Logger logger, @Advice.Argument(2) Level level,
                          @Advice.Argument(3) String message, @Advice.Argument(4) Object[] params,
                          @Advice.Argument(5) Throwable thrown) {
            if (NativeWords.loInt(word) != 0) {
                int our = LogEvents.fromLogback(level.levelInt);
                int[] inside = LogEvents.enter(word, our);
                if (inside != null) {
                    try {
                        FormattingTuple text = MessageFormatter.arrayFormat(message, params);
                        LogEvents.write(our, logger.getName(), text.getMessage(),
                            thrown != null ? thrown : text.getThrowable());
                    } finally {
                        inside[0] = 0; // LogEvents.exit(inside) as a store: no call to overflow the stack here
                    }
                }
            }
        }
    }

    static final class OneParam {
        private OneParam() {
        }

        /** {@code filterAndLog_1(fqcn, marker, level, msg, param, t)}. */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@LogWord long word, @Advice.This Logger logger, @Advice.Argument(2) Level level,
                          @Advice.Argument(3) String message, @Advice.Argument(4) Object param,
                          @Advice.Argument(5) Throwable thrown) {
            if (NativeWords.loInt(word) != 0) {
                int our = LogEvents.fromLogback(level.levelInt);
                int[] inside = LogEvents.enter(word, our);
                if (inside != null) {
                    try {
                        FormattingTuple text = MessageFormatter.arrayFormat(message, new Object[] {param});
                        LogEvents.write(our, logger.getName(), text.getMessage(),
                            thrown != null ? thrown : text.getThrowable());
                    } finally {
                        inside[0] = 0; // LogEvents.exit(inside) as a store: no call to overflow the stack here
                    }
                }
            }
        }
    }

    static final class TwoParams {
        private TwoParams() {
        }

        /** {@code filterAndLog_2(fqcn, marker, level, msg, param1, param2, t)}. */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@LogWord long word, @Advice.This Logger logger, @Advice.Argument(2) Level level,
                          @Advice.Argument(3) String message, @Advice.Argument(4) Object first,
                          @Advice.Argument(5) Object second, @Advice.Argument(6) Throwable thrown) {
            if (NativeWords.loInt(word) != 0) {
                int our = LogEvents.fromLogback(level.levelInt);
                int[] inside = LogEvents.enter(word, our);
                if (inside != null) {
                    try {
                        FormattingTuple text = MessageFormatter.arrayFormat(message, new Object[] {first, second});
                        LogEvents.write(our, logger.getName(), text.getMessage(),
                            thrown != null ? thrown : text.getThrowable());
                    } finally {
                        inside[0] = 0; // LogEvents.exit(inside) as a store: no call to overflow the stack here
                    }
                }
            }
        }
    }

    static final class Fluent {
        private Fluent() {
        }

        /** {@code log(org.slf4j.event.LoggingEvent)}: SLF4J 2's fluent API ({@code logger.atDebug()...log()}). */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@LogWord long word, @Advice.This Logger logger, @Advice.Argument(0) LoggingEvent event) {
            if (NativeWords.loInt(word) != 0) {
                int our = LogEvents.fromSlf4j(event.getLevel().toInt());
                int[] inside = LogEvents.enter(word, our);
                if (inside != null) {
                    try {
                        FormattingTuple text = MessageFormatter.arrayFormat(event.getMessage(), event.getArgumentArray());
                        Throwable thrown = event.getThrowable();
                        LogEvents.write(our, logger.getName(), text.getMessage(),
                            thrown != null ? thrown : text.getThrowable());
                    } finally {
                        inside[0] = 0; // LogEvents.exit(inside) as a store: no call to overflow the stack here
                    }
                }
            }
        }
    }
}
