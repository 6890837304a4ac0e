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

    public static void error(String message) {
        log(ERROR, "ERROR", message);
    }

    public static void warn(String message) {
        log(WARN, "WARN", message);
    }

    public static void info(String message) {
        log(INFO, "INFO", message);
    }

    public static void debug(String message) {
        log(DEBUG, "DEBUG", message);
    }

    private static void log(int atLevel, String tag, String message) {
        if (atLevel <= level) {
            try {
                out.println("[userevents] " + tag + " " + message);
            } catch (Throwable ignored) {
                // A closed or broken stderr must not reach the application.
            }
        }
    }
}
