/**
 * Applications the safety tests run under the agent, each in a JVM of its own. They stand for someone
 * else's production code, so they live in {@code com.example.safety} although their sources sit in the
 * test tree under {@code dev/userevents/agent/safety/apps}: the agent never weaves its own packages
 * ({@code dev.userevents.agent.*}).
 *
 * <p>Each app prints {@code ready} once its classes (and so its probes) are loaded, waits for the test's
 * command on standard input, does its work, prints its numbers, and stays alive until its input ends: an
 * event exists only while the process that registered it runs, so the test reads the trace before that.
 */
package com.example.safety;
