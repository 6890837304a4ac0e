package dev.userevents.agent.logs;

import dev.userevents.agent.runtime.LogEvents;
import dev.userevents.shim.hotpath.NativeWords;
import java.util.Arrays;
import net.bytebuddy.asm.Advice;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.MessageFactory2;
import org.apache.logging.log4j.message.ReusableMessageFactory;
import org.apache.logging.log4j.spi.AbstractLogger;
import org.apache.logging.log4j.status.StatusLogger;
import org.apache.logging.log4j.util.LambdaUtil;
import org.apache.logging.log4j.util.MessageSupplier;
import org.apache.logging.log4j.util.Supplier;

/**
 * Advice templates woven into Log4j 2's {@code org.apache.logging.log4j.spi.AbstractLogger} (2.17 and later):
 * every {@code logIfEnabled} overload, where each {@code Logger.debug(...)}, {@code info(...)}, ... call
 * arrives before Log4j asks its configuration whether the level is enabled. Each template reads the log
 * events' enable word (one load, a test, a branch); only when a log event is traced does it build the
 * message with the logger's own message factory (as Log4j would; a reusable message is released after),
 * and write the record to its level's event. Log4j then goes on exactly as before.
 *
 * <p>One template per parameter shape, each small: woven into every overload, the template's size counts
 * against the JIT's inlining budget of {@code logIfEnabled}. The templates repeat one another because
 * advice is copied into the framework's class and so cannot call shared code of its own there.
 * The supplier overloads call the supplier for the event; Log4j calls it again if it logs the record too.
 * Log4j's own {@code StatusLogger} (an {@code AbstractLogger} too) is not bridged: its records are Log4j's
 * diagnostics of itself, not the application's.
 */
final class Log4jAdvice {
    private Log4jAdvice() {
    }

    static final class MessageArg {
        private MessageArg() {
        }

        /** {@code (fqcn, level, marker, Message, Throwable)}. */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@LogWord long word, @Advice.This AbstractLogger logger, @Advice.Argument(1) Level level,
                          @Advice.Argument(3) Message given, @Advice.Argument(4) Throwable thrown) {
            if (NativeWords.loInt(word) != 0) {
                int our = LogEvents.fromLog4j(level.intLevel());
                int[] inside = logger instanceof StatusLogger ? null : LogEvents.enter(word, our);
                if (inside != null) {
                    try {
                        Message message = given;
                        LogEvents.write(our, logger.getName(), message == null ? null : message.getFormattedMessage(),
                            message == null ? thrown : thrown != null ? thrown : message.getThrowable());
                    } finally {
                        inside[0] = 0; // LogEvents.exit(inside) as a store: no call to overflow the stack here
                    }
                }
            }
        }
    }

    static final class MessageSupplierArg {
        private MessageSupplierArg() {
        }

        /** {@code (fqcn, level, marker, MessageSupplier, Throwable)}; the supplier is called. */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@LogWord long word, @Advice.This AbstractLogger logger, @Advice.Argument(1) Level level,
                          @Advice.Argument(3) MessageSupplier supplier, @Advice.Argument(4) Throwable thrown) {
            if (NativeWords.loInt(word) != 0) {
                int our = LogEvents.fromLog4j(level.intLevel());
                int[] inside = logger instanceof StatusLogger ? null : LogEvents.enter(word, our);
                if (inside != null) {
                    try {
                        Message message = LambdaUtil.get(supplier);
                        LogEvents.write(our, logger.getName(), message == null ? null : message.getFormattedMessage(),
                            message == null ? thrown : thrown != null ? thrown : message.getThrowable());
                    } finally {
                        inside[0] = 0; // LogEvents.exit(inside) as a store: no call to overflow the stack here
                    }
                }
            }
        }
    }

    static final class SupplierArg {
        private SupplierArg() {
        }

        /** {@code (fqcn, level, marker, Supplier<?>, Throwable)}; the supplier is called. */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@LogWord long word, @Advice.This AbstractLogger logger, @Advice.Argument(1) Level level,
                          @Advice.Argument(3) Supplier<?> supplier, @Advice.Argument(4) Throwable thrown) {
            if (NativeWords.loInt(word) != 0) {
                int our = LogEvents.fromLog4j(level.intLevel());
                int[] inside = logger instanceof StatusLogger ? null : LogEvents.enter(word, our);
                if (inside != null) {
                    try {
                        Message message = LambdaUtil.getMessage(supplier, logger.getMessageFactory());
                        LogEvents.write(our, logger.getName(), message == null ? null : message.getFormattedMessage(),
                            message == null ? thrown : thrown != null ? thrown : message.getThrowable());
                    } finally {
                        inside[0] = 0; // LogEvents.exit(inside) as a store: no call to overflow the stack here
                    }
                }
            }
        }
    }

    static final class ObjectArg {
        private ObjectArg() {
        }

        /** {@code (fqcn, level, marker, Object, Throwable)}. */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@LogWord long word, @Advice.This AbstractLogger logger, @Advice.Argument(1) Level level,
                          @Advice.Argument(3) Object value, @Advice.Argument(4) Throwable thrown) {
            if (NativeWords.loInt(word) != 0) {
                int our = LogEvents.fromLog4j(level.intLevel());
                int[] inside = logger instanceof StatusLogger ? null : LogEvents.enter(word, our);
                if (inside != null) {
                    try {
                        Message message = logger.getMessageFactory().newMessage(value);
                        LogEvents.write(our, logger.getName(), message == null ? null : message.getFormattedMessage(),
                            message == null ? thrown : thrown != null ? thrown : message.getThrowable());
                        ReusableMessageFactory.release(message);
                    } finally {
                        inside[0] = 0; // LogEvents.exit(inside) as a store: no call to overflow the stack here
                    }
                }
            }
        }
    }

    static final class CharSequenceArg {
        private CharSequenceArg() {
        }

        /** {@code (fqcn, level, marker, CharSequence, Throwable)}. */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@LogWord long word, @Advice.This AbstractLogger logger, @Advice.Argument(1) Level level,
                          @Advice.Argument(3) CharSequence text, @Advice.Argument(4) Throwable thrown) {
            if (NativeWords.loInt(word) != 0) {
                int our = LogEvents.fromLog4j(level.intLevel());
                int[] inside = logger instanceof StatusLogger ? null : LogEvents.enter(word, our);
                if (inside != null) {
                    try {
                        Message message = ((MessageFactory2) logger.getMessageFactory()).newMessage(text);
                        LogEvents.write(our, logger.getName(), message == null ? null : message.getFormattedMessage(),
                            message == null ? thrown : thrown != null ? thrown : message.getThrowable());
                        ReusableMessageFactory.release(message);
                    } finally {
                        inside[0] = 0; // LogEvents.exit(inside) as a store: no call to overflow the stack here
                    }
                }
            }
        }
    }

    static final class StringArg {
        private StringArg() {
        }

        /** {@code (fqcn, level, marker, String)}. */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@LogWord long word, @Advice.This AbstractLogger logger, @Advice.Argument(1) Level level,
                          @Advice.Argument(3) String text) {
            if (NativeWords.loInt(word) != 0) {
                int our = LogEvents.fromLog4j(level.intLevel());
                int[] inside = logger instanceof StatusLogger ? null : LogEvents.enter(word, our);
                if (inside != null) {
                    try {
                        Message message = logger.getMessageFactory().newMessage(text);
                        LogEvents.write(our, logger.getName(), message == null ? null : message.getFormattedMessage(),
                            message == null ? null : message.getThrowable());
                        ReusableMessageFactory.release(message);
                    } finally {
                        inside[0] = 0; // LogEvents.exit(inside) as a store: no call to overflow the stack here
                    }
                }
            }
        }
    }

    static final class StringThrowable {
        private StringThrowable() {
        }

        /** {@code (fqcn, level, marker, String, Throwable)}. */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@LogWord long word, @Advice.This AbstractLogger logger, @Advice.Argument(1) Level level,
                          @Advice.Argument(3) String text, @Advice.Argument(4) Throwable thrown) {
            if (NativeWords.loInt(word) != 0) {
                int our = LogEvents.fromLog4j(level.intLevel());
                int[] inside = logger instanceof StatusLogger ? null : LogEvents.enter(word, our);
                if (inside != null) {
                    try {
                        Message message = logger.getMessageFactory().newMessage(text);
                        LogEvents.write(our, logger.getName(), message == null ? null : message.getFormattedMessage(),
                            message == null ? thrown : thrown != null ? thrown : message.getThrowable());
                        ReusableMessageFactory.release(message);
                    } finally {
                        inside[0] = 0; // LogEvents.exit(inside) as a store: no call to overflow the stack here
                    }
                }
            }
        }
    }

    static final class StringParams {
        private StringParams() {
        }

        /** {@code (fqcn, level, marker, String, Object...)}. */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@LogWord long word, @Advice.This AbstractLogger logger, @Advice.Argument(1) Level level,
                          @Advice.Argument(3) String text, @Advice.Argument(4) Object[] params) {
            if (NativeWords.loInt(word) != 0) {
                int our = LogEvents.fromLog4j(level.intLevel());
                int[] inside = logger instanceof StatusLogger ? null : LogEvents.enter(word, our);
                if (inside != null) {
                    try {
                        Message message = logger.getMessageFactory().newMessage(text, params);
                        LogEvents.write(our, logger.getName(), message == null ? null : message.getFormattedMessage(),
                            message == null ? null : message.getThrowable());
                        ReusableMessageFactory.release(message);
                    } finally {
                        inside[0] = 0; // LogEvents.exit(inside) as a store: no call to overflow the stack here
                    }
                }
            }
        }
    }

    static final class StringSuppliers {
        private StringSuppliers() {
        }

        /** {@code (fqcn, level, marker, String, Supplier<?>...)}; the suppliers are called. */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@LogWord long word, @Advice.This AbstractLogger logger, @Advice.Argument(1) Level level,
                          @Advice.Argument(3) String text, @Advice.Argument(4) Supplier<?>[] suppliers) {
            if (NativeWords.loInt(word) != 0) {
                int our = LogEvents.fromLog4j(level.intLevel());
                int[] inside = logger instanceof StatusLogger ? null : LogEvents.enter(word, our);
                if (inside != null) {
                    try {
                        Message message = logger.getMessageFactory().newMessage(text, LambdaUtil.getAll(suppliers));
                        LogEvents.write(our, logger.getName(), message == null ? null : message.getFormattedMessage(),
                            message == null ? null : message.getThrowable());
                        ReusableMessageFactory.release(message);
                    } finally {
                        inside[0] = 0; // LogEvents.exit(inside) as a store: no call to overflow the stack here
                    }
                }
            }
        }
    }

    static final class StringObjects {
        private StringObjects() {
        }

        /** {@code (fqcn, level, marker, String, Object p0 ... Object p9)}: one to ten parameters. */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@LogWord long word, @Advice.This AbstractLogger logger, @Advice.Argument(1) Level level,
                          @Advice.Argument(3) String text, @Advice.AllArguments Object[] arguments) {
            if (NativeWords.loInt(word) != 0) {
                int our = LogEvents.fromLog4j(level.intLevel());
                int[] inside = logger instanceof StatusLogger ? null : LogEvents.enter(word, our);
                if (inside != null) {
                    try {
                        Object[] all = arguments; // each read of an @AllArguments parameter builds the array
                        Message message = logger.getMessageFactory().newMessage(text, Arrays.copyOfRange(all, 4, all.length));
                        LogEvents.write(our, logger.getName(), message == null ? null : message.getFormattedMessage(),
                            message == null ? null : message.getThrowable());
                        ReusableMessageFactory.release(message);
                    } finally {
                        inside[0] = 0; // LogEvents.exit(inside) as a store: no call to overflow the stack here
                    }
                }
            }
        }
    }
}
