package com.example.safety;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * Two versions of one class, each in a class loader of its own: {@code com.example.multi.Versioned} from each
 * folder given, whose {@code static void emit(X)} (one parameter, a different type in each) carries
 * {@code @Tracepoint(name = "multi_emit")}. The test writes the two versions.
 * <pre>java -javaagent:...=multiFormat=true com.example.safety.MultiFormatApp DIR1 DIR2</pre>
 * Loads both, prints {@code ready}; on {@code go} calls the first with 7 and the second with "seven", prints
 * {@code done}, waits for its input to end.
 */
public final class MultiFormatApp {
    public static void main(String[] args) throws Exception {
        Method first = emit(args[0]);
        Method second = emit(args[1]);
        Driver.say("ready");
        if (!Driver.await("go")) {
            return;
        }
        first.invoke(null, 7);
        second.invoke(null, "seven");
        Driver.say("done");
        Driver.awaitEnd();
    }

    @SuppressWarnings("resource") // the loader lives as long as the app: its class is in use
    private static Method emit(String folder) throws Exception {
        URLClassLoader loader = new URLClassLoader(new URL[] {new File(folder).toURI().toURL()},
            MultiFormatApp.class.getClassLoader());
        Class<?> versioned = Class.forName("com.example.multi.Versioned", true, loader);
        for (Method method : versioned.getDeclaredMethods()) {
            if (method.getName().equals("emit")) {
                return method;
            }
        }
        throw new IllegalStateException("no emit in " + folder);
    }
}
