package com.fcminiapp.kit;

import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;

/**
 * The failures a function raises for its caller: each is answered with its contract code and this message as is,
 * so a message says what to fix and never holds a secret, a token or a session id.
 */
public final class AppErrors {

    private AppErrors() {
    }

    /** INVALID_ARGUMENT: the input breaks the function's rules. */
    public static ApiException invalid(String message) {
        return of(ErrorCode.INVALID_ARGUMENT, message);
    }

    /** NOT_FOUND. */
    public static ApiException notFound(String message) {
        return of(ErrorCode.NOT_FOUND, message);
    }

    /** CONFLICT: the stored state does not allow this now. */
    public static ApiException conflict(String message) {
        return of(ErrorCode.CONFLICT, message);
    }

    /** PERMISSION_DENIED: this caller may not do this. */
    public static ApiException denied(String message) {
        return of(ErrorCode.PERMISSION_DENIED, message);
    }

    /** Any contract code. */
    public static ApiException of(ErrorCode code, String message) {
        return new ApiException(code, message);
    }
}
