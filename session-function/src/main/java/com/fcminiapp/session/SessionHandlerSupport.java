package com.fcminiapp.session;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.PreStopHandler;
import com.fcminiapp.common.fc.BoundedBody;
import com.fcminiapp.kit.runtime.Answer;
import com.fcminiapp.kit.runtime.FunctionRuntime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;

/**
 * What the session function's three entry points share: the kit's lifecycle (the instance built once by the
 * initializer, or by the first request when no initializer is configured, and stopped by FC's PreStop) and its error
 * seam mapping any outcome to a status and a JSON body.
 */
public abstract class SessionHandlerSupport implements FunctionInitializer, PreStopHandler {

    /**
     * Every HTTP answer carries {@code Cache-Control: no-store}: a session id and STS key must not stay in a
     * browser, proxy or CDN cache (errors carry it too, so no cache keeps one for the next caller).
     */
    static final String CACHE_CONTROL = "Cache-Control";
    static final String NO_STORE = "no-store";

    private final FunctionRuntime<SessionActions> runtime;

    /** Production: the environment FC gives the process. */
    SessionHandlerSupport() {
        this(System.getenv(), Clock.systemUTC());
    }

    /** local-cloud and tests hand each function its own environment (and clock). */
    SessionHandlerSupport(Map<String, String> environment, Clock clock) {
        this.runtime = new FunctionRuntime<>(environment, clock, SessionFunction::assemble);
    }

    @Override
    public void initialize(Context context) {
        runtime.initialize(context);
    }

    /** FC calls it before it stops the instance: the Tablestore and STS clients end their threads. */
    @Override
    public void preStop(Context context) {
        runtime.preStop(context);
    }

    /** Runs one request body, never throwing: every failure is an answer with the contract's code. */
    final Answer run(String operation, Context context, BodySupplier body) {
        return runtime.run(operation, context, actions -> actions.handle(body.get()));
    }

    /** Direct invocation: the event is the request JSON, the result is the answer JSON. */
    final void invoke(InputStream input, OutputStream output, Context context) throws IOException {
        output.write(run("session invoke", context,
                () -> BoundedBody.read(input, SessionActions.MAX_BODY_BYTES)).body());
        output.flush();
    }

    final Answer fail(String operation, Context context, Throwable failure) {
        return FunctionRuntime.fail(operation, context, failure);
    }

    /** The request body, read lazily so that a read failure is mapped like any other. */
    @FunctionalInterface
    interface BodySupplier {
        byte[] get() throws Exception;
    }
}
