package com.fcminiapp.common.session;

import java.util.Optional;

/** Where sessions live, keyed by the SHA-256 of their id. Implementations throw ApiException on failure. */
public interface SessionStore {

    /** Stores a new session; fails rather than overwrite an existing one. */
    void create(SessionRecord session);

    Optional<SessionRecord> find(String idHash);

    /** Deletes the session; deleting a missing one is not an error. */
    void delete(String idHash);
}
