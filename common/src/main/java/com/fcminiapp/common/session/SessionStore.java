package com.fcminiapp.common.session;

import java.time.Instant;
import java.util.Optional;

/** Where sessions live, keyed by the SHA-256 of their id. Implementations throw ApiException on failure. */
public interface SessionStore {

    /** Stores a new session; fails rather than overwrite an existing one. */
    void create(SessionRecord session);

    Optional<SessionRecord> find(String idHash);

    /**
     * Marks the session revoked at {@code at} (every use but a deletion's retry is then refused); a missing session
     * is not an error and is not created, and a revoked one keeps its first time.
     */
    void revoke(String idHash, Instant at);

    /** Deletes the session; deleting a missing one is not an error. */
    void delete(String idHash);
}
