package com.fcminiapp.db;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.PreStopHandler;
import com.aliyun.fc.runtime.StreamRequestHandler;
import com.fcminiapp.common.fc.BoundedBody;
import com.fcminiapp.kit.runtime.Answer;
import com.fcminiapp.kit.runtime.FunctionRuntime;

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

    private final FunctionRuntime<DbActions> runtime;

    /** Production: the environment FC gives the process. */
    public DbHandler() {
        this(System.getenv(), Clock.systemUTC());
    }

    /** local-cloud and tests hand the function its own environment. */
    public DbHandler(Map<String, String> environment) {
        this(environment, Clock.systemUTC());
    }

    public DbHandler(Map<String, String> environment, Clock clock) {
        this.runtime = new FunctionRuntime<>(environment, clock, DbFunction::assemble);
    }

    /** A handler around an already assembled function (tests with their own services). */
    public DbHandler(DbFunction function) {
        this.runtime = FunctionRuntime.of(function.built());
    }

    @Override
    public void initialize(Context context) {
        runtime.initialize(context);
    }

    /** FC calls it before it stops the instance: the Tablestore and OSS clients end their threads. */
    @Override
    public void preStop(Context context) {
        runtime.preStop(context);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Answer answer = runtime.run("db", context,
                actions -> actions.handle(BoundedBody.read(input, DbActions.MAX_EVENT_BYTES, DbActions::tooLarge)));
        output.write(answer.body());
        output.flush();
    }
}
