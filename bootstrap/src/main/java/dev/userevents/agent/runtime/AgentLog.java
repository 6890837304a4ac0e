package dev.userevents.agent.runtime;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The agent's log: one line per event worth telling, on standard error, prefixed {@code [userevents]}.
 * Levels: off, error, warn, info (default), debug. Set by the agent option {@code log=}.
 */
public final class AgentLog {
    /** {@code log=off}: no line at all. */
    public static final int OFF = 0;
    /** {@code log=error}: failures only, e.g. a probe switched off or a class that could not be woven. */
    public static final int ERROR = 1;
    /** {@code log=warn}: also warnings, e.g. dropped events or an option the agent could not honour. */
    public static final int WARN = 2;
    /** {@code log=info}, the default: also the agent's start line and renamed events. */
    public static final int INFO = 3;
    /** {@code log=debug}: also each woven class and registered event. */
    public static final int DEBUG = 4;

    private static volatile int level = INFO;
    private static volatile PrintStream out = System.err;

    private AgentLog() {
    }

    /**
     * Sets the level lines must reach to be written.
     *
     * @param name off, error, warn, info or debug, in any case, blanks around ignored
     * @throws IllegalArgumentException for any other name, naming the five
     */
    public static void setLevel(String name) {
        level = parseLevel(name);
    }

    /**
     * The level an agent option {@code log=} names.
     *
     * @param name off, error, warn, info or debug, in any case, blanks around ignored
     * @return {@link #OFF} ... {@link #DEBUG}
     * @throws IllegalArgumentException for any other name, naming the five
     */
    @SuppressWarnings("StatementSwitchToExpressionSwitch") // an arrow switch compiles to other bytecode (package-info)
    public static int parseLevel(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "off": return OFF;
            case "error": return ERROR;
            case "warn": return WARN;
            case "info": return INFO;
            case "debug": return DEBUG;
            default: throw new IllegalArgumentException("log level '" + name + "': use off, error, warn, info or debug");
        }
    }

    /**
     * Whether a line at {@code atLevel} would be written now: for callers that build a costly line only then.
     *
     * @param atLevel {@link #ERROR} ... {@link #DEBUG}
     * @return true when the level set is {@code atLevel} or more verbose
     */
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
