package com.example.safety;

import org.slf4j.LoggerFactory;

/**
 * {@link LogScript} through SLF4J 2 and Logback, configured by {@code logback-app.xml} (INFO, console and
 * the file {@code -Dapp.log}): <pre>java -Dlogback.configurationFile=com/example/safety/logback-app.xml
 * -Dapp.log=FILE com.example.safety.LogbackApp</pre>
 */
public final class LogbackApp implements LogScript.Framework {
    public static void main(String[] args) throws InterruptedException {
        LogScript.run(new LogbackApp());
    }

    @Override
    public void debug(String logger, int first, String second) {
        LoggerFactory.getLogger(logger).debug(logger.endsWith("Parallel") ? "item {} of {}" : "order {} for {}",
            first, second);
    }

    @Override
    public void info(String logger, String message) {
        LoggerFactory.getLogger(logger).info(message);
    }

    @Override
    public void error(String logger, String message, Throwable thrown) {
        LoggerFactory.getLogger(logger).error(message, thrown);
    }

    @Override
    public void trace(String logger, String message) {
        LoggerFactory.getLogger(logger).trace(message);
    }
}
