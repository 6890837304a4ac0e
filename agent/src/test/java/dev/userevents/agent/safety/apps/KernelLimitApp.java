package com.example.safety;

import dev.userevents.Tracepoint;

/**
 * Eight traced methods, for a kernel whose {@code kernel.user_events_max} leaves room for four: the probes
 * the kernel registers work, the others are left off with a line naming the limit and the fix.
 * <pre>java -javaagent:... com.example.safety.KernelLimitApp</pre>
 */
public final class KernelLimitApp {
    @Tracepoint(name = "fault_limit_1") static void p1(int x) { }
    @Tracepoint(name = "fault_limit_2") static void p2(int x) { }
    @Tracepoint(name = "fault_limit_3") static void p3(int x) { }
    @Tracepoint(name = "fault_limit_4") static void p4(int x) { }
    @Tracepoint(name = "fault_limit_5") static void p5(int x) { }
    @Tracepoint(name = "fault_limit_6") static void p6(int x) { }
    @Tracepoint(name = "fault_limit_7") static void p7(int x) { }
    @Tracepoint(name = "fault_limit_8") static void p8(int x) { }

    public static void main(String[] args) {
        Driver.say("ready");
        Driver.await("go");
        for (int i = 0; i < 3; i++) {
            p1(i);
            p2(i);
            p3(i);
            p4(i);
            p5(i);
            p6(i);
            p7(i);
            p8(i);
        }
        Driver.say("done");
        Driver.awaitEnd();
    }
}
