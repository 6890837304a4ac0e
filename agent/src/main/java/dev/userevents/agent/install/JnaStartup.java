package dev.userevents.agent.install;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Makes our JNA's first use cheap. Left alone, JNA's start-up costs about 40 ms on every JVM start: it copies
 * its native library (libjnidispatch) out of the jar into a fresh temporary file (seeding SecureRandom for
 * the name), and on Linux it runs {@code ldconfig -p} in a child process to learn the library search path.
 *
 * <p>Instead the native library is copied once into the agent's private cache folder (the one the
 * implementation jar is cached in) and named to JNA by {@code jna.boot.library.path}; and
 * {@code jna.platform.library.path} is set to empty, which skips the {@code ldconfig} search: libc, the one
 * library we open, is found by dlopen's own search. Both properties are read once, when our copy of JNA
 * initialises, so they are set only around that and restored at once: the application's own JNA never sees them.
 */
final class JnaStartup {
    static final String BOOT_LIBRARY_PATH = "jna.boot.library.path";
    static final String PLATFORM_LIBRARY_PATH = "jna.platform.library.path";

    private JnaStartup() {
    }

    /**
     * Runs {@code firstUse} (which initialises JNA) with the fast start-up properties, then restores them.
     *
     * @param cacheFolder the launcher's private cache folder, where the native library is kept; null: none, so
     *                    JNA extracts its library as usual
     */
    static <T> T run(@Nullable String cacheFolder, Supplier<T> firstUse) {
        Path libraryFolder = cacheFolder == null ? null : cachedDispatchLibrary(Paths.get(cacheFolder));
        String bootPath = System.getProperty(BOOT_LIBRARY_PATH);
        String platformPath = System.getProperty(PLATFORM_LIBRARY_PATH);
        if (libraryFolder != null && bootPath == null) {
            System.setProperty(BOOT_LIBRARY_PATH, libraryFolder.toString());
        }
        if (platformPath == null) {
            System.setProperty(PLATFORM_LIBRARY_PATH, "");
        }
        try {
            return firstUse.get();
        } finally {
            restore(BOOT_LIBRARY_PATH, bootPath);
            restore(PLATFORM_LIBRARY_PATH, platformPath);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    /**
     * The folder holding our JNA's libjnidispatch, copied there from our jar on first use; named by JNA's
     * native version and platform, so JNA upgrades never meet an old copy. Null when it cannot be had:
     * JNA then unpacks it itself, as it always did.
     */
    static @Nullable Path cachedDispatchLibrary(Path cacheFolder) {
        try {
            String prefix = Platform.RESOURCE_PREFIX;
            String fileName = System.mapLibraryName("jnidispatch");
            Path folder = cacheFolder.resolve("jna-" + Native.VERSION_NATIVE + "-" + prefix);
            Path library = folder.resolve(fileName);
            if (Files.isRegularFile(library, LinkOption.NOFOLLOW_LINKS) && Files.size(library) > 0) {
                return folder;
            }
            try (InputStream in = JnaStartup.class.getClassLoader().getResourceAsStream("com/sun/jna/" + prefix + "/" + fileName)) {
                if (in == null) {
                    return null;
                }
                Files.createDirectories(folder);
                // Written aside and moved into place, so a JVM starting meanwhile never loads half a library.
                Path partial = Files.createTempFile(folder, "jnidispatch-", ".partial");
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, library, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return folder;
        } catch (Exception | LinkageError e) {
            return null;
        }
    }
}
