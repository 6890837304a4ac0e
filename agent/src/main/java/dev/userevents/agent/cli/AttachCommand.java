package dev.userevents.agent.cli;

import java.io.File;
import java.io.PrintStream;

/**
 * {@code attach PID [options]}: loads this jar as an agent into a running JVM with the Attach API; the
 * agent then retransforms the classes already loaded. The target must run as the same user (or we as root).
 * JDK 21+ targets print a warning about dynamically loaded agents unless started with
 * {@code -XX:+EnableDynamicAgentLoading}.
 */
final class AttachCommand {
    private final String pid;
    private final String options;
    private final PrintStream out;

    private AttachCommand(String pid, String options, PrintStream out) {
        this.pid = pid;
        this.options = options;
        this.out = out;
    }

    static AttachCommand parse(String[] args, PrintStream out) throws Cli.UsageException {
        if (args.length < 1 || args.length > 2 || !args[0].matches("[0-9]+")) {
            throw new Cli.UsageException("usage: attach PID [key=value,...]");
        }
        return new AttachCommand(args[0], args.length > 1 ? args[1] : null, out);
    }

    int run() throws Cli.CommandFailedException {
        File jar = agentJar();
        try {
            com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(pid);
            try {
                vm.loadAgent(jar.getAbsolutePath(), options);
            } finally {
                vm.detach();
            }
        } catch (com.sun.tools.attach.AttachNotSupportedException e) {
            throw new Cli.CommandFailedException("attach: cannot attach to JVM " + pid + ": " + e.getMessage()
                + " (is it a running JVM of the same user? started with -XX:+DisableAttachMechanism?)");
        } catch (com.sun.tools.attach.AgentLoadException | com.sun.tools.attach.AgentInitializationException e) {
            throw new Cli.CommandFailedException("attach: JVM " + pid + " refused the agent: " + e.getMessage());
        } catch (java.io.IOException e) {
            throw new Cli.CommandFailedException("attach: talking to JVM " + pid + " failed: " + e.getMessage());
        } catch (IllegalAccessError | NoClassDefFoundError e) {
            throw new Cli.CommandFailedException("attach: this Java runtime has no Attach API (module jdk.attach): "
                + "run the command with a full JDK");
        }
        out.println("agent loaded into JVM " + pid + " from " + jar + (options == null ? "" : " with " + options)
            + "; its log lines appear on that JVM's standard error");
        return 0;
    }

    private static File agentJar() throws Cli.CommandFailedException {
        String path = System.getProperty("userevents.agent.jar");
        if (path != null) {
            return new File(path);
        }
        throw new Cli.CommandFailedException("attach: cannot tell where userevents-agent.jar is; run it as "
            + "java -jar userevents-agent.jar attach PID");
    }
}
