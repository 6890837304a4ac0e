package dev.userevents.agent.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The implementation jar as a module: the same module the JDK would make of it, without its scan on every start. */
class ImplementationJarModuleTest {
    private static final String CLASS_ENTRY = "dev/userevents/samples/Plain.class";

    @Test
    void packagesAreThoseTheJdkDerives(@TempDir Path folder) throws IOException {
        Path jar = jar(folder, List.of(CLASS_ENTRY, "net/res/data.txt", "com/sun/jna/linux-x86-64/libx.so",
            "META-INF/maven/pom.xml", "top.txt"));

        Set<String> jdk = ModuleFinder.of(jar).find(ImplementationJar.MODULE).orElseThrow().descriptor().packages();

        assertEquals(Set.of("dev.userevents.samples"), jdk);
        assertEquals(jdk, ImplementationJarModule.listPackages(jar));
    }

    @Test
    void classOutsideAnyLegalPackageLeavesTheDecisionToTheJdk(@TempDir Path folder) throws IOException {
        assertNull(ImplementationJarModule.listPackages(jar(folder, List.of("bad-name/Thing.class"))));
    }

    @Test
    void packageListIsWrittenOnceBesideTheJarAndReadBack(@TempDir Path folder) throws IOException {
        Path jar = jar(folder, List.of(CLASS_ENTRY));
        Path list = folder.resolve("impl.jar.packages");

        assertEquals(Set.of("dev.userevents.samples"), ImplementationJarModule.packages(jar));
        assertEquals(List.of("dev.userevents.samples"), Files.readAllLines(list));

        Files.write(list, List.of("only.from.the.list"));
        Files.setLastModifiedTime(list, FileTime.fromMillis(0));
        assertEquals(Set.of("only.from.the.list"), ImplementationJarModule.packages(jar), "the jar is not scanned again");
    }

    @Test
    void moduleLoadsItsClassesAndResources(@TempDir Path folder) throws Exception {
        Path jar = jar(folder, List.of(CLASS_ENTRY, "net/res/data.txt", "com/sun/jna/linux-x86-64/libx.so"));
        ModuleFinder finder = ImplementationJarModule.finder(jar, true);
        assertNotNull(finder);
        Configuration configuration = ModuleLayer.boot().configuration()
            .resolve(finder, ModuleFinder.of(), Collections.singleton(ImplementationJar.MODULE));
        ModuleLayer layer = ModuleLayer.defineModulesWithOneLoader(configuration,
            Collections.singletonList(ModuleLayer.boot()), ClassLoader.getPlatformClassLoader()).layer();
        ClassLoader loader = layer.findLoader(ImplementationJar.MODULE);

        Class<?> loaded = Class.forName("dev.userevents.samples.Plain", false, loader);
        assertEquals(ImplementationJar.MODULE, loaded.getModule().getName());
        try (InputStream in = loader.getResourceAsStream("com/sun/jna/linux-x86-64/libx.so")) {
            assertNotNull(in, "resources outside packages are found, as JNA needs for its native library");
            assertEquals("com/sun/jna/linux-x86-64/libx.so", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertTrue(loader.getResource("com/sun/jna/linux-x86-64/libx.so").toString().startsWith("jar:file:"));
    }

    /** A jar named impl.jar with these entries: real class bytes for the class, its own name for anything else. */
    private static Path jar(Path folder, List<String> entries) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Automatic-Module-Name", ImplementationJar.MODULE);
        Path jar = folder.resolve("impl.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (String entry : entries) {
                out.putNextEntry(new JarEntry(entry));
                if (entry.equals(CLASS_ENTRY)) {
                    try (InputStream in = ImplementationJarModuleTest.class.getClassLoader().getResourceAsStream(entry)) {
                        in.transferTo(out);
                    }
                } else {
                    out.write(entry.getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        return jar;
    }
}
