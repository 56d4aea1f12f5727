package com.fcminiapp.common.session;

import java.time.Instant;
import java.util.Objects;

/** A stored session: the hash of its id, the Alipay uid it belongs to, and its absolute lifetime. */
public final class SessionRecord {

    private final String idHash;
    private final String uid;
    private final Instant createdAt;
    private final Instant expiresAt;

    public SessionRecord(String idHash, String uid, Instant createdAt, Instant expiresAt) {
        this.idHash = Objects.requireNonNull(idHash);
        this.uid = Objects.requireNonNull(uid);
        this.createdAt = Objects.requireNonNull(createdAt);
        this.expiresAt = Objects.requireNonNull(expiresAt);
    }

    public String idHash() {
        return idHash;
    }

    public String uid() {
        return uid;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
