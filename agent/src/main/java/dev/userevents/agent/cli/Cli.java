package dev.userevents.agent.cli;

import dev.userevents.agent.config.AgentOptions;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code java -jar userevents-agent.jar <command>}: status, list, record, attach, help. Exit status 0 on success,
 * 1 when the command failed (the message says why and what to do), 2 on a usage error.
 */
public final class Cli {
    private Cli() {
    }

    /**
     * Runs one command and exits the JVM with its status: 0 done, 1 failed (the message on standard error says
     * why and what to do), 2 a usage error.
     *
     * @param args the command ({@code status}, {@code list}, {@code record}, {@code attach}, {@code help}) and its arguments;
     *     none prints help and exits with 2
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            help(out);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "status" -> rest.length == 0 ? new StatusCommand(out).run() : ProbeCountsCommand.parse(rest, out).run();
                case "list" -> ListCommand.parse(rest, out).run();
                case "record" -> RecordCommand.parse(rest, out, err).run();
                case "attach" -> AttachCommand.parse(rest, out).run();
                case "help", "--help", "-h" -> {
                    help(out);
                    yield 0;
                }
                default -> {
                    err.println("unknown command '" + args[0] + "'");
                    help(err);
                    yield 2;
                }
            };
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.println("see: java -jar userevents-agent.jar help");
            return 2;
        } catch (CommandFailedException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    static void help(PrintStream out) {
        out.println("userevents-agent: Java methods annotated @Tracepoint become Linux user_events.");
        out.println();
        out.println("As an agent:  java -javaagent:userevents-agent.jar[=key=value,...] -jar app.jar");
        out.println();
        out.println("Commands:     java -jar userevents-agent.jar <command>");
        out.println("  status                     is user_events there, where is tracefs, can this user register,");
        out.println("                             which events exist and who listens to them");
        out.println("  list [PID]                 every user_event (or those of the agent in JVM PID): tracepoint,");
        out.println("                             enabled or not, fields, the command removing it if persistent, and");
        out.println("                             with PID that JVM's counters for it");
        out.println("  record [options] [EVENT..] enable the events in a private trace instance and print them live");
        out.println("                             until Ctrl-C; the global tracing state is left untouched. Named");
        out.println("                             events that do not exist yet are waited for; with no names, every");
        out.println("                             user_event existing once the first one appears.");
        out.println("      --filter EXPR          ftrace filter for every recorded event, e.g. 'orderId < 10'");
        out.println("      --duration SECONDS     stop this long after the first event was enabled");
        out.println("      --count N              stop after N events");
        out.println("      --buffer-kb KIB        the instance's ring buffer per CPU (the kernel's default: 1408);");
        out.println("                             a larger one loses fewer events to a burst (lost ones are counted)");
        out.println("      --raw                  print lines exactly as the kernel formats them");
        out.println("      --hist                 for exit events: no lines, but latency histograms the kernel counts");
        out.println("                             (a hist trigger on duration_ns, log2 buckets, split by thrown):");
        out.println("                             count, p50, p90, p99, max and bars, printed at the stop");
        out.println("      --interval SECONDS     with --hist: also print them this often");
        out.println("  status PID                 the probe counters of the agent running in JVM PID: events");
        out.println("                             written, found no tracer, dropped (by cause), probes switched off");
        out.println("  attach PID [k=v,...]       load the agent into a running JVM (Attach API) and weave its");
        out.println("                             @Tracepoint methods; options as for -javaagent");
        out.println("  help                       this text");
        out.println();
        // Generated from the option table the parser uses, defaults included: the two cannot disagree.
        out.println("Agent options (-javaagent:userevents-agent.jar=k=v,k=v or -Duserevents.k=v):");
        for (Map.Entry<String, String> option : AgentOptions.descriptions().entrySet()) {
            out.printf("  %-22s %s%n", option.getKey(), option.getValue());
        }
    }

    /** Bad command line: exit status 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** The command could not do its job; the message names the fix. Exit status 1. */
    static final class CommandFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        CommandFailedException(String message) {
            super(message);
        }
    }
}
