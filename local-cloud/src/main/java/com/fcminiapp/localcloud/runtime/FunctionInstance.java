package com.fcminiapp.localcloud.runtime;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.PreStopHandler;
import com.fcminiapp.localcloud.template.FunctionSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One instance of a function, as FC starts one after a deploy: one build in its own {@link FunctionClassLoader},
 * the handler built once, the initializer run once (again on the next call if it failed). Invocations hold a lease
 * ({@link #enter}/{@link #exit}); once retired by a newer build, the last lease out runs the function's PreStop
 * handler, stops the SDK threads the function left behind and closes the loader.
 */
final class FunctionInstance {

    /**
     * SDK classes holding a static thread per loader, each stopped by its own static {@code shutdown()}: the OSS
     * SDK's idle-connection reaper (left running, it failed with NoClassDefFoundError on a closed loader) and
     * aliyun-java-sdk-core's idle-connection cleaner (STS).
     */
    static final List<String> SDK_REAPERS = List.of("com.aliyun.oss.common.comm.IdleConnectionReaper",
            "com.aliyuncs.http.clients.ApacheIdleConnectionCleaner");
    private static final long THREAD_STOP_MILLIS = 2_000;
    private static final long RESCAN_MILLIS = 20;

    final JarBuild build;
    final Instant loadedAt;
    private final FunctionSpec spec;
    private final Map<String, String> environment;
    private final FunctionClassLoader loader;
    private final Supplier<Context> lifecycleContexts;
    private final PrintStream console;
    private Object handler;
    private volatile boolean initialized;
    private int leases;
    private boolean retired;
    private boolean closed;

    /**
     * @param lifecycleContexts the context for a call FC makes on its own (PreStop): a new request id, the
     *                          execution key
     * @param console           where a PreStop that fails or overruns is reported
     */
    FunctionInstance(FunctionSpec spec, Map<String, String> environment, JarBuild build, ClassLoader hostLoader,
                     Supplier<Context> lifecycleContexts, PrintStream console) throws IOException {
        this.spec = spec;
        this.environment = environment;
        this.build = build;
        this.lifecycleContexts = lifecycleContexts;
        this.console = console;
        this.loader = new FunctionClassLoader(spec.name(), build.copy, hostLoader);
        this.loadedAt = Instant.now();
    }

    boolean initialized() {
        return initialized;
    }

    /** The handler, built on first use with the function's environment when it takes one. */
    synchronized Object handler() throws ReflectiveOperationException {
        if (handler == null) {
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

    /** Runs the initializer unless it already succeeded on this instance. */
    void initialize(Context context) throws Exception {
        if (initialized) {
            return;
        }
        synchronized (this) {
            if (initialized) {
                return;
            }
            Object h = handler();
            if (spec.initializer().isPresent()) {
                Object target = target(h, spec.initializerClass().get());
                if (!(target instanceof FunctionInitializer)) {
                    throw new IllegalStateException(spec.initializer().get() + " is not a FunctionInitializer");
                }
                withLoader(() -> {
                    ((FunctionInitializer) target).initialize(context);
                    return null;
                });
            }
            initialized = true;
        }
    }

    /** The handler object when {@code className} is the handler's class (FC calls one object), else a new one. */
    private Object target(Object handler, String className) throws ReflectiveOperationException {
        return className.equals(spec.handlerClass()) ? handler : instantiate(loader.loadClass(className));
    }

    /** Runs {@code call} with this instance's loader as the thread's context loader. */
    void withLoader(FunctionHost.Call call) throws Exception {
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

    /** Takes a lease for one invocation; false once retired (the caller asks for the current instance again). */
    synchronized boolean enter() {
        if (retired) {
            return false;
        }
        leases++;
        return true;
    }

    /** Returns a lease; the last one out of a retired instance shuts it down. */
    void exit() {
        boolean last;
        synchronized (this) {
            leases--;
            last = retired && leases == 0 && !closed;
            closed |= last;
        }
        if (last) {
            shutDownInBackground();
        }
    }

    /** No new invocations; shut down once none is in flight, off the invocation's thread. */
    void retire() {
        if (markRetired()) {
            shutDownInBackground();
        }
    }

    /** Retires and shuts down now, on this thread (local-cloud is closing). */
    void close() {
        if (markRetired()) {
            shutDown();
        }
    }

    /** True when this call leaves the instance retired with nothing in flight and not yet shut down. */
    private synchronized boolean markRetired() {
        retired = true;
        boolean idle = leases == 0 && !closed;
        closed |= idle;
        return idle;
    }

    private void shutDownInBackground() {
        Thread t = new Thread(this::shutDown, "fc-" + spec.name() + "-retire");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Runs the function's PreStop handler, stops what the function still left running, then closes its loader and
     * deletes its copy of the jar. The SDKs' static reapers are told to stop through their own API (they ignore
     * interrupts). Any other thread started from the function's code (its context loader is the function's) is
     * interrupted once it sleeps or waits: a thread in a selector (Tablestore's I/O reactor) would spin on a pending
     * interrupt, so it is left alone. All get a bounded wait to end before the loader closes.
     */
    private void shutDown() {
        preStop();
        stopSdkReapers();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(THREAD_STOP_MILLIS);
        for (Thread t : interruptFunctionThreads(deadline)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            try {
                t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            loader.close();
        } catch (IOException ignored) {
            // the copy is deleted anyway
        }
        build.deleteCopy();
    }

    /**
     * Calls the PreStop handler as FC does before it stops an instance: on the handler object that served, with a
     * lifecycle context and the function's loader, bounded by its Timeout. A PreStop that fails or overruns is one
     * console line and the shutdown goes on (its thread, if still running, is stopped below like any other). An
     * instance whose handler was never built has nothing to stop.
     */
    private void preStop() {
        Object served;
        synchronized (this) {
            served = handler;
        }
        if (spec.preStop().isEmpty() || served == null) {
            return;
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread call = new Thread(() -> callPreStop(served, failure), "fc-" + spec.name() + "-prestop");
        call.setDaemon(true);
        call.start();
        try {
            call.join(TimeUnit.SECONDS.toMillis(spec.preStopTimeoutSeconds()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String what = "function " + spec.name() + ": preStop " + spec.preStop().get();
        if (call.isAlive()) {
            console.println(what + " did not end within " + spec.preStopTimeoutSeconds()
                    + " s; stopping the instance anyway");
        } else if (failure.get() != null) {
            console.println(what + " failed (" + failure.get().getClass().getSimpleName()
                    + "); stopping the instance anyway");
        }
    }

    /** The PreStop call itself, on its own thread; what it throws is kept in {@code failure}. */
    private void callPreStop(Object served, AtomicReference<Throwable> failure) {
        try {
            Object target = target(served, spec.preStopClass().get());
            if (!(target instanceof PreStopHandler)) {
                throw new IllegalStateException(spec.preStop().get() + " is not a PreStopHandler");
            }
            withLoader(() -> {
                ((PreStopHandler) target).preStop(lifecycleContexts.get());
                return null;
            });
        } catch (Throwable t) {
            failure.set(FunctionHost.unwrap(t));
        }
    }

    private void stopSdkReapers() {
        for (String reaper : SDK_REAPERS) {
            if (loader.hasLoaded(reaper)) {
                try {
                    loader.loadClass(reaper).getMethod("shutdown").invoke(null);
                } catch (ReflectiveOperationException | RuntimeException | LinkageError ignored) {
                    // another SDK version without this API: its thread is handled below like any other
                }
            }
        }
    }

    /**
     * Interrupts each of the function's threads once it is seen sleeping or waiting. The threads are looked at
     * again until none is left running (outside a selector) or the deadline passes: a thread just started may not
     * have reached its sleep yet, and interrupting it while it runs would be lost on most code.
     */
    private Set<Thread> interruptFunctionThreads(long deadline) {
        Set<Thread> interrupted = new HashSet<>();
        while (true) {
            Thread running = null;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t == Thread.currentThread() || t.getContextClassLoader() != loader || interrupted.contains(t)) {
                    continue;
                }
                Thread.State state = t.getState();
                if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                    t.interrupt();
                    interrupted.add(t);
                } else if (state != Thread.State.TERMINATED && state != Thread.State.NEW && !inSelector(t)) {
                    running = t;
                }
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (running == null || left <= 0) {
                return interrupted;
            }
            try {
                running.join(Math.min(left, RESCAN_MILLIS)); // a moment to reach its sleep or wait, or to end
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return interrupted;
            }
        }
    }

    private static boolean inSelector(Thread t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().startsWith("sun.nio.ch.") && frame.getClassName().endsWith("SelectorImpl")) {
                return true;
            }
        }
        return false;
    }
}
