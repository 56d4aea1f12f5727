package com.fcminiapp.session;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.PreStopHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorMapper;
import com.fcminiapp.common.fc.BoundedBody;
import com.fcminiapp.common.fc.FunctionInstance;
import com.fcminiapp.common.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;

/**
 * What the session function's three entry points share: the instance built once by the initializer (or by the
 * first request when no initializer is configured) and stopped by FC's PreStop, and the mapping of any outcome to a
 * status and a JSON body.
 */
public abstract class SessionHandlerSupport implements FunctionInitializer, PreStopHandler {

    /** An HTTP status and the JSON body that goes with it. */
    static final class Answer {
        final int status;
        final byte[] body;

        Answer(int status, byte[] body) {
            this.status = status;
            this.body = body;
        }
    }

    /**
     * Every HTTP answer carries {@code Cache-Control: no-store}: a session id and STS key must not stay in a
     * browser, proxy or CDN cache (errors carry it too, so no cache keeps one for the next caller).
     */
    static final String CACHE_CONTROL = "Cache-Control";
    static final String NO_STORE = "no-store";

    private final FunctionInstance<SessionFunction> function;

    /** Production: the environment FC gives the process. */
    SessionHandlerSupport() {
        this(System.getenv(), Clock.systemUTC());
    }

    /** local-cloud and tests hand each function its own environment (and clock). */
    SessionHandlerSupport(Map<String, String> environment, Clock clock) {
        Map<String, String> env = Map.copyOf(environment);
        this.function = new FunctionInstance<>(context -> SessionFunction.create(env, context, clock));
    }

    @Override
    public void initialize(Context context) {
        function.get(context);
    }

    /** FC calls it before it stops the instance: the Tablestore and STS clients end their threads. */
    @Override
    public void preStop(Context context) {
        function.stop(context);
    }

    /** Runs one request body, never throwing: every failure is an answer with the contract's code. */
    final Answer run(String operation, Context context, BodySupplier body) {
        try {
            ObjectNode result = function.get(context).actions(context).handle(body.get());
            return new Answer(200, Json.write(result));
        } catch (Throwable failure) {
            return fail(operation, context, failure);
        }
    }

    /** Direct invocation: the event is the request JSON, the result is the answer JSON. */
    final void invoke(InputStream input, OutputStream output, Context context) throws IOException {
        output.write(run("session invoke", context,
                () -> BoundedBody.read(input, SessionActions.MAX_BODY_BYTES)).body);
        output.flush();
    }

    final Answer fail(String operation, Context context, Throwable failure) {
        ApiException e = ErrorMapper.report(operation, context, failure);
        return new Answer(e.code().httpStatus(), Json.write(ErrorMapper.errorBody(e, context)));
    }

    /** The request body, read lazily so that a read failure is mapped like any other. */
    @FunctionalInterface
    interface BodySupplier {
        byte[] get() throws Exception;
    }
}
