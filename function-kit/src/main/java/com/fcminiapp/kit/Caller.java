package com.fcminiapp.kit;

import com.aliyun.fc.runtime.FunctionComputeLogger;

import java.util.Objects;

/**
 * The signed-in user who made this call. Only the kit makes one, from the session the event names: the uid comes
 * from the session store, never from the event or the input.
 */
public final class Caller {

    private final String uid;
    private final String requestId;
    private final FunctionComputeLogger logger;

    Caller(String uid, String requestId, FunctionComputeLogger logger) {
        this.uid = Objects.requireNonNull(uid, "uid");
        this.requestId = requestId == null ? "" : requestId;
        this.logger = logger;
    }

    /** The Alipay user id of the session. */
    public String uid() {
        return uid;
    }

    /** FC's id of this invocation (also in every error answer). */
    public String requestId() {
        return requestId;
    }

    /**
     * The invocation's FC logger (its lines carry the request id). Log no secret, token, session id or input a user
     * would not want kept.
     */
    public FunctionComputeLogger logger() {
        return logger;
    }

    @Override
    public String toString() {
        return "Caller{uid=" + uid + ", requestId=" + requestId + "}";
    }
}
