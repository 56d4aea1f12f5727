package com.fcminiapp.common.users;

/**
 * Thrown by {@link UserStore#setPhone} and {@link UserStore#addSession} when the user's account deletion is pending:
 * nothing was written. Callers finish the deletion or refuse; it never reaches a client as such.
 */
public final class AccountDeletionPending extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AccountDeletionPending() {
        super("an account deletion is pending for this user", null, false, false);
    }
}
