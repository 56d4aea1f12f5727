package com.fcminiapp.common.error;

/**
 * A failure the caller is told about: one of the contract's codes and a message saying what to fix. The
 * message goes to the client as is, so it never holds a secret, a token or a session id.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The one answer for a missing, unknown, expired or logged-out session. */
    public static final String SESSION_INVALID_MESSAGE =
            "The session is missing, unknown, expired or logged out; log in again.";

    private final ErrorCode code;

    public ApiException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** Keeps the upstream cause for the log line (its class and code), never for the client. */
    public ApiException(ErrorCode code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_ARGUMENT, message);
    }

    public static ApiException unauthenticated() {
        return new ApiException(ErrorCode.UNAUTHENTICATED, SESSION_INVALID_MESSAGE);
    }

    public static ApiException upstream(String service, Throwable cause) {
        return new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE,
                service + " is unavailable or timed out; nothing was changed, retry later.", cause);
    }
}
