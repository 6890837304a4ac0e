package dev.userevents.samples;

/** A class no annotation marks: a probes-file pattern makes its methods on-demand candidates. */
public class OnDemandTarget {
    public static int work(int a, String tag) {
        return a + tag.length();
    }

    public static int idle(int a) {
        return a;
    }
}
