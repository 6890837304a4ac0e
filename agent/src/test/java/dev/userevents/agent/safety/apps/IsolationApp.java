package com.example.safety;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.userevents.Tracepoint;
import java.io.File;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * An application that ships its own Byte Buddy and JNA, older than the agent's (run with
 * byte-buddy-1.14.12.jar and jna-5.13.0.jar on its class path), and uses both: it generates a class and calls
 * libc. Its output must not change under the agent, and its own probes must still emit.
 * <pre>java [-javaagent:...] -cp byte-buddy-1.14.12.jar:jna-5.13.0.jar:... com.example.safety.IsolationApp GREETINGS</pre>
 * Prints what it found and {@code ready}, waits for {@code go}, greets GREETINGS times, prints {@code done}
 * and waits for its input to end.
 */
public final class IsolationApp {
    /** libc through the app's own JNA. */
    public interface CLibrary extends Library {
        int getpid();

        long strlen(String text);
    }

    @Tracepoint(name = "iso_greeting")
    static void greet(int n, String text) {
    }

    public static void main(String[] args) throws Exception {
        int greetings = Integer.parseInt(args[0]);
        Driver.say("byte-buddy: " + jarOf(ByteBuddy.class));
        // Native.VERSION is a compile-time constant: read it at run time, from the JNA actually loaded (the field
        // lives in JNA's package-private interface Version).
        java.lang.reflect.Field version = Native.class.getField("VERSION");
        version.setAccessible(true);
        Driver.say("jna: " + version.get(null) + " from " + jarOf(Native.class));

        Class<?> generated = new ByteBuddy(ClassFileVersion.JAVA_V8)
            .subclass(Object.class)
            .name("com.example.safety.Generated")
            .method(ElementMatchers.named("toString"))
            .intercept(FixedValue.value("made by the app's own Byte Buddy"))
            .make()
            .load(IsolationApp.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
            .getLoaded();
        Driver.say("generated class " + generated.getName() + ": " + generated.getDeclaredConstructor().newInstance());

        CLibrary libc = Native.load("c", CLibrary.class);
        Driver.say("libc through the app's JNA: getpid() is this process: " + (libc.getpid() == ProcessHandle.current().pid())
            + ", strlen(\"isolation\") = " + libc.strlen("isolation"));

        Driver.say("ready");
        Driver.await("go");
        for (int n = 1; n <= greetings; n++) {
            greet(n, "hello " + n);
        }
        Driver.say("greeted " + greetings + " times");
        Driver.say("done");
        Driver.awaitEnd();
    }

    private static String jarOf(Class<?> type) throws Exception {
        return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getName();
    }
}
