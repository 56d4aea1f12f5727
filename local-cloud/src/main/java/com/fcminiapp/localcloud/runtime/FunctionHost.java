package com.fcminiapp.localcloud.runtime;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.HttpRequestHandler;
import com.aliyun.fc.runtime.StreamRequestHandler;
import com.fcminiapp.localcloud.template.FunctionSpec;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.util.Map;

/**
 * One function's warm instance: its jar in its own {@link FunctionClassLoader}, the handler built once (with the
 * function's environment when it has a public {@code (Map<String,String>)} constructor), the initializer run once
 * before the first invocation (again on the next one if it failed, as FC starts a new instance), and then every
 * invocation served on that instance, concurrently.
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

    private final FunctionSpec spec;
    private final Map<String, String> environment;
    private final ClassLoader hostLoader;
    private FunctionClassLoader loader;
    private Object handler;
    private volatile boolean initialized;

    /**
     * @param environment the environment the function gets (the template's, with local-cloud's overrides)
     */
    public FunctionHost(FunctionSpec spec, Map<String, String> environment, ClassLoader hostLoader) {
        this.spec = spec;
        this.environment = Map.copyOf(environment);
        this.hostLoader = hostLoader;
    }

    public FunctionSpec spec() {
        return spec;
    }

    public Map<String, String> environment() {
        return environment;
    }

    /** Whether the code jar exists. */
    public boolean codeAvailable() {
        return Files.isRegularFile(spec.codeUri());
    }

    /** Whether the handler is an FC 2.0 HTTP handler (served on the HTTP trigger path). */
    public synchronized boolean isHttpHandler() throws ReflectiveOperationException, IOException {
        return handler() instanceof HttpRequestHandler;
    }

    /** The handler instance, built on first use. */
    synchronized Object handler() throws ReflectiveOperationException, IOException {
        if (handler == null) {
            if (!codeAvailable()) {
                throw new IOException("code of function " + spec.name() + " not found at " + spec.codeUri());
            }
            loader = new FunctionClassLoader(spec.name(), spec.codeUri(), hostLoader);
            handler = instantiate(loader.loadClass(spec.handlerClass()));
        }
        return handler;
    }

    private Object instantiate(Class<?> type) throws ReflectiveOperationException {
        try {
            Constructor<?> withEnv = type.getConstructor(Map.class);
            return withEnv.newInstance(environment);
        } catch (NoSuchMethodException noEnvConstructor) {
            return type.getConstructor().newInstance();
        }
    }

    /** Runs the initializer unless it already succeeded; FC runs it once per instance, before any invocation. */
    public void initialize(Context context) throws Exception {
        if (initialized) {
            return;
        }
        synchronized (this) {
            if (initialized) {
                return;
            }
            Object h = handler();
            if (spec.initializer().isPresent()) {
                Object target = spec.initializerClass().get().equals(spec.handlerClass())
                        ? h : instantiate(loader.loadClass(spec.initializerClass().get()));
                if (!(target instanceof FunctionInitializer)) {
                    throw new IllegalStateException(spec.initializer().get() + " is not a FunctionInitializer");
                }
                withFunctionLoader(() -> {
                    ((FunctionInitializer) target).initialize(context);
                    return null;
                });
            }
            initialized = true;
        }
    }

    /** An event invocation of a {@link StreamRequestHandler}. */
    public Outcome invoke(byte[] event, Context context) {
        try {
            initialize(context);
        } catch (Throwable t) {
            return Outcome.error("UnhandledInitializationError", unwrap(t));
        }
        try {
            Object h = handler();
            if (!(h instanceof StreamRequestHandler)) {
                throw new IllegalStateException(spec.handler() + " is not a StreamRequestHandler");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            withFunctionLoader(() -> {
                ((StreamRequestHandler) h).handleRequest(new ByteArrayInputStream(event), out, context);
                return null;
            });
            return Outcome.ok(out.toByteArray());
        } catch (Throwable t) {
            return Outcome.error("UnhandledInvocationError", unwrap(t));
        }
    }

    /** An HTTP trigger request for an {@link HttpRequestHandler}; errors are thrown for the caller to answer. */
    public void serveHttp(HttpServletRequest request, HttpServletResponse response, Context context) throws Exception {
        initialize(context);
        Object h = handler();
        if (!(h instanceof HttpRequestHandler)) {
            throw new IllegalStateException(spec.handler() + " is not an HttpRequestHandler");
        }
        withFunctionLoader(() -> {
            ((HttpRequestHandler) h).handleRequest(request, response, context);
            return null;
        });
    }

    private interface Call {
        Object run() throws Exception;
    }

    private void withFunctionLoader(Call call) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // SDKs inside the function look resources and services up through the context loader
        thread.setContextClassLoader(loader);
        try {
            call.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable out = t;
        while (out instanceof InvocationTargetException && out.getCause() != null) {
            out = out.getCause();
        }
        return out;
    }

    @Override
    public synchronized void close() throws IOException {
        if (loader != null) {
            loader.close();
        }
    }
}
