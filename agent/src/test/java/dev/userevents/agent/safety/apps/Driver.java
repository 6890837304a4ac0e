package com.example.safety;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The test that drives an app, through the app's standard input: one command a line. End of input (the test
 * closed it, or died) releases every wait, so an app never outlives its test for long.
 */
final class Driver {
    private static final BufferedReader IN = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    private Driver() {
    }

    /** Prints {@code line} to standard output at once. */
    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Blocks until the test sends {@code command}; false if the input ended first. */
    static boolean await(String command) {
        try {
            for (String line; (line = IN.readLine()) != null; ) {
                if (line.trim().equals(command)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next command, or null when the input ended. */
    static String next() {
        try {
            String line = IN.readLine();
            return line == null ? null : line.trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Blocks until the input ends: the app lives (and its events with it) while the test reads the trace. */
    static void awaitEnd() {
        await("\u0000never sent");
    }
}
