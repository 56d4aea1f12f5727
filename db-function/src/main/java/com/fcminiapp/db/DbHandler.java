package com.fcminiapp.db;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.PreStopHandler;
import com.aliyun.fc.runtime.StreamRequestHandler;
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
 * FC entry point of the db function (direct invocation with the client's STS credentials): the event is
 * {@code {"sid", "op", ...}}, the result {@code {"data": ...}} or {@code {"error": ...}} — an error is written as
 * the result, never thrown, so no stack trace reaches a client. FC's PreStop shuts the instance's clients down.
 */
public class DbHandler implements StreamRequestHandler, FunctionInitializer, PreStopHandler {

    private final FunctionInstance<DbFunction> function;

    /** Production: the environment FC gives the process. */
    public DbHandler() {
        this(System.getenv(), Clock.systemUTC());
    }

    /** local-cloud and tests hand the function its own environment. */
    public DbHandler(Map<String, String> environment) {
        this(environment, Clock.systemUTC());
    }

    public DbHandler(Map<String, String> environment, Clock clock) {
        Map<String, String> env = Map.copyOf(environment);
        this.function = new FunctionInstance<>(context -> DbFunction.create(env, context, clock));
    }

    /** A handler around an already assembled function (tests with their own services). */
    public DbHandler(DbFunction function) {
        this.function = FunctionInstance.of(function);
    }

    @Override
    public void initialize(Context context) {
        function.get(context);
    }

    /** FC calls it before it stops the instance: the Tablestore and OSS clients end their threads. */
    @Override
    public void preStop(Context context) {
        function.stop(context);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] answer;
        try {
            byte[] event = BoundedBody.read(input, DbActions.MAX_EVENT_BYTES, DbActions::tooLarge);
            answer = Json.write(function.get(context).actions(context).handle(event));
        } catch (Throwable failure) {
            answer = Json.write(ErrorMapper.errorBody(ErrorMapper.report("db", context, failure), context));
        }
        output.write(answer);
        output.flush();
    }
}
