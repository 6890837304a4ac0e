package com.example.safety;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the agent's per-call runtime knows about this process's probes, read by reflection from the
 * bootstrap class loader where the agent defines it (the app does not link against the agent; without an
 * agent there is nothing to read). For numbers the apps print: events written, writes that found no
 * tracer, enable words, buffers.
 */
final class AgentProbes {
    private static final String RUNTIME = "dev.userevents.agent.runtime.ProbeRuntime";
    private static final String WORDS = "dev.userevents.shim.hotpath.NativeWords";

    private AgentProbes() {
    }

    static boolean present() {
        try {
            Class.forName(RUNTIME, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Probe objects by event name. */
    static Map<String, Object> byEventName() {
        Map<String, Object> probes = new LinkedHashMap<>();
        if (!present()) {
            return probes;
        }
        try {
            Method probe = Class.forName(RUNTIME, true, null).getMethod("probe", int.class);
            for (int id = 0; id < 1024; id++) {
                Object found = probe.invoke(null, id);
                if (found != null) {
                    probes.put((String) call(found, "eventName"), found);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return probes;
    }

    static long written(String event) {
        return (Long) call(require(event), "written");
    }

    static long raced(String event) {
        return (Long) call(require(event), "raced");
    }

    static long enableWordAddress(String event) {
        return (Long) call(require(event), "enableWordAddress");
    }

    /** The enable word as the probe reads it (an opaque load): non-zero while a tracer listens. */
    static int enableWord(long address) {
        try {
            return (Integer) Class.forName(WORDS, true, null).getMethod("loInt", long.class).invoke(null, address);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The event buffers all threads share: {@code ProbeRuntime.bufferCount()}, 4 KiB each. */
    static int bufferCount() {
        try {
            return (Integer) Class.forName(RUNTIME, true, null).getMethod("bufferCount").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object require(String event) {
        Object probe = byEventName().get(event);
        if (probe == null) {
            throw new IllegalStateException("no probe for event " + event + "; probes: " + byEventName().keySet());
        }
        return probe;
    }

    private static Object call(Object target, String method) {
        try {
            return target.getClass().getMethod(method).invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
