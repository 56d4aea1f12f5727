package com.fcminiapp.common.error;

/** The contract's error codes, each with the HTTP status an HTTP trigger answers it with. */
public enum ErrorCode {
    INVALID_ARGUMENT(400),
    AUTH_CODE_REJECTED(401),
    UNAUTHENTICATED(401),
    PERMISSION_DENIED(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    CONFLICT(409),
    PAYLOAD_TOO_LARGE(413),
    INTERNAL(500),
    UPSTREAM_UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
