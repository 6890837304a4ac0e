package dev.userevents.shim;

import dev.userevents.shim.hotpath.DowncallEventSink;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.util.Optional;

/**
 * Links libc {@code write()} through the Foreign Function and Memory API (final in JDK 22) for
 * {@link DowncallEventSink}. Written with reflection so the module still compiles for JDK 17.
 *
 * <p>{@code Linker.downcallHandle} is a restricted method: the module calling it needs native access,
 * which the agent grants its own module on JDK 22+, so the handle is made here and not in the bootstrap
 * classes (whose unnamed module would make the JDK print a warning).
 *
 * <p>The agent links it without {@code Linker.Option.critical}: a critical call keeps the thread in Java
 * state, so a safepoint (every GC) waits for the system call, and it saved nothing measurable on a 37-byte
 * write to /dev/null (SinkBenchmark: 277.6 ns against 276.6 ns, JDK 25). {@code critical = true} stays for
 * that benchmark.
 */
public final class ForeignWrite {
    private ForeignWrite() {
    }

    /**
     * A handle of {@link DowncallEventSink#WRITE_TYPE} on libc {@code write()}, or an exception saying why
     * this JDK cannot make one (older than 22, or native access refused).
     *
     * @param critical link with {@code Linker.Option.critical(false)} (for SinkBenchmark only)
     * @return {@code (int fd, long address, long count) -> long} as C's {@code ssize_t write(int, const void *,
     *     size_t)}: bytes written, or -1 with errno set
     * @throws UnsupportedOperationException if this JDK is older than 22
     * @throws NoSuchMethodException if libc exports no {@code write}
     * @throws ReflectiveOperationException if the Foreign Function and Memory API is missing, or refuses the
     *     call (an {@link java.lang.reflect.InvocationTargetException} wrapping the JDK's exception, such as
     *     {@code IllegalCallerException} when native access is denied)
     */
    public static MethodHandle linkWrite(boolean critical) throws ReflectiveOperationException {
        if (Runtime.version().feature() < 22) {
            throw new UnsupportedOperationException("the Foreign Function and Memory API needs JDK 22 or later");
        }
        Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
        Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
        Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> valueLayoutClass = Class.forName("java.lang.foreign.ValueLayout");
        Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> symbolLookupClass = Class.forName("java.lang.foreign.SymbolLookup");

        Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
        Object libc = linkerClass.getMethod("defaultLookup").invoke(linker);
        Optional<?> write = (Optional<?>) symbolLookupClass.getMethod("find", String.class).invoke(libc, "write");
        if (write.isEmpty()) {
            throw new NoSuchMethodException("libc has no write symbol");
        }
        // ssize_t write(int, const void *, size_t): the pointer goes as a 64-bit integer (the same register in
        // the x86-64 and AArch64 calling conventions), so the probe passes a plain address and no MemorySegment.
        Object javaInt = valueLayoutClass.getField("JAVA_INT").get(null);
        Object javaLong = valueLayoutClass.getField("JAVA_LONG").get(null);
        Object arguments = Array.newInstance(layoutClass, 3);
        Array.set(arguments, 0, javaInt);
        Array.set(arguments, 1, javaLong);
        Array.set(arguments, 2, javaLong);
        Object descriptor = descriptorClass.getMethod("of", layoutClass, arguments.getClass())
            .invoke(null, javaLong, arguments);
        Object options = Array.newInstance(optionClass, critical ? 1 : 0);
        if (critical) {
            Array.set(options, 0, optionClass.getMethod("critical", boolean.class).invoke(null, false));
        }
        MethodHandle handle = (MethodHandle) linkerClass
            .getMethod("downcallHandle", segmentClass, descriptorClass, options.getClass())
            .invoke(linker, write.get(), descriptor, options);
        return handle.asType(DowncallEventSink.WRITE_TYPE);
    }
}
