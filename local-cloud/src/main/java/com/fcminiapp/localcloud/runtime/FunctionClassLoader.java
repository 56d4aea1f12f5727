package com.fcminiapp.localcloud.runtime;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * One function's class loader, child-first as FC's runtime sees a function jar: JDK classes come from the platform,
 * the FC runtime API ({@code com.aliyun.fc.runtime.*} and the servlet API it ships) from local-cloud so the
 * {@code Context} and servlet objects it passes are the ones the handler expects, everything else from the jar only.
 */
public final class FunctionClassLoader extends URLClassLoader {

    /** Packages that must be shared with local-cloud. */
    static final List<String> SHARED_PREFIXES = List.of("com.aliyun.fc.runtime.", "javax.servlet.");

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final ClassLoader host;

    /**
     * @param jar  the function's code
     * @param host where the shared FC runtime classes come from (local-cloud's own loader)
     */
    public FunctionClassLoader(String functionName, Path jar, ClassLoader host) throws IOException {
        super("fc-" + functionName, new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        this.host = host;
    }

    static boolean isShared(String className) {
        for (String prefix : SHARED_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isShared(name)) {
            return host.loadClass(name);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = getParent().loadClass(name);
                } catch (ClassNotFoundException notInJdk) {
                    c = findClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    /** Whether this loader already defined {@code className} (asking does not load it). */
    boolean hasLoaded(String className) {
        return findLoadedClass(className) != null;
    }

    @Override
    public URL getResource(String name) {
        if (isShared(name.replace('/', '.'))) {
            return host.getResource(name);
        }
        URL own = findResource(name);
        return own != null ? own : getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        Enumeration<URL> own = findResources(name);
        if (own.hasMoreElements()) {
            return own;
        }
        Enumeration<URL> jdk = getParent().getResources(name);
        return jdk == null ? Collections.emptyEnumeration() : jdk;
    }
}
