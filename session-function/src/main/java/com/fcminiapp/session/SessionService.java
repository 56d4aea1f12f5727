package com.fcminiapp.session;

import com.fcminiapp.session.alipay.AuthCodeExchanger;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.session.SessionIds;
import com.fcminiapp.common.session.SessionRecord;
import com.fcminiapp.common.session.SessionResolver;
import com.fcminiapp.common.session.SessionStore;
import com.fcminiapp.session.sts.CredentialIssuer;
import com.fcminiapp.session.sts.TemporaryCredentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Login, refresh and logout. A login is authCode → Alipay uid → STS credentials → a stored session, in that order,
 * so nothing is stored unless Alipay and STS both succeeded.
 */
public final class SessionService {

    /** STS's shortest credential lifetime; a session with less left cannot be refreshed. */
    static final Duration MIN_STS_DURATION = Duration.ofSeconds(900);

    private final AuthCodeExchanger alipay;
    private final SessionStore store;
    private final CredentialIssuer sts;
    private final Clock clock;
    private final Duration sessionTtl;
    private final Duration stsDuration;
    private final SessionResolver resolver;

    public SessionService(AuthCodeExchanger alipay, SessionStore store, CredentialIssuer sts, Clock clock,
                          Duration sessionTtl, Duration stsDuration) {
        if (sessionTtl.compareTo(MIN_STS_DURATION) < 0 || stsDuration.compareTo(MIN_STS_DURATION) < 0) {
            throw new IllegalArgumentException("session TTL and STS duration must be at least 900 s");
        }
        this.alipay = alipay;
        this.store = store;
        this.sts = sts;
        this.clock = clock;
        this.sessionTtl = sessionTtl;
        this.stsDuration = stsDuration;
        this.resolver = new SessionResolver(store, clock);
    }

    public SessionGrant login(String authCode) {
        String uid = alipay.exchange(authCode);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(sessionTtl);
        TemporaryCredentials credentials = sts.issue(uid, min(stsDuration, sessionTtl));
        String sessionId = SessionIds.newId();
        store.create(new SessionRecord(SessionIds.hash(sessionId), uid, now, expiresAt));
        return new SessionGrant(sessionId, uid, expiresAt, credentials);
    }

    /** New STS credentials for a live session, never outliving it. */
    public SessionGrant refresh(Object sessionId) {
        SessionRecord session = resolver.require(sessionId);
        Duration remaining = Duration.between(clock.instant(), session.expiresAt());
        if (remaining.compareTo(MIN_STS_DURATION) < 0) {
            // too little left for STS's minimum lifetime: the client must log in again
            throw ApiException.unauthenticated();
        }
        Duration duration = min(stsDuration, remaining.truncatedTo(ChronoUnit.SECONDS));
        TemporaryCredentials credentials = sts.issue(session.uid(), duration);
        return new SessionGrant((String) sessionId, session.uid(), session.expiresAt(), credentials);
    }

    /** Ends the session; an unknown or expired one is already ended. */
    public void logout(String sessionId) {
        if (SessionIds.isWellFormed(sessionId)) {
            store.delete(SessionIds.hash(sessionId));
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
