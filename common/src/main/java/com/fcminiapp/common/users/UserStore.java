package com.fcminiapp.common.users;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Where users' own records live (their phone number, their sessions, a pending deletion), not their data rows.
 * Every method throws {@link com.fcminiapp.common.error.ApiException} (UPSTREAM_UNAVAILABLE) when the store fails.
 */
public interface UserStore {

    /** The user's row; empty when the user has none. */
    Optional<UserRecord> find(String uid);

    /**
     * Stores the verified number and when it was verified.
     *
     * @throws AccountDeletionPending when a deletion is pending (nothing stored)
     */
    void setPhone(String uid, String phone, Instant at);

    /**
     * Adds the column of a session ({@code idHash}: the SHA-256 hex of its id) and drops the columns of
     * {@code expiredIdHashes}, in one write.
     *
     * @throws AccountDeletionPending when a deletion is pending (nothing written)
     */
    void addSession(String uid, String idHash, Instant expiresAt, Collection<String> expiredIdHashes);

    /** Sets deletingSince unless already set (keeps the earliest); creates the row when there is none. */
    void markDeleting(String uid, Instant since);

    /** Deletes the whole row; a missing row is not an error. */
    void delete(String uid);
}
