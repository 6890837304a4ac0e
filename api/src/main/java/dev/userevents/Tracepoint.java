package dev.userevents;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method whose calls become a Linux user_event when the userevents agent is attached
 * ({@code java -javaagent:userevents-agent.jar ...}). Without the agent this annotation does nothing.
 *
 * <p>On each call the woven method checks one bit of native memory that the kernel sets while a tracer
 * (ftrace, perf, eBPF) has the event enabled; only then are the arguments encoded and written. Each
 * parameter becomes a field named after it (compile with {@code javac -parameters}, else {@code arg0},
 * {@code arg1}, ...):
 * <table>
 *   <caption>Parameter types and their event fields</caption>
 *   <tr><th>Java</th><th>field</th></tr>
 *   <tr><td>boolean</td><td>u8 (0 or 1)</td></tr>
 *   <tr><td>byte, short, int, long</td><td>s8, s16, s32, s64</td></tr>
 *   <tr><td>char</td><td>u16 (the UTF-16 code unit)</td></tr>
 *   <tr><td>float, double</td><td>__rel_loc char[] holding the decimal text (the kernel has no floats)</td></tr>
 *   <tr><td>String, enum (its name), any other object ({@code String.valueOf})</td>
 *       <td>__rel_loc char[], UTF-8, bounded in length; null is "(null)"</td></tr>
 * </table>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Tracepoint {
    /**
     * The event name, a C identifier ({@code [A-Za-z_][A-Za-z0-9_]*}). When empty the name is
     * {@code <SimpleClassName>_<methodName>} (nested classes joined with '_'), other characters replaced by
     * '_'; overloads of one method get {@code _2}, {@code _3}, ... in the order of their descriptors.
     * The agent's {@code prefix} option is put before it. The kernel takes the name as the first word of the
     * {@code DIAG_IOCSREG} command ({@code user_event_parse_cmd()} in {@code kernel/trace/trace_events_user.c}).
     *
     * @return the event name, or {@code ""} for the derived name
     */
    String name() default "";

    /**
     * Also emit an exit event, named {@code <name>_exit}, when the method returns or throws: the return
     * value as field {@code ret}, the duration in nanoseconds as {@code duration_ns} and the exception class
     * name as {@code thrown} (empty on a normal return).
     *
     * @return whether the method also emits {@code <name>_exit}; {@code false} by default
     */
    boolean exit() default false;

    /**
     * Also write the calling Java stack as the event's last field, {@code stack}: innermost frame first (this
     * method), frames written {@code pkg.Class.method:line} and separated by {@code ;}, at most the agent's
     * {@code stackDepth} frames (32 by default), cut like any string field. Taken only while the event is
     * traced; the exit event, if any, carries the stack of the call that returned.
     *
     * @return whether the events of this method carry {@code stack}; {@code false} by default
     */
    boolean stack() default false;

    /**
     * The event's severity with the agent option {@code format=eventheader}, as Microsoft's EventHeader
     * convention defines it: 1 critical, 2 error, 3 warning, 4 information, 5 verbose. The event goes to the
     * shared tracepoint {@code <provider>_L<level>K<keyword>} (level and keyword in lowercase hex); a value
     * outside 1..5 leaves the probe off with one log line. Ignored by the default tracefs format.
     *
     * @return 1 to 5; 5 (verbose) by default
     */
    int level() default 5;

    /**
     * The event's category bits with {@code format=eventheader} (EventHeader's keyword, a 64-bit mask whose
     * bits the application defines): part of the tracepoint name, so a collector enables categories by
     * tracepoint. Ignored by the default tracefs format.
     *
     * @return the keyword; 1 by default
     */
    long keyword() default 1;
}
