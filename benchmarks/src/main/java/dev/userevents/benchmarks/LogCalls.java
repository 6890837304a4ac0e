package dev.userevents.benchmarks;

import java.text.MessageFormat;
import java.util.logging.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.MessageFactory2;
import org.apache.logging.log4j.message.ReusableMessageFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.MessageFormatter;

/**
 * The application code of the log bridge benchmarks: one debug call per framework, made the way an
 * application makes it (a {@code static final} logger, the framework's own API), and the framework's own
 * formatting of the same message. Each framework is in a class of its own, so a fork that benchmarks one
 * framework never loads or configures the others.
 *
 * <p>Every framework is configured at INFO (Logback by {@code logback.xml}, Log4j 2 by {@code log4j2.xml},
 * both on the benchmark class path with an appender that discards; {@code java.util.logging} by the JDK's
 * default {@code logging.properties}, root logger at INFO), so the debug calls are below the level and no
 * framework writes anything. Each class checks this when it initialises and fails the benchmark otherwise.
 */
final class LogCalls {
    /** The logger every framework's call uses. */
    static final String LOGGER = "bench.orders";
    /** SLF4J's and Log4j 2's placeholders. */
    static final String PATTERN = "order {} for {}";
    /** {@code java.text.MessageFormat}'s placeholders, which java.util.logging uses. */
    static final String JUL_PATTERN = "order {0} for {1}";

    private LogCalls() {
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("log bridge benchmark misconfigured: " + what);
        }
    }

    /** Logback 1.5 through SLF4J 2. */
    static final class Logback {
        private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(LOGGER);

        static {
            require(LOG instanceof ch.qos.logback.classic.Logger, "SLF4J is bound to " + LOG.getClass().getName()
                + ", not Logback");
            require(LOG.isInfoEnabled() && !LOG.isDebugEnabled(), "Logback's " + LOGGER + " is not at INFO");
        }

        private Logback() {
        }

        /** {@code logger.debug("order {} for {}", id, customer)}: SLF4J's two-argument overload. */
        static void debug(int id, String customer) {
            LOG.debug(PATTERN, id, customer);
        }

        /**
         * What formatting the message costs Logback when a record is logged: SLF4J's {@code MessageFormatter}
         * on the arguments (the bridge formats with the same call).
         */
        static String format(int id, String customer) {
            return MessageFormatter.arrayFormat(PATTERN, new Object[] {id, customer}).getMessage();
        }
    }

    /** Log4j 2 (log4j-api and log4j-core). */
    static final class Log4j {
        private static final org.apache.logging.log4j.Logger LOG = LogManager.getLogger(LOGGER);
        /** The logger's own: {@code ReusableMessageFactory} by default (thread locals on, not a web app). */
        private static final MessageFactory2 MESSAGES = (MessageFactory2) LOG.getMessageFactory();

        static {
            require(LOG instanceof org.apache.logging.log4j.core.Logger, "Log4j's logger is "
                + LOG.getClass().getName() + ", not log4j-core's");
            require(LOG.isInfoEnabled() && !LOG.isDebugEnabled(), "Log4j's " + LOGGER + " is not at INFO");
        }

        private Log4j() {
        }

        /** {@code logger.debug("order {} for {}", id, customer)}: Log4j's two-parameter overload. */
        static void debug(int id, String customer) {
            LOG.debug(PATTERN, id, customer);
        }

        /**
         * What formatting the message costs Log4j when a record is logged: the logger's message factory
         * builds the message from the two parameters ({@code AbstractLogger.logMessage} does the same),
         * {@code getFormattedMessage()} formats it, and a reusable message goes back to its thread.
         */
        static String format(int id, String customer) {
            Message message = MESSAGES.newMessage(PATTERN, id, customer);
            String text = message.getFormattedMessage();
            ReusableMessageFactory.release(message);
            return text;
        }
    }

    /** {@code java.util.logging}. */
    static final class Jul {
        private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(LOGGER);

        static {
            require(LOG.isLoggable(Level.INFO) && !LOG.isLoggable(Level.FINE),
                "java.util.logging's " + LOGGER + " is not at INFO");
        }

        private Jul() {
        }

        /**
         * {@code logger.log(Level.FINE, "order {0} for {1}", new Object[] {id, customer})}: JUL's own way to
         * pass more than one parameter ({@code fine(String)} takes none).
         */
        static void debug(int id, String customer) {
            LOG.log(Level.FINE, JUL_PATTERN, new Object[] {id, customer});
        }

        /**
         * What formatting the message costs JUL when a record is logged: {@code MessageFormat.format}, as
         * {@code java.util.logging.Formatter.formatMessage} calls it for a message with {@code {0}}-style
         * parameters and no resource bundle.
         */
        static String format(int id, String customer) {
            return MessageFormat.format(JUL_PATTERN, new Object[] {id, customer});
        }
    }
}
