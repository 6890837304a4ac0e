package com.example.safety;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * {@link LogScript} through {@code java.util.logging}, configured as an application would at start: INFO,
 * the default console handler (standard error) and a {@code FileHandler} on {@code -Dapp.log}, both with a
 * timestamp-free {@code SimpleFormatter} format. <pre>java -Dapp.log=FILE com.example.safety.JulApp</pre>
 */
public final class JulApp implements LogScript.Framework {
    public static void main(String[] args) throws InterruptedException {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %3$s: %5$s%6$s%n");
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        try {
            FileHandler file = new FileHandler(System.getProperty("app.log"), false);
            file.setFormatter(new SimpleFormatter());
            root.addHandler(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LogScript.run(new JulApp());
    }

    @Override
    public void debug(String logger, int first, String second) {
        Logger.getLogger(logger).log(Level.FINE, logger.endsWith("Parallel") ? "item {0} of {1}" : "order {0} for {1}",
            new Object[] {first, second});
    }

    @Override
    public void info(String logger, String message) {
        Logger.getLogger(logger).info(message);
    }

    @Override
    public void error(String logger, String message, Throwable thrown) {
        Logger.getLogger(logger).log(Level.SEVERE, message, thrown);
    }

    @Override
    public void trace(String logger, String message) {
        Logger.getLogger(logger).finest(message);
    }
}
