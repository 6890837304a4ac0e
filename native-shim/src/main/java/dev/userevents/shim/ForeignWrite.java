package dev.userevents.shim;

import dev.userevents.shim.hotpath.DowncallEventSink;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Array;
import java.util.Optional;

/**
 * Links libc {@code pwrite()} at offset 0 through the Foreign Function and Memory API (final in JDK 22) for
 * {@link DowncallEventSink}. Written with reflection so the module still compiles for JDK 17.
 *
 * <p>{@code pwrite}, not {@code write}: {@code user_events_data} is a regular file, and the kernel takes a
 * regular file's position lock ({@code fdget_pos()}, {@code f_pos_lock}) on every {@code write()} from a
 * process whose descriptor table is shared by several threads, as a JVM's is, so writers from two threads
 * would take turns. {@code pwrite()} never touches the position; {@code user_events_write()} accepts offset 0
 * only, which is what the probe passes (as the JDK 17 sink, the JDK's own {@code pwrite0}, does).
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
     * A handle of {@link DowncallEventSink#WRITE_TYPE} on libc {@code pwrite()} at offset 0, or an exception
     * saying why this JDK cannot make one (older than 22, or native access refused).
     *
     * @param critical link with {@code Linker.Option.critical(false)} (for SinkBenchmark only)
     * @return {@code (int fd, long address, long count) -> long} as C's {@code ssize_t pwrite(int, const void *,
     *     size_t, 0)}: bytes written, or -1 with errno set
     * @throws UnsupportedOperationException if this JDK is older than 22
     * @throws NoSuchMethodException if libc exports no {@code pwrite}
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
        Optional<?> write = (Optional<?>) symbolLookupClass.getMethod("find", String.class).invoke(libc, "pwrite");
        if (write.isEmpty()) {
            throw new NoSuchMethodException("libc has no pwrite symbol");
        }
        // ssize_t pwrite(int, const void *, size_t, off_t): the pointer goes as a 64-bit integer (the same
        // register in the x86-64 and AArch64 calling conventions), so the probe passes a plain address and no
        // MemorySegment; off_t is 64 bits on both.
        Object javaInt = valueLayoutClass.getField("JAVA_INT").get(null);
        Object javaLong = valueLayoutClass.getField("JAVA_LONG").get(null);
        Object arguments = Array.newInstance(layoutClass, 4);
        Array.set(arguments, 0, javaInt);
        Array.set(arguments, 1, javaLong);
        Array.set(arguments, 2, javaLong);
        Array.set(arguments, 3, javaLong);
        Object descriptor = descriptorClass.getMethod("of", layoutClass, arguments.getClass())
            .invoke(null, javaLong, arguments);
        Object options = Array.newInstance(optionClass, critical ? 1 : 0);
        if (critical) {
            Array.set(options, 0, optionClass.getMethod("critical", boolean.class).invoke(null, false));
        }
        MethodHandle handle = (MethodHandle) linkerClass
            .getMethod("downcallHandle", segmentClass, descriptorClass, options.getClass())
            .invoke(linker, write.get(), descriptor, options);
        return MethodHandles.insertArguments(handle, 3, 0L).asType(DowncallEventSink.WRITE_TYPE);
    }
}
