package com.fcminiapp.localcloud.fcapi;

/** A refusal or failure of the FC API, answered as FC does: an HTTP status and {@code ErrorCode}/{@code ErrorMessage}. */
public final class FcError extends Exception {

    private final int status;
    private final String code;
    private final int retryAfterSeconds;

    public FcError(int status, String code, String message) {
        this(status, code, message, 0);
    }

    private FcError(int status, String code, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Seconds a client should wait before it sends again ({@code Retry-After}), 0 when not said. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    static FcError accessDenied(String message) {
        return new FcError(403, "AccessDenied", message);
    }

    static FcError invalidArgument(String message) {
        return new FcError(400, "InvalidArgument", message);
    }

    /** FC's answer when its resources are exhausted for the moment: 429, worth a retry after {@code seconds}. */
    static FcError resourceExhausted(String message, int seconds) {
        return new FcError(429, "ResourceExhausted", message, seconds);
    }
}
