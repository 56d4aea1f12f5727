package com.fcminiapp.localcloud.runtime;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.HttpRequestHandler;
import com.aliyun.fc.runtime.StreamRequestHandler;
import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;
import com.fcminiapp.localcloud.template.FunctionSpec;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One function and its warm instance: the jar's build in its own {@link FunctionClassLoader}, the handler built once
 * (with the function's environment when it has a public {@code (Map<String,String>)} constructor), the initializer
 * run once before the first invocation (again on the next one if it failed), and then every invocation served on
 * that instance, concurrently. When the jar is rebuilt, the next invocation starts a new instance on the new build
 * (new loader, handler, initializer), as FC does after a deploy; invocations already running finish on the old one.
 */
public final class FunctionHost implements AutoCloseable {

    /** What a function invocation produced: its output, or the error FC reports for an unhandled throw. */
    public static final class Outcome {
        public final byte[] output;
        /** {@code UnhandledInvocationError} / {@code UnhandledInitializationError}, or null on success. */
        public final String errorType;
        public final String errorClass;
        public final String errorMessage;

        private Outcome(byte[] output, String errorType, String errorClass, String errorMessage) {
            this.output = output;
            this.errorType = errorType;
            this.errorClass = errorClass;
            this.errorMessage = errorMessage;
        }

        static Outcome ok(byte[] output) {
            return new Outcome(output, null, null, null);
        }

        static Outcome error(String type, Throwable t) {
            return new Outcome(new byte[0], type, t.getClass().getSimpleName(),
                    t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
    }

    /** What {@code GET /_admin/functions} shows of a function: its jar and the build its instance runs. */
    public static final class Status {
        public final Path jar;
        /** Null until an instance was loaded. */
        public final JarBuild build;
        public final Instant loadedAt;
        public final boolean initialized;

        Status(Path jar, FunctionInstance instance) {
            this.jar = jar;
            this.build = instance == null ? null : instance.build;
            this.loadedAt = instance == null ? null : instance.loadedAt;
            this.initialized = instance != null && instance.initialized();
        }
    }

    private final FunctionSpec spec;
    private final Map<String, String> environment;
    private final ClassLoader hostLoader;
    private final Path snapshots;
    private final boolean ownSnapshots;
    private final PrintStream console;
    private final Supplier<Context> lifecycleContexts;
    private final Object reloadLock = new Object();
    private volatile FunctionInstance current;
    /** The jar's stamp when last examined: a new build is looked for only when it differs. */
    private volatile JarBuild.Stamp examined;

    /**
     * A function whose builds are copied under a temporary folder, with no console notices (tests).
     *
     * @param environment the environment the function gets (the template's, with local-cloud's overrides)
     */
    public FunctionHost(FunctionSpec spec, Map<String, String> environment, ClassLoader hostLoader) throws IOException {
        this(spec, environment, hostLoader, Files.createTempDirectory("local-cloud-" + spec.name()), true,
                new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8), null);
    }

    /**
     * A function whose PreStop gets a context without an execution key (tests).
     *
     * @param snapshots   where each loaded build's private copy is kept while an instance runs it
     * @param console     where a reload, a jar that cannot be loaded yet, or a failed PreStop is reported
     */
    public FunctionHost(FunctionSpec spec, Map<String, String> environment, ClassLoader hostLoader, Path snapshots,
                        PrintStream console) {
        this(spec, environment, hostLoader, snapshots, false, console, null);
    }

    /**
     * @param lifecycleContexts makes the context of a call FC makes on its own, outside any request (PreStop)
     */
    public FunctionHost(FunctionSpec spec, Map<String, String> environment, ClassLoader hostLoader, Path snapshots,
                        PrintStream console, Supplier<Context> lifecycleContexts) {
        this(spec, environment, hostLoader, snapshots, false, console, lifecycleContexts);
    }

    private FunctionHost(FunctionSpec spec, Map<String, String> environment, ClassLoader hostLoader, Path snapshots,
                         boolean ownSnapshots, PrintStream console, Supplier<Context> lifecycleContexts) {
        this.spec = spec;
        this.environment = Map.copyOf(environment);
        this.hostLoader = hostLoader;
        this.snapshots = snapshots;
        this.ownSnapshots = ownSnapshots;
        this.console = console;
        this.lifecycleContexts = lifecycleContexts != null ? lifecycleContexts
                : () -> new LocalContext(UUID.randomUUID().toString(), new Credential(), spec, null, "LATEST", console);
    }

    public FunctionSpec spec() {
        return spec;
    }

    public Map<String, String> environment() {
        return environment;
    }

    /** Whether there is code to run: the jar exists, or a build of it is loaded (e.g. during a clean rebuild). */
    public boolean codeAvailable() {
        return current != null || Files.isRegularFile(spec.codeUri());
    }

    /** The jar and the build its current instance runs. */
    public Status status() {
        return new Status(spec.codeUri(), current);
    }

    /** Runs the initializer of the current build unless it already succeeded (local-cloud warms functions up). */
    public void initialize(Context context) throws Exception {
        FunctionInstance instance = lease();
        try {
            instance.initialize(context);
        } finally {
            instance.exit();
        }
    }

    /** An event invocation of a {@link StreamRequestHandler}. */
    public Outcome invoke(byte[] event, Context context) {
        FunctionInstance instance;
        try {
            instance = lease();
        } catch (IOException e) {
            return Outcome.error("UnhandledInitializationError", e);
        }
        try {
            try {
                instance.initialize(context);
            } catch (Throwable t) {
                return Outcome.error("UnhandledInitializationError", unwrap(t));
            }
            Object h = instance.handler();
            if (!(h instanceof StreamRequestHandler)) {
                throw new IllegalStateException(spec.handler() + " is not a StreamRequestHandler");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            instance.withLoader(() -> {
                ((StreamRequestHandler) h).handleRequest(new ByteArrayInputStream(event), out, context);
                return null;
            });
            return Outcome.ok(out.toByteArray());
        } catch (Throwable t) {
            return Outcome.error("UnhandledInvocationError", unwrap(t));
        } finally {
            instance.exit();
        }
    }

    /** An HTTP trigger request for an {@link HttpRequestHandler}; errors are thrown for the caller to answer. */
    public void serveHttp(HttpServletRequest request, HttpServletResponse response, Context context) throws Exception {
        FunctionInstance instance = lease();
        try {
            instance.initialize(context);
            Object h = instance.handler();
            if (!(h instanceof HttpRequestHandler)) {
                throw new IllegalStateException(spec.handler() + " is not an HttpRequestHandler");
            }
            instance.withLoader(() -> {
                ((HttpRequestHandler) h).handleRequest(request, response, context);
                return null;
            });
        } finally {
            instance.exit();
        }
    }

    /** A lease on the instance of the jar's current build, for one invocation. */
    private FunctionInstance lease() throws IOException {
        while (true) {
            FunctionInstance instance = instance();
            if (instance.enter()) {
                return instance;
            }
            // retired between the two steps by a newer build: take that one
        }
    }

    /**
     * The instance to serve with: the current one while the jar's size and modification time stay as last seen
     * (one stat per invocation); else the jar is copied and hashed once, and a new build gets a new instance. A jar
     * that is not complete yet (being written) or broken leaves the current instance serving; it is looked at again
     * once its stamp changes.
     */
    private FunctionInstance instance() throws IOException {
        Optional<JarBuild.Stamp> now = JarBuild.Stamp.of(spec.codeUri());
        FunctionInstance serving = current;
        if (serving != null && (now.isEmpty() || now.get().equals(examined))) {
            return serving;
        }
        synchronized (reloadLock) {
            serving = current;
            if (serving != null && (now.isEmpty() || now.get().equals(examined))) {
                return serving;
            }
            if (now.isEmpty()) {
                throw new IOException("code of function " + spec.name() + " not found at " + spec.codeUri());
            }
            examined = now.get();
            Optional<JarBuild> build = JarBuild.snapshot(spec.codeUri(), now.get(), snapshots, spec.name(),
                    classFiles());
            if (build.isEmpty()) {
                return unchanged(serving);
            }
            if (serving != null && build.get().sha256.equals(serving.build.sha256)) {
                build.get().deleteCopy();
                return serving;
            }
            FunctionInstance next = new FunctionInstance(spec, environment, build.get(), hostLoader,
                    lifecycleContexts, console);
            current = next;
            if (serving != null) {
                console.println("function " + spec.name() + " reloaded: build " + build.get().shortSha() + " (was "
                        + serving.build.shortSha() + "); the next call runs its initializer");
                serving.retire();
            }
            return next;
        }
    }

    private FunctionInstance unchanged(FunctionInstance serving) throws IOException {
        String why = spec.codeUri() + " is not a complete jar holding " + spec.handlerClass()
                + " (still being written?)";
        if (serving == null) {
            throw new IOException("function " + spec.name() + " cannot load: " + why);
        }
        console.println("function " + spec.name() + " keeps build " + serving.build.shortSha() + ": " + why);
        return serving;
    }

    /** The classes a build must hold to be loaded: the handler's and the initializer's. */
    private List<String> classFiles() {
        List<String> files = new ArrayList<>();
        files.add(spec.handlerClass().replace('.', '/') + ".class");
        spec.initializerClass().ifPresent(c -> files.add(c.replace('.', '/') + ".class"));
        return files;
    }

    interface Call {
        Object run() throws Exception;
    }

    static Throwable unwrap(Throwable t) {
        Throwable out = t;
        while (out instanceof InvocationTargetException && out.getCause() != null) {
            out = out.getCause();
        }
        return out;
    }

    /**
     * Closes the current instance: runs its PreStop, stops the threads its function left running, closes its loader.
     */
    @Override
    public void close() throws IOException {
        synchronized (reloadLock) {
            if (current != null) {
                current.close();
            }
            if (ownSnapshots) {
                try (Stream<Path> files = Files.list(snapshots)) {
                    for (Path f : files.collect(Collectors.toList())) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(snapshots);
            }
        }
    }
}
