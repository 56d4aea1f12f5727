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

    /**
     * The live session {@code sessionId} names; UNAUTHENTICATED when missing, malformed, unknown, expired or revoked
     * (its account is being deleted), with the same body for each.
     */
    public SessionRecord require(Object sessionId) {
        SessionRecord session = requireForDeletion(sessionId);
        if (session.revoked()) {
            throw ApiException.unauthenticated();
        }
        return session;
    }

    /**
     * As {@link #require}, but a revoked session is accepted: deleteAccount revokes the caller's session before it
     * deletes anything, so a retry after a failure half way must still name its user to finish the job.
     */
    public SessionRecord requireForDeletion(Object sessionId) {
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
