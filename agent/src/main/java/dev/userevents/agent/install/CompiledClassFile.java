package dev.userevents.agent.install;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import org.jspecify.annotations.Nullable;

/**
 * The class file as compiled, read from the class path. On retransformation HotSpot hands over class bytes
 * it rebuilt from its own structures, and JDK 17 leaves the MethodParameters attribute out of them
 * ({@code jvmtiClassFileReconstituter.cpp}): fields would be named arg0, arg1... The class file on the class
 * path still has the names; the weaving itself is applied to the bytes the JVM handed over.
 */
final class CompiledClassFile {
    private CompiledClassFile() {
    }

    /** The compiled class file of {@code className} in {@code loader} (null: the boot loader), else {@code fallback}. */
    static byte[] readOr(@Nullable ClassLoader loader, String className, byte[] fallback) {
        String resource = className.replace('.', '/') + ".class";
        try (InputStream in = (loader != null ? loader : BootResources.LOADER).getResourceAsStream(resource)) {
            return in == null ? fallback : in.readAllBytes();
        } catch (Exception e) {
            return fallback; // no class file to read: the names the JVM kept will do
        }
    }

    /** A loader that finds only the boot loader's resources (its parent is the boot loader), made on first use. */
    private static final class BootResources {
        static final ClassLoader LOADER = new URLClassLoader(new URL[0], null);
    }
}
