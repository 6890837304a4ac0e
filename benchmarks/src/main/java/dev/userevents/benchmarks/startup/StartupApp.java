package dev.userevents.benchmarks.startup;

/**
 * The trivial application of the start-up measurement: starts, optionally loads one class, exits.
 * {@code benchmarks/run.sh} times whole runs of it, with and without the agent, where the class it loads
 * is generated with 1,000 {@code @Tracepoint} methods, so loading it registers 1,000 probes.
 *
 * <pre>java [-javaagent:...] -cp ... dev.userevents.benchmarks.startup.StartupApp [class-to-load]</pre>
 */
public final class StartupApp {
    private StartupApp() {
    }

    /**
     * Loads {@code args[0]}, if given, and returns.
     *
     * @param args the binary name of the class to load, or nothing
     * @throws ClassNotFoundException if the class is not on the class path
     */
    public static void main(String[] args) throws ClassNotFoundException {
        if (args.length > 0) {
            Class.forName(args[0]);
        }
    }
}
