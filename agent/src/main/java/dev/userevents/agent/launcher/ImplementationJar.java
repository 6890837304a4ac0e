package dev.userevents.agent.launcher;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.jspecify.annotations.Nullable;

/**
 * The agent's implementation (weaving, registration, CLI, Byte Buddy, JNA) is a jar nested in the agent
 * jar, {@value #ENTRY}, loaded apart from the application.
 *
 * <p>It is copied out once per version into a cache folder only this user can write
 * ({@code $TMPDIR/userevents-<uid>/}, mode 0700, checked), named by the entry's CRC and size, and reused by
 * later JVMs: copying 5 MB on every start cost about 90 ms. A folder that is not ours, or not private, is
 * never used; a private temporary file is then used instead.
 *
 * <p>On JDK 22+ the jar becomes the automatic module {@value #MODULE} in a layer of its own, because a named
 * module can be granted native access alone: JNA then loads without the JDK 24+ warning, and the
 * application's unnamed modules get nothing. Older JDKs have no native-access checks, so a plain
 * URLClassLoader serves (it skips the module layer's scan of every entry).
 */
final class ImplementationJar {
    static final String ENTRY = "inst/userevents-impl.jar";
    static final String MODULE = "dev.userevents.impl";

    /**
     * The implementation's class loader and the private cache folder its jar was found in.
     *
     * @param loader      loads the implementation's classes
     * @param cacheFolder {@code $TMPDIR/userevents-<uid>}, where the installer caches JNA's native library too;
     *                    null when there is none (not private, or run from class folders)
     */
    record Loaded(ClassLoader loader, @Nullable Path cacheFolder) {
    }

    private ImplementationJar() {
    }

    /**
     * The loader of the implementation, or the agent's own loader when run from class folders (tests).
     * {@code instrumentation} is null for the CLI, which grants native access through its manifest instead.
     */
    static Loaded loader(ClassLoader parent, @Nullable Instrumentation instrumentation) throws Exception {
        File agentJar = AgentPremain.agentJar();
        if (agentJar == null || !agentJar.isFile()) {
            return new Loaded(AgentPremain.class.getClassLoader(), null);
        }
        Path implementation;
        Path cache = privateCacheFolder();
        try (JarFile jar = new JarFile(agentJar)) {
            JarEntry entry = jar.getJarEntry(ENTRY);
            if (entry == null) {
                return new Loaded(AgentPremain.class.getClassLoader(), null);
            }
            implementation = extract(jar, entry, cache);
        }
        boolean cached = cache != null && cache.equals(implementation.getParent());
        if (Runtime.version().feature() >= 22) {
            return new Loaded(moduleLayerLoader(implementation, cached, parent, instrumentation), cache);
        }
        return new Loaded(new URLClassLoader(new URL[] {implementation.toUri().toURL()}, parent), cache);
    }

    private static Path extract(JarFile jar, JarEntry entry, @Nullable Path cache) throws IOException {
        if (cache != null) {
            Path cached = cache.resolve("impl-" + Long.toHexString(entry.getCrc()) + "-" + entry.getSize() + ".jar");
            if (Files.isRegularFile(cached, LinkOption.NOFOLLOW_LINKS) && Files.size(cached) == entry.getSize()) {
                return cached;
            }
            Path partial = Files.createTempFile(cache, "impl-", ".partial");
            copy(jar, entry, partial);
            return Files.move(partial, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Path copy = Files.createTempFile("userevents-impl-", ".jar");
        copy.toFile().deleteOnExit();
        copy(jar, entry, copy);
        return copy;
    }

    private static void copy(JarFile jar, JarEntry entry, Path target) throws IOException {
        try (InputStream in = jar.getInputStream(entry)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** {@code $TMPDIR/userevents-<uid>}, created 0700; null unless it is a real folder owned by us, private. */
    private static @Nullable Path privateCacheFolder() {
        try {
            Object uid = Files.getAttribute(Paths.get("/proc/self"), "unix:uid");
            Path folder = Paths.get(System.getProperty("java.io.tmpdir"), "userevents-" + uid);
            if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (FileAlreadyExistsException raced) {
                    // another JVM made it: checked below like any other
                }
            }
            boolean ours = Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                && uid.equals(Files.getAttribute(folder, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                && Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS)
                    .equals(PosixFilePermissions.fromString("rwx------"));
            return ours ? folder : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** The jar as a named module in a layer of its own, granted native access (JDK 22+). */
    private static ClassLoader moduleLayerLoader(Path jar, boolean cached, ClassLoader parent,
                                                 @Nullable Instrumentation instrumentation) throws IOException {
        ModuleFinder finder = ImplementationJarModule.finder(jar, cached);
        Configuration configuration = ModuleLayer.boot().configuration().resolve(
            finder != null ? finder : ModuleFinder.of(jar), ModuleFinder.of(), Collections.singleton(MODULE));
        ModuleLayer.Controller controller = ModuleLayer.defineModulesWithOneLoader(configuration,
            Collections.singletonList(ModuleLayer.boot()), parent);
        Module module = controller.layer().findModule(MODULE).orElseThrow();
        try {
            if (instrumentation != null) {
                // Controller.enableNativeAccess is itself a restricted method, which would warn when called
                // from this unnamed module; the JDK's own internal grant does not.
                instrumentation.redefineModule(Object.class.getModule(), Collections.emptySet(), Collections.emptyMap(),
                    Collections.singletonMap("java.lang", Collections.singleton(ImplementationJar.class.getModule())),
                    Collections.emptySet(), Collections.emptyMap());
                Method grant = Module.class.getDeclaredMethod("implAddEnableNativeAccess");
                grant.setAccessible(true);
                grant.invoke(module);
            } else {
                // The CLI: the jar's manifest (Enable-Native-Access: ALL-UNNAMED) lets this class grant it.
                ModuleLayer.Controller.class.getMethod("enableNativeAccess", Module.class).invoke(controller, module);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("[userevents] WARN could not grant native access to " + MODULE + " (" + e
                + "); the JDK may print a native-access warning for JNA");
        }
        return controller.layer().findLoader(MODULE);
    }
}
