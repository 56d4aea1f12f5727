package com.fcminiapp.session;

import com.fcminiapp.session.alipay.AuthCodeExchanger;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.common.session.SessionIds;
import com.fcminiapp.common.session.SessionRecord;
import com.fcminiapp.common.session.SessionResolver;
import com.fcminiapp.common.session.SessionStore;
import com.fcminiapp.common.users.AccountDeletionPending;
import com.fcminiapp.common.users.UserRecord;
import com.fcminiapp.common.users.UserStore;
import com.fcminiapp.session.account.AccountDeletionService;
import com.fcminiapp.session.sts.CredentialIssuer;
import com.fcminiapp.session.sts.TemporaryCredentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Login, refresh and logout. A login is authCode → Alipay uid → STS credentials → a stored session, in that order,
 * so nothing is stored unless Alipay and STS both succeeded; a pending account deletion of the user is finished
 * before the new session is made, so a login after a deletion starts empty.
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
    private final UserStore users;
    private final AccountDeletionService deletion;

    public SessionService(AuthCodeExchanger alipay, SessionStore store, CredentialIssuer sts, UserStore users,
                          AccountDeletionService deletion, Clock clock, Duration sessionTtl, Duration stsDuration) {
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
        this.users = users;
        this.deletion = deletion;
    }

    public SessionGrant login(String authCode) {
        String uid = alipay.exchange(authCode);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(sessionTtl);
        TemporaryCredentials credentials = sts.issue(uid, min(stsDuration, sessionTtl));
        Optional<UserRecord> user = users.find(uid);
        List<String> expired = new ArrayList<>();
        if (user.isPresent() && user.get().deletingSince().isPresent()) {
            deletion.finish(uid);
        } else {
            user.ifPresent(u -> u.sessions().forEach((idHash, until) -> {
                if (!now.isBefore(until)) {
                    expired.add(idHash);
                }
            }));
        }
        String sessionId;
        try {
            sessionId = register(uid, now, expiresAt, expired);
        } catch (AccountDeletionPending startedMeanwhile) {
            deletion.finish(uid);
            try {
                sessionId = register(uid, now, expiresAt, List.of());
            } catch (AccountDeletionPending again) {
                throw new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE,
                        "This account is being deleted right now; log in again in a moment.");
            }
        }
        return new SessionGrant(sessionId, uid, expiresAt, credentials);
    }

    /**
     * Stores a new session, then lists it in the user's row. In this order a deletion that starts at any moment
     * sees the session: either its column was added before the deletion's mark (and the row it revokes exists), or
     * adding it fails on the mark and the row is removed again. A failure between the two leaves a row whose id no
     * client ever received; the storage TTL drops it.
     */
    private String register(String uid, Instant now, Instant expiresAt, List<String> expired) {
        String sessionId = SessionIds.newId();
        String idHash = SessionIds.hash(sessionId);
        store.create(new SessionRecord(idHash, uid, now, expiresAt));
        try {
            users.addSession(uid, idHash, expiresAt, expired);
        } catch (RuntimeException e) {
            try {
                store.delete(idHash);
            } catch (ApiException alsoDown) {
                e.addSuppressed(alsoDown);
            }
            throw e;
        }
        return sessionId;
    }

    /** Deletes the account of the session's user (contract "Users"); see {@link AccountDeletionService}. */
    public void deleteAccount(Object sessionId) {
        deletion.deleteAccount(sessionId);
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
