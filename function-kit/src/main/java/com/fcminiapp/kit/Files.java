package com.fcminiapp.kit;

/**
 * The users' files in OSS under {@code users/<uid>/}, with the db function's rules (path rules, size limits,
 * {@code $} refused, a pinned Content-Type).
 */
public interface Files {

    /** The caller's files. */
    UserFiles of(Caller caller);

    /** Server authority: another user's files. */
    UserFiles of(String uid);
}
