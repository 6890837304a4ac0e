package dev.userevents.agent.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userevents.agent.registry.ProbeRegistrar;
import dev.userevents.agent.testing.EnableWords;
import dev.userevents.agent.testing.RecordingBackend;
import dev.userevents.agent.weave.ProbesFile;
import dev.userevents.samples.OnDemandBusy;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Threads recursing and throwing through a candidate while the poll weaves and restores it over and over. */
class OnDemandStressTest {
    private static final String TARGET = OnDemandBusy.class.getName();
    private static final Instrumentation INSTRUMENTATION = ByteBuddyAgent.install();

    private final RecordingBackend backend = new RecordingBackend();
    private final ProbeRegistrar registrar = new ProbeRegistrar(backend);
    private final TracepointClassTransformer transformer = new TracepointClassTransformer(
        new ClassFilter(List.of(TARGET), Collections.emptyList()),
        ProbesFile.parse(List.of("dev.userevents.samples.OnDemandBusy#*  exit"), "probes.txt"), registrar, "st_");

    @AfterEach
    void removeTransformer() {
        INSTRUMENTATION.removeTransformer(transformer);
    }

    @Test
    void callersSeeTheSameResultsAndExceptionsWhileTheClassIsWovenAndRestored() throws Exception {
        OnDemandProbes onDemand = new OnDemandProbes(INSTRUMENTATION, registrar, 100, 1, 0);
        transformer.onDemand(onDemand);
        INSTRUMENTATION.addTransformer(transformer, true);
        Class<?> target = new OwnCopyLoader(TARGET).loadClass(TARGET);
        Method depth = target.getMethod("depth", int.class);
        Method fail = target.getMethod("fail", int.class);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong calls = new AtomicLong();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    i++;
                    try {
                        Object d = depth.invoke(null, i % 50);
                        if (!Integer.valueOf(i % 50).equals(d)) {
                            wrong.add("depth(" + (i % 50) + ") = " + d);
                        }
                        try {
                            Object f = fail.invoke(null, i);
                            if (i % 2 == 1 || !Integer.valueOf(i).equals(f)) {
                                wrong.add("fail(" + i + ") = " + f);
                            }
                        } catch (InvocationTargetException e) {
                            if (i % 2 == 0 || !(e.getCause() instanceof IllegalArgumentException)
                                || !("odd " + i).equals(e.getCause().getMessage())) {
                                wrong.add("fail(" + i + ") threw " + e.getCause());
                            }
                        }
                        calls.incrementAndGet();
                    } catch (Throwable e) {
                        wrong.add(String.valueOf(e));
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        int retransformed = 0;
        for (int round = 0; round < 50; round++) {
            long word = backend.enableWord(round % 2 == 0 ? "st_OnDemandBusy_depth" : "st_OnDemandBusy_fail_exit");
            EnableWords.enable(word);
            retransformed += onDemand.poll(System.nanoTime());
            Thread.sleep(1);
            EnableWords.disable(word);
            retransformed += onDemand.poll(System.nanoTime());
        }
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(wrong.isEmpty(), wrong.toString());
        assertEquals(100, retransformed, "woven and restored 50 times");
        assertTrue(calls.get() > 0);
        assertTrue(backend.sink().events().size() > 0, "events while woven");
    }
}
