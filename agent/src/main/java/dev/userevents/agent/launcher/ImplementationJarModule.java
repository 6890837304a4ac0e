package dev.userevents.agent.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The implementation jar as the automatic module {@value ImplementationJar#MODULE}, found without
 * {@code ModuleFinder.of(jar)}: that derives the module's packages by scanning all of the jar's 3,000-odd
 * entries on every start (about 100 ms on a cold JVM). Here they are listed once, when the jar is first
 * cached, into {@code <jar>.packages} beside it, and read back from there; the module it describes is the
 * one the JDK would make (same name, same packages, no services: the jar has none).
 */
final class ImplementationJarModule {
    private ImplementationJarModule() {
    }

    /**
     * A finder of the one module, or null when the jar holds a name no package may have (the JDK then decides).
     * {@code cached}: the jar lies in the private cache folder, where its package list may be kept too.
     */
    static @Nullable ModuleFinder finder(Path jar, boolean cached) throws IOException {
        Set<String> packages = cached ? packages(jar) : listPackages(jar);
        if (packages == null) {
            return null;
        }
        ModuleDescriptor descriptor = ModuleDescriptor.newAutomaticModule(ImplementationJar.MODULE).packages(packages).build();
        ModuleReference reference = new ModuleReference(descriptor, jar.toUri()) {
            @Override
            public ModuleReader open() throws IOException {
                return new JarReader(new JarFile(jar.toFile()), jar.toUri());
            }
        };
        return new ModuleFinder() {
            @Override
            public Optional<ModuleReference> find(String name) {
                return name.equals(ImplementationJar.MODULE) ? Optional.of(reference) : Optional.empty();
            }

            @Override
            public Set<ModuleReference> findAll() {
                return Set.of(reference);
            }
        };
    }

    /** The packages, from {@code <jar>.packages}, else listed from the jar and written there; null as listPackages. */
    static @Nullable Set<String> packages(Path jar) throws IOException {
        Path list = jar.resolveSibling(jar.getFileName() + ".packages");
        if (Files.isRegularFile(list, LinkOption.NOFOLLOW_LINKS)) {
            List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
            if (!lines.isEmpty()) {
                return new TreeSet<>(lines);
            }
        }
        Set<String> packages = listPackages(jar);
        if (packages != null) {
            // Written aside and moved into place, so a JVM starting meanwhile never reads half a list.
            Path partial = Files.createTempFile(jar.getParent(), "packages-", ".partial");
            Files.write(partial, packages, StandardCharsets.UTF_8);
            Files.move(partial, list, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return packages;
    }

    /**
     * As the JDK derives an automatic module's packages: the folder of every class file (resources alone make
     * no package). Null when a class file lies in a folder that is no legal package name, or at the root.
     */
    static @Nullable Set<String> listPackages(Path jar) throws IOException {
        Set<String> packages = new TreeSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || name.startsWith("META-INF/") || !name.endsWith(".class")
                        || name.equals("module-info.class")) {
                    continue;
                }
                int slash = name.lastIndexOf('/');
                String packageName = slash < 0 ? "" : name.substring(0, slash).replace('/', '.');
                if (!isPackageName(packageName)) {
                    return null;
                }
                packages.add(packageName);
            }
        }
        return packages;
    }

    private static boolean isPackageName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (String part : name.split("\\.", -1)) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0))) {
                return false;
            }
            for (int i = 1; i < part.length(); i++) {
                if (!Character.isJavaIdentifierPart(part.charAt(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Reads the module's classes and resources straight from the jar. */
    private static final class JarReader implements ModuleReader {
        private final JarFile jar;
        private final String uriPrefix;

        JarReader(JarFile jar, URI location) {
            this.jar = jar;
            this.uriPrefix = "jar:" + location + "!/";
        }

        @Override
        public Optional<URI> find(String name) {
            JarEntry entry = jar.getJarEntry(name);
            return entry == null ? Optional.empty() : Optional.of(URI.create(uriPrefix + entry.getName()));
        }

        @Override
        public Optional<InputStream> open(String name) throws IOException {
            JarEntry entry = jar.getJarEntry(name);
            return entry == null ? Optional.empty() : Optional.of(jar.getInputStream(entry));
        }

        @Override
        public Stream<String> list() {
            return jar.stream().map(JarEntry::getName);
        }

        @Override
        public void close() {
            try {
                jar.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
