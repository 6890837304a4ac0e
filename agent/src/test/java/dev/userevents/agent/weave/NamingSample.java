package dev.userevents.agent.weave;

import dev.userevents.Tracepoint;

/** Parameter names that are not valid field names as they stand. Compiled with -parameters. */
public class NamingSample {
    @Tracepoint
    public static void dollars(int a$b, int a_b, String $x) {
    }

    @Tracepoint(name = "not-an-identifier")
    public static void badName(int x) {
    }

    @Tracepoint(name = "shared")
    public static void first(int x) {
    }

    @Tracepoint(name = "shared")
    public static void second(long x) {
    }

    @Tracepoint
    public static int[] arrays(int[] values, String[][] grid) {
        return values;
    }
}
