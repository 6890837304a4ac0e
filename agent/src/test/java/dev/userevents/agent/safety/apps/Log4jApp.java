package com.example.safety;

import org.apache.logging.log4j.LogManager;

/**
 * {@link LogScript} through Log4j 2, configured by {@code log4j2-app.xml} (INFO, console and the file
 * {@code -Dapp.log}): <pre>java -Dlog4j2.configurationFile=com/example/safety/log4j2-app.xml -Dapp.log=FILE
 * com.example.safety.Log4jApp</pre>
 */
public final class Log4jApp implements LogScript.Framework {
    public static void main(String[] args) throws InterruptedException {
        LogScript.run(new Log4jApp());
    }

    @Override
    public void debug(String logger, int first, String second) {
        LogManager.getLogger(logger).debug(logger.endsWith("Parallel") ? "item {} of {}" : "order {} for {}",
            first, second);
    }

    @Override
    public void info(String logger, String message) {
        LogManager.getLogger(logger).info(message);
    }

    @Override
    public void error(String logger, String message, Throwable thrown) {
        LogManager.getLogger(logger).error(message, thrown);
    }

    @Override
    public void trace(String logger, String message) {
        LogManager.getLogger(logger).trace(message);
    }
}
