package dev.userevents.agent.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.jna.Platform;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JNA's native library is copied once into the cache folder; the JNA properties never outlive the first use. */
class JnaStartupTest {

    @Test
    void copiesTheDispatchLibraryOnceAndReusesIt(@TempDir Path cache) throws Exception {
        Path folder = JnaStartup.cachedDispatchLibrary(cache);
        assertNotNull(folder);
        Path library = folder.resolve(System.mapLibraryName("jnidispatch"));
        try (InputStream in = JnaStartup.class.getClassLoader()
                .getResourceAsStream("com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("jnidispatch"))) {
            assertArrayEquals(in.readAllBytes(), Files.readAllBytes(library));
        }
        FileTime written = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(library, written);
        assertEquals(folder, JnaStartup.cachedDispatchLibrary(cache));
        assertEquals(written, Files.getLastModifiedTime(library), "the cached copy is reused, not written again");
    }

    @Test
    void setsThePropertiesOnlyDuringTheFirstUse(@TempDir Path cache) {
        String[] seen = JnaStartup.run(cache.toString(), () -> new String[] {
            System.getProperty(JnaStartup.BOOT_LIBRARY_PATH), System.getProperty(JnaStartup.PLATFORM_LIBRARY_PATH)});
        assertEquals(JnaStartup.cachedDispatchLibrary(cache).toString(), seen[0]);
        assertEquals("", seen[1]);
        assertNull(System.getProperty(JnaStartup.BOOT_LIBRARY_PATH));
        assertNull(System.getProperty(JnaStartup.PLATFORM_LIBRARY_PATH));
    }

    @Test
    void leavesTheUsersOwnSettingsAlone() {
        System.setProperty(JnaStartup.PLATFORM_LIBRARY_PATH, "/opt/libs");
        try {
            String seen = JnaStartup.run(null, () -> System.getProperty(JnaStartup.PLATFORM_LIBRARY_PATH));
            assertEquals("/opt/libs", seen);
            assertEquals("/opt/libs", System.getProperty(JnaStartup.PLATFORM_LIBRARY_PATH));
        } finally {
            System.clearProperty(JnaStartup.PLATFORM_LIBRARY_PATH);
        }
    }
}
