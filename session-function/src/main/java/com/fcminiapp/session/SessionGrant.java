package com.fcminiapp.session;

import com.fcminiapp.session.sts.TemporaryCredentials;

import java.time.Instant;

/** What a login or a refresh hands the client: the session, its user and fresh STS credentials. */
public final class SessionGrant {

    private final String sessionId;
    private final String userId;
    private final Instant expiresAt;
    private final TemporaryCredentials sts;

    public SessionGrant(String sessionId, String userId, Instant expiresAt, TemporaryCredentials sts) {
        this.sessionId = sessionId;
        this.userId = userId;
        this.expiresAt = expiresAt;
        this.sts = sts;
    }

    public String sessionId() {
        return sessionId;
    }

    public String userId() {
        return userId;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public TemporaryCredentials sts() {
        return sts;
    }
}
