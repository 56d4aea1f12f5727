package com.fcminiapp.kit.runtime;

import com.aliyun.fc.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorMapper;
import com.fcminiapp.common.fc.FunctionInstance;
import com.fcminiapp.common.json.Json;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * The lifecycle every function of this project runs on (the db and session functions and every app function): the
 * function assembled once per instance (by the initializer, else the first request), the execution credentials
 * taken from each invocation's context, PreStop shutting the instance's clients down, and the one error seam that
 * turns any outcome into the contract's answer.
 */
public final class FunctionRuntime<F> {

    /** The largest event a function reads; past it PAYLOAD_TOO_LARGE (FC's synchronous invoke payload limit, 6 MB). */
    public static final int MAX_EVENT_BYTES = 6 * 1024 * 1024;

    /** The last answer when even mapping a failure failed: still the contract's shape, and no detail. */
    private static final byte[] LAST_RESORT = ("{\"error\":{\"code\":\"INTERNAL\",\"message\":\""
            + ErrorMapper.INTERNAL_MESSAGE + "\",\"requestId\":\"\"}}").getBytes(StandardCharsets.UTF_8);

    /** One request's work on the assembled function: the whole answer, or a thrown failure. */
    @FunctionalInterface
    public interface Call<F> {
        JsonNode answer(F function) throws Exception;
    }

    private final FunctionInstance<BuiltFunction<F>> instance;

    /** The production runtime: {@code assembly} runs on {@code env} when the instance starts. */
    public FunctionRuntime(Map<String, String> env, Clock clock, Assembly<F> assembly) {
        Map<String, String> copy = Map.copyOf(env);
        this.instance = new FunctionInstance<>(context -> BuiltFunction.build(copy, context, clock, assembly));
    }

    private FunctionRuntime(FunctionInstance<BuiltFunction<F>> instance) {
        this.instance = instance;
    }

    /** A runtime around a function assembled elsewhere (tests with their own collaborators). */
    public static <F> FunctionRuntime<F> of(BuiltFunction<F> built) {
        return new FunctionRuntime<>(FunctionInstance.of(built));
    }

    /** FC's initializer: assembles the function; a failure (a ConfigException naming each variable) is thrown. */
    public void initialize(Context context) {
        instance.get(context);
    }

    /** FC's PreStop: shuts the instance's clients down once; later calls are refused as retryable. */
    public void preStop(Context context) {
        instance.stop(context);
    }

    /** The assembled function, built on first use, with this invocation's credentials taken in. */
    public F function(Context context) {
        return instance.get(context).function(context);
    }

    /** Runs one request, never throwing: the call's answer, or its failure as the contract's error answer. */
    public Answer run(String operation, Context context, Call<F> call) {
        try {
            return new Answer(200, Json.write(call.answer(function(context))));
        } catch (Throwable failure) {
            return fail(operation, context, failure);
        }
    }

    /**
     * The error seam: an ApiException keeps its code and message; anything else is INTERNAL with a fixed message
     * and the request id. Logged on the invocation's FC logger with the code and the cause's class only.
     */
    public static Answer fail(String operation, Context context, Throwable failure) {
        try {
            ApiException e = ErrorMapper.report(operation, context, failure);
            return new Answer(e.code().httpStatus(), Json.write(ErrorMapper.errorBody(e, context)));
        } catch (RuntimeException | Error unmappable) {
            return new Answer(500, LAST_RESORT.clone());
        }
    }
}
