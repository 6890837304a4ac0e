package dev.userevents.agent.install;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Defines its own copy of one class (from the test class path), so a test loads it fresh, with its transformers
 * in place; every other class comes from the parent.
 */
final class OwnCopyLoader extends ClassLoader {
    private final String target;

    /** A loader whose own copy is {@code target} (binary name); the test class loader is the parent. */
    OwnCopyLoader(String target) {
        super(OwnCopyLoader.class.getClassLoader());
        this.target = target;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.equals(target)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded != null) {
                return loaded;
            }
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                byte[] bytes = Objects.requireNonNull(in, name).readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }
}
