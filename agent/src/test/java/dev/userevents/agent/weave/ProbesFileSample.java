package dev.userevents.agent.weave;

/** Code without annotations, traced through a probes file. Compiled with -parameters. */
public class ProbesFileSample {
    public static int total(int a) {
        return a;
    }

    public static int total(int a, int b) {
        return a + b;
    }

    public static void apply(String code, int[] amounts) {
    }
}
