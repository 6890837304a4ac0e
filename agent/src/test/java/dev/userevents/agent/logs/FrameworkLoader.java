package dev.userevents.agent.logs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * A class loader over the real framework jars (agent/target/isolation-libs, from Maven Central) that weaves
 * the bridged logger class with {@link LogBridgeTransformer} as it defines it, as the JVM's class-load
 * hook would. Everything else, the agent's runtime included, comes from the test's own loader.
 */
final class FrameworkLoader extends URLClassLoader {
    private static final Path LIBS = Paths.get("target/isolation-libs");
    private final LogBridgeTransformer transformer;
    private final List<String> packages;

    FrameworkLoader(LogBridgeTransformer transformer, List<String> packages, String... jars) {
        super(urls(jars), FrameworkLoader.class.getClassLoader());
        this.transformer = transformer;
        this.packages = packages;
    }

    private static URL[] urls(String... jars) {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            Path jar = LIBS.resolve(jars[i]);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar.toAbsolutePath() + " is missing: mvn process-test-resources copies it");
            }
            try {
                urls[i] = jar.toUri().toURL();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return urls;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (packages.stream().noneMatch(name::startsWith)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = define(name);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    private Class<?> define(String name) throws ClassNotFoundException {
        String resource = name.replace('.', '/') + ".class";
        try (InputStream in = getResourceAsStream(resource)) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            byte[] woven = transformer.transform(this, name.replace('.', '/'), null, null, bytes);
            byte[] defined = woven != null ? woven : bytes;
            return defineClass(name, defined, 0, defined.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }
}
