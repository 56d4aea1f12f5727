package com.fcminiapp.db;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionComputeLogger;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.StreamRequestHandler;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorMapper;
import com.fcminiapp.common.json.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;

/**
 * FC entry point of the db function (direct invocation with the client's STS credentials): the event is
 * {@code {"sid", "op", ...}}, the result {@code {"data": ...}} or {@code {"error": ...}} — an error is written as
 * the result, never thrown, so no stack trace reaches a client.
 */
public class DbHandler implements StreamRequestHandler, FunctionInitializer {

    private final Map<String, String> environment;
    private final Clock clock;
    private volatile DbFunction function;

    /** Production: the environment FC gives the process. */
    public DbHandler() {
        this(System.getenv(), Clock.systemUTC());
    }

    /** local-cloud and tests hand the function its own environment. */
    public DbHandler(Map<String, String> environment) {
        this(environment, Clock.systemUTC());
    }

    public DbHandler(Map<String, String> environment, Clock clock) {
        this.environment = Map.copyOf(environment);
        this.clock = clock;
    }

    /** A handler around an already assembled function (tests with their own services). */
    public DbHandler(DbFunction function) {
        this.environment = Map.of();
        this.clock = Clock.systemUTC();
        this.function = function;
    }

    @Override
    public void initialize(Context context) {
        function(context);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] answer;
        try {
            answer = Json.write(function(context).actions(context).handle(read(input)));
        } catch (Throwable failure) {
            ApiException e = ErrorMapper.toApiException(failure);
            log(context, ErrorMapper.logLine("db", e), e);
            answer = Json.write(ErrorMapper.errorBody(e, context == null ? null : context.getRequestId()));
        }
        output.write(answer);
        output.flush();
    }

    private DbFunction function(Context context) {
        DbFunction f = function;
        if (f == null) {
            synchronized (this) {
                f = function;
                if (f == null) {
                    f = DbFunction.create(environment, context, clock);
                    function = f;
                }
            }
        }
        return f;
    }

    /** Reads the event without ever holding more than the limit plus one buffer. */
    private static byte[] read(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        int n;
        while ((n = in.read(buffer)) != -1) {
            out.write(buffer, 0, n);
            if (out.size() > DbActions.MAX_EVENT_BYTES) {
                throw DbActions.tooLarge();
            }
        }
        return out.toByteArray();
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
}
