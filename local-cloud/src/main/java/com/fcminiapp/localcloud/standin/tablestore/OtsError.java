package com.fcminiapp.localcloud.standin.tablestore;

/** A refusal in Tablestore's own terms: HTTP status, error code and message, answered as a protobuf {@code Error}. */
final class OtsError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final String code;

    OtsError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static OtsError invalid(String message) {
        return new OtsError(400, "OTSParameterInvalid", message);
    }

    static OtsError authFailed(String message) {
        return new OtsError(403, "OTSAuthFailed", message);
    }

    static OtsError tableNotFound() {
        return new OtsError(404, "OTSObjectNotExist", "Requested table does not exist.");
    }

    static OtsError conditionFailed() {
        return new OtsError(403, "OTSConditionCheckFail", "Condition check failed.");
    }
}
