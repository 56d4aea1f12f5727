package com.fcminiapp.localcloud.fcapi;

/** A refusal or failure of the FC API, answered as FC does: an HTTP status and {@code ErrorCode}/{@code ErrorMessage}. */
public final class FcError extends Exception {

    private final int status;
    private final String code;

    public FcError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    static FcError accessDenied(String message) {
        return new FcError(403, "AccessDenied", message);
    }

    static FcError invalidArgument(String message) {
        return new FcError(400, "InvalidArgument", message);
    }
}
