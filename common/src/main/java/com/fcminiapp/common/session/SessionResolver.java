package com.fcminiapp.common.session;

import com.fcminiapp.common.error.ApiException;

import java.time.Clock;

/** Turns a client's session id into the session it names, or UNAUTHENTICATED — one answer for every failure. */
public final class SessionResolver {

    private final SessionStore store;
    private final Clock clock;

    public SessionResolver(SessionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The live session {@code sessionId} names; UNAUTHENTICATED when missing, malformed, unknown or expired. */
    public SessionRecord require(Object sessionId) {
        if (!(sessionId instanceof String) || !SessionIds.isWellFormed((String) sessionId)) {
            throw ApiException.unauthenticated();
        }
        SessionRecord session = store.find(SessionIds.hash((String) sessionId))
                .orElseThrow(ApiException::unauthenticated);
        if (session.isExpiredAt(clock.instant())) {
            throw ApiException.unauthenticated();
        }
        return session;
    }
}
