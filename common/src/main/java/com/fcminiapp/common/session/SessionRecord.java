package com.fcminiapp.common.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored session: the hash of its id, the Alipay uid it belongs to, its absolute lifetime and, once its account's
 * deletion has begun, when it was revoked.
 */
public final class SessionRecord {

    private final String idHash;
    private final String uid;
    private final Instant createdAt;
    private final Instant expiresAt;
    private final Instant revokedAt;

    public SessionRecord(String idHash, String uid, Instant createdAt, Instant expiresAt) {
        this(idHash, uid, createdAt, expiresAt, null);
    }

    /** @param revokedAt when the session was revoked, null for a live one */
    public SessionRecord(String idHash, String uid, Instant createdAt, Instant expiresAt, Instant revokedAt) {
        this.idHash = Objects.requireNonNull(idHash);
        this.uid = Objects.requireNonNull(uid);
        this.createdAt = Objects.requireNonNull(createdAt);
        this.expiresAt = Objects.requireNonNull(expiresAt);
        this.revokedAt = revokedAt;
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

    /** When the session was revoked (its account is being deleted); empty while it is usable. */
    public Optional<Instant> revokedAt() {
        return Optional.ofNullable(revokedAt);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
