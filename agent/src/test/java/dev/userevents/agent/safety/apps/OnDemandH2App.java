package com.example.safety;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The H2 database (from Maven Central, on the class path at run time) driven through JDBC by THREADS threads,
 * each running {@code SELECT i * 2 /* t<thread>-<i> *}{@code /} through {@code Statement.execute(String)} and
 * checking the answer, about once a millisecond, while the test switches on-demand probes on and off.
 * <pre>java -javaagent:...=probes=FILE com.example.safety.OnDemandH2App</pre>
 * Prints {@code ready} (H2 loaded, one statement run), waits for {@code go}, prints {@code running}, runs until
 * {@code stop}, then prints one line per thread and {@code done}; the output does not depend on timing, so a
 * run with the agent must print exactly what a run without it prints.
 */
public final class OnDemandH2App {
    private static final int THREADS = 4;

    public static void main(String[] args) throws Exception {
        Connection[] connections = new Connection[THREADS];
        for (int t = 0; t < THREADS; t++) {
            connections[t] = DriverManager.getConnection("jdbc:h2:mem:ondemand;DB_CLOSE_DELAY=-1", "sa", "");
            try (Statement statement = connections[t].createStatement()) {
                statement.execute("SELECT 1");
            }
        }
        Driver.say("ready");
        Driver.await("go");
        AtomicBoolean stop = new AtomicBoolean();
        String[] outcomes = new String[THREADS];
        Thread[] workers = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            workers[t] = new Thread(() -> outcomes[id] = run(id, connections[id], stop), "sql-" + t);
            workers[t].start();
        }
        Driver.say("running");
        Driver.await("stop");
        stop.set(true);
        for (int t = 0; t < THREADS; t++) {
            workers[t].join();
            Driver.say("thread " + t + ": " + outcomes[t]);
            connections[t].close();
        }
        Driver.say("done");
        Driver.awaitEnd();
    }

    private static String run(int id, Connection connection, AtomicBoolean stop) {
        long wrong = 0;
        try (Statement statement = connection.createStatement()) {
            for (long i = 1; !stop.get(); i++) {
                statement.execute("SELECT " + i + " * 2 /* t" + id + "-" + i + " */");
                try (ResultSet result = statement.getResultSet()) {
                    if (!result.next() || result.getLong(1) != 2 * i) {
                        wrong++;
                    }
                }
                Thread.sleep(1);
            }
        } catch (SQLException | RuntimeException e) {
            return "failed: " + e;
        } catch (InterruptedException e) {
            return "interrupted";
        }
        return wrong == 0 ? "every answer right" : wrong + " wrong answers";
    }
}
