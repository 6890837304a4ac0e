package dev.userevents.benchmarks;

import dev.userevents.Tracepoint;
import dev.userevents.shim.hotpath.NativeWords;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openjdk.jmh.annotations.CompilerControl;

/**
 * The application code every benchmark calls: one small method, {@code id * 31 + cents + customer.length()},
 * traced in each of the ways the benchmarks compare. Each variant has the same three arguments and the same
 * body; only the tracing guard differs. The benchmarks call them as an application would, so the JIT
 * inlines them as it would in an application.
 */
public final class Orders {
    /** The event name of {@link #place}: benchmarks enable {@code events/user_events/bench_order}. */
    public static final String EVENT = "bench_order";

    private static final Logger LOG = Logger.getLogger(Orders.class.getName());

    /** The floor's enable word: native memory nothing ever sets, read like the woven check reads its own. */
    private static final ByteBuffer FLOOR_WORD_MEMORY = ByteBuffer.allocateDirect(8);
    private static final long FLOOR_WORD = NativeWords.addressOf(FLOOR_WORD_MEMORY);

    /** Where the floor's emit stores its result: a volatile store the JIT cannot drop, so the emit is real work. */
    @SuppressWarnings("UnusedVariable") // never read, on purpose: the suggested removal would change the floor
    private static volatile long floorSink;

    private Orders() {
    }

    /**
     * The traced method. Without the agent (or with the agent but without user_events) this is the plain
     * method; under the agent its entry checks the probe's enable word (see the agent's EntryProbeWeaver).
     *
     * @param id the order id
     * @param cents the amount in cents
     * @param customer the customer
     * @return {@code id * 31 + cents + customer.length()}
     */
    @Tracepoint(name = EVENT)
    public static long place(int id, long cents, String customer) {
        return id * 31L + cents + customer.length();
    }

    /**
     * {@link #place} without an annotation: an on-demand candidate, named by a probes-file line
     * ({@code benchmarks/ondemand-probes.txt}). Its bytecode stays as written until a tracer enables its event
     * {@code Orders_placeCandidate}; then the agent weaves it as it weaves {@link #place}.
     *
     * @param id the order id
     * @param cents the amount in cents
     * @param customer the customer
     * @return {@code id * 31 + cents + customer.length()}
     */
    public static long placeCandidate(int id, long cents, String customer) {
        return id * 31L + cents + customer.length();
    }

    /**
     * {@link #place} whose event ends with the calling stack ({@code @Tracepoint(stack = true)}): under JMH about
     * a dozen frames deep, cut to the agent's {@code stackDepth}.
     *
     * @param id the order id
     * @param cents the amount in cents
     * @param customer the customer
     * @return {@code id * 31 + cents + customer.length()}
     */
    @Tracepoint(name = EVENT + "_stack", stack = true)
    public static long placeWithStack(int id, long cents, String customer) {
        return id * 31L + cents + customer.length();
    }

    /**
     * {@link #place} with an exit event as well: under the agent its entry also reads the exit event's enable
     * word (and takes no time stamp when it is off), and each return calls the runtime's exit method, which
     * returns at once (see the agent's ExitProbeWeaver).
     *
     * @param id the order id
     * @param cents the amount in cents
     * @param customer the customer
     * @return {@code id * 31 + cents + customer.length()}
     */
    @Tracepoint(name = EVENT + "_timed", exit = true)
    public static long placeTimed(int id, long cents, String customer) {
        return id * 31L + cents + customer.length();
    }

    /**
     * {@link #place} when the JIT does not inline it: the enable check then runs inside a real call.
     *
     * @param id the order id
     * @param cents the amount in cents
     * @param customer the customer
     * @return {@code id * 31 + cents + customer.length()}
     */
    @Tracepoint(name = EVENT + "_out_of_line")
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public static long placeOutOfLine(int id, long cents, String customer) {
        return id * 31L + cents + customer.length();
    }

    /**
     * The floor: what the woven check is, written by hand. A load of a zero native word and a branch.
     *
     * @param id the order id
     * @param cents the amount in cents
     * @param customer the customer
     * @return {@code id * 31 + cents + customer.length()}
     */
    public static long placeFloor(int id, long cents, String customer) {
        if (NativeWords.loInt(FLOOR_WORD) != 0) {
            emitFloor(id, cents, customer);
        }
        return id * 31L + cents + customer.length();
    }

    /**
     * A JFR event guarded the way the JFR documentation shows.
     *
     * @param id the order id
     * @param cents the amount in cents
     * @param customer the customer
     * @return {@code id * 31 + cents + customer.length()}
     */
    public static long placeJfr(int id, long cents, String customer) {
        OrderEvent event = new OrderEvent();
        if (event.shouldCommit()) {
            event.id = id;
            event.cents = cents;
            event.customer = customer;
            event.commit();
        }
        return id * 31L + cents + customer.length();
    }

    /**
     * A java.util.logging call at a level the logger does not log (FINE under the default INFO).
     *
     * @param id the order id
     * @param cents the amount in cents
     * @param customer the customer
     * @return {@code id * 31 + cents + customer.length()}
     */
    public static long placeLogged(int id, long cents, String customer) {
        LOG.log(Level.FINE, "order {0} {1} {2}", new Object[] {id, cents, customer});
        return id * 31L + cents + customer.length();
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private static void emitFloor(int id, long cents, String customer) {
        floorSink = id + cents + customer.length();
    }
}
