package com.fcminiapp.kit;

import com.aliyun.fc.runtime.FunctionComputeLogger;
import com.fcminiapp.common.users.UserRecord;
import com.fcminiapp.common.users.UserStore;

import java.util.Objects;
import java.util.Optional;

/**
 * The signed-in user who made this call. Only the kit makes one, from the session the event names: the uid comes
 * from the session store, never from the event or the input.
 */
public final class Caller {

    private final String uid;
    private final String requestId;
    private final FunctionComputeLogger logger;
    private final UserStore users;
    /** The users-table read, made on the first {@link #phone()} of this invocation; null until then. */
    private Optional<String> phone;

    /** {@code users} null: a caller without a users table (its phone is always empty). */
    Caller(String uid, String requestId, FunctionComputeLogger logger, UserStore users) {
        this.uid = Objects.requireNonNull(uid, "uid");
        this.requestId = requestId == null ? "" : requestId;
        this.logger = logger;
        this.users = users;
    }

    /** The Alipay user id of the session. */
    public String uid() {
        return uid;
    }

    /**
     * The caller's phone number as Alipay verified it (the session function's phone action stored it), in full;
     * empty when the user never shared one. Read from the users table on the first call in this invocation (none
     * when never called); a failing read is UPSTREAM_UNAVAILABLE. Never log it or return it to other users.
     */
    public synchronized Optional<String> phone() {
        if (phone == null) {
            phone = users == null ? Optional.empty() : users.find(uid).flatMap(UserRecord::phone);
        }
        return phone;
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
