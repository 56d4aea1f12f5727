package com.fcminiapp.common.error;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionComputeLogger;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one place a failure becomes an answer: {@code {"error": {"code", "message", "requestId"}}}. Anything
 * that is not an {@link ApiException} is a bug and becomes INTERNAL with a fixed message, so no stack trace
 * or upstream detail ever reaches a client.
 */
public final class ErrorMapper {

    /** The one message of every INTERNAL answer. */
    public static final String INTERNAL_MESSAGE = "Internal error; retry later or report the requestId.";

    private ErrorMapper() {
    }

    /** The API failure {@code failure} stands for. */
    public static ApiException toApiException(Throwable failure) {
        // an app function may make an ApiException without a code: that is a bug, like any other exception
        if (failure instanceof ApiException && ((ApiException) failure).code() != null) {
            return (ApiException) failure;
        }
        return new ApiException(ErrorCode.INTERNAL, INTERNAL_MESSAGE, failure);
    }

    /**
     * Maps {@code failure}, logs it on the invocation's FC logger (error level for 5xx, info otherwise) and returns
     * the API failure to answer with.
     */
    public static ApiException report(String operation, Context context, Throwable failure) {
        ApiException e = toApiException(failure);
        FunctionComputeLogger logger = context == null ? null : context.getLogger();
        if (logger != null) {
            if (e.code().httpStatus() >= 500) {
                logger.error(logLine(operation, e));
            } else {
                logger.info(logLine(operation, e));
            }
        }
        return e;
    }

    /** The error answer for {@code e} in this invocation. */
    public static ObjectNode errorBody(ApiException e, Context context) {
        return errorBody(e, context == null ? null : context.getRequestId());
    }

    public static ObjectNode errorBody(ApiException e, String requestId) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("code", e.code().name());
        error.put("message", e.getMessage() == null ? e.code().name() : e.getMessage());
        error.put("requestId", requestId == null ? "" : requestId);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("error", error);
        return body;
    }

    /**
     * A log line for a failure: its code, and for an upstream cause only the cause's class and service error
     * code — exception messages of SDKs can quote request parameters, so they are not logged.
     */
    public static String logLine(String operation, ApiException e) {
        StringBuilder line = new StringBuilder(operation).append(" failed: ").append(e.code());
        Throwable cause = e.getCause();
        if (cause != null) {
            line.append(" (cause ").append(cause.getClass().getSimpleName());
            String upstreamCode = UpstreamErrors.codeOf(cause);
            if (upstreamCode != null) {
                line.append(' ').append(upstreamCode);
            }
            line.append(')');
            if (cause instanceof com.fcminiapp.common.config.ConfigException) {
                // names variables only, never their values
                line.append(": ").append(cause.getMessage());
            }
        }
        return line.toString();
    }
}
