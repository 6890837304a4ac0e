package dev.userevents.agent.runtime;

import java.io.PrintStream;

/**
 * The agent's log: one line per event worth telling, on standard error, prefixed {@code [userevents]}.
 * Levels: off, error, warn, info (default), debug. Set by the agent option {@code log=}.
 */
public final class AgentLog {
    public static final int OFF = 0;
    public static final int ERROR = 1;
    public static final int WARN = 2;
    public static final int INFO = 3;
    public static final int DEBUG = 4;

    private static volatile int level = INFO;
    private static volatile PrintStream out = System.err;

    private AgentLog() {
    }

    public static void setLevel(String name) {
        level = parseLevel(name);
    }

    public static int parseLevel(String name) {
        switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "off": return OFF;
            case "error": return ERROR;
            case "warn": return WARN;
            case "info": return INFO;
            case "debug": return DEBUG;
            default: throw new IllegalArgumentException("log level '" + name + "': use off, error, warn, info or debug");
        }
    }

    public static boolean enabled(int atLevel) {
        return atLevel <= level;
    }

    /**
     * Logs {@code message} at ERROR level.
     *
     * @param message the line, without the {@code [userevents] LEVEL} prefix
     * @return false when the line could not be written (a broken stream, or no stack left), else true
     */
    public static boolean error(String message) {
        return log(ERROR, "ERROR", message);
    }

    /**
     * Logs {@code message} at WARN level.
     *
     * @param message the line, without the {@code [userevents] LEVEL} prefix
     * @return false when the line could not be written (a broken stream, or no stack left), else true
     */
    public static boolean warn(String message) {
        return log(WARN, "WARN", message);
    }

    /**
     * Logs {@code message} at INFO level.
     *
     * @param message the line, without the {@code [userevents] LEVEL} prefix
     * @return false when the line could not be written (a broken stream, or no stack left), else true
     */
    public static boolean info(String message) {
        return log(INFO, "INFO", message);
    }

    /**
     * Logs {@code message} at DEBUG level.
     *
     * @param message the line, without the {@code [userevents] LEVEL} prefix
     * @return false when the line could not be written (a broken stream, or no stack left), else true
     */
    public static boolean debug(String message) {
        return log(DEBUG, "DEBUG", message);
    }

    private static boolean log(int atLevel, String tag, String message) {
        if (atLevel <= level) {
            try {
                out.println("[userevents] " + tag + " " + message);
            } catch (Throwable e) {
                return false; // a closed or broken stderr must not reach the application
            }
        }
        return true;
    }
}
