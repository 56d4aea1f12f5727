package com.fcminiapp.common.users;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A user's row in the users table: the verified phone number (when one was stored), the user's sessions (each by
 * the SHA-256 hex of its id, with its expiry) and whether an account deletion is pending. Immutable.
 */
public final class UserRecord {

    private final String uid;
    private final String phone;
    private final Instant phoneAt;
    private final Map<String, Instant> sessions;
    private final Instant deletingSince;

    /** {@code phone}, {@code phoneAt} and {@code deletingSince} may be null (not set). */
    public UserRecord(String uid, String phone, Instant phoneAt, Map<String, Instant> sessions,
                      Instant deletingSince) {
        this.uid = Objects.requireNonNull(uid, "uid");
        this.phone = phone;
        this.phoneAt = phoneAt;
        this.sessions = Map.copyOf(sessions);
        this.deletingSince = deletingSince;
    }

    public String uid() {
        return uid;
    }

    /** The full verified number; never log it or answer it unmasked. */
    public Optional<String> phone() {
        return Optional.ofNullable(phone);
    }

    /** When the number was verified and stored. */
    public Optional<Instant> phoneAt() {
        return Optional.ofNullable(phoneAt);
    }

    /** idHash (SHA-256 hex of the session id) → that session's expiresAt; expired ones too, until a login drops them. */
    public Map<String, Instant> sessions() {
        return sessions;
    }

    /** Present exactly when an account deletion is pending: since when. */
    public Optional<Instant> deletingSince() {
        return Optional.ofNullable(deletingSince);
    }

    @Override
    public String toString() {
        // deliberately neither the number nor the session hashes
        return "UserRecord{uid=" + uid + ", phone=" + (phone == null ? "none" : "set") + ", sessions="
                + sessions.size() + ", deletingSince=" + deletingSince + "}";
    }
}
