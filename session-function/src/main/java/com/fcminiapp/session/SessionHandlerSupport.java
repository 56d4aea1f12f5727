package com.fcminiapp.session;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionComputeLogger;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorMapper;
import com.fcminiapp.common.json.Json;

import java.time.Clock;
import java.util.Map;

/**
 * What the session function's three entry points share: the instance built once by the initializer (or by the
 * first request when no initializer is configured), and the mapping of any outcome to a status and a JSON body.
 */
public abstract class SessionHandlerSupport implements FunctionInitializer {

    /** An HTTP status and the JSON body that goes with it. */
    static final class Answer {
        final int status;
        final byte[] body;

        Answer(int status, byte[] body) {
            this.status = status;
            this.body = body;
        }
    }

    private final Map<String, String> environment;
    private final Clock clock;
    private volatile SessionFunction function;

    /** Production: the environment FC gives the process. */
    SessionHandlerSupport() {
        this(System.getenv(), Clock.systemUTC());
    }

    /** local-cloud and tests hand each function its own environment (and clock). */
    SessionHandlerSupport(Map<String, String> environment, Clock clock) {
        this.environment = Map.copyOf(environment);
        this.clock = clock;
    }

    @Override
    public void initialize(Context context) {
        function(context);
    }

    private SessionFunction function(Context context) {
        SessionFunction f = function;
        if (f == null) {
            synchronized (this) {
                f = function;
                if (f == null) {
                    f = SessionFunction.create(environment, context, clock);
                    function = f;
                }
            }
        }
        return f;
    }

    /** Runs one request body, never throwing: every failure is an answer with the contract's code. */
    final Answer run(String operation, Context context, BodySupplier body) {
        try {
            ObjectNode result = function(context).actions(context).handle(body.get());
            return new Answer(200, Json.write(result));
        } catch (Throwable failure) {
            return fail(operation, context, failure);
        }
    }

    /** Direct invocation: the event is the request JSON, the result is the answer JSON. */
    final void invoke(java.io.InputStream input, java.io.OutputStream output, Context context)
            throws java.io.IOException {
        output.write(run("session invoke", context,
                () -> com.fcminiapp.common.fc.BoundedBody.read(input, SessionActions.MAX_BODY_BYTES)).body);
        output.flush();
    }

    final Answer fail(String operation, Context context, Throwable failure) {
        ApiException e = ErrorMapper.toApiException(failure);
        log(context, ErrorMapper.logLine(operation, e), e);
        return new Answer(e.code().httpStatus(), Json.write(ErrorMapper.errorBody(e, requestId(context))));
    }

    static String requestId(Context context) {
        return context == null ? null : context.getRequestId();
    }

    private static void log(Context context, String line, ApiException e) {
        FunctionComputeLogger logger = context == null ? null : context.getLogger();
        if (logger == null) {
            return;
        }
        if (e.code().httpStatus() >= 500) {
            logger.error(line);
        } else {
            logger.info(line);
        }
    }

    /** The request body, read lazily so that a read failure is mapped like any other. */
    @FunctionalInterface
    interface BodySupplier {
        byte[] get() throws Exception;
    }
}
