package com.fcminiapp.session;

import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.session.SessionRecord;
import com.fcminiapp.common.session.SessionResolver;
import com.fcminiapp.common.users.AccountDeletionPending;
import com.fcminiapp.common.users.UserStore;
import com.fcminiapp.session.alipay.PhoneNumberVerifier;

import java.time.Clock;
import java.util.Optional;

/**
 * The phone action: a live session, then the number my.getPhoneNumber gave verified and decrypted, then stored in
 * the users table for app functions; the caller gets it back masked. Nothing is stored unless all of it holds.
 */
public final class PhoneService {

    /** Why there is no phone action when ALIPAY_AES_KEY is empty. */
    static final String NOT_SET_UP = "phone numbers are not set up on this deployment (ALIPAY_AES_KEY is empty)";

    private final SessionResolver sessions;
    private final Optional<PhoneNumberVerifier> verifier;
    private final UserStore users;
    private final Clock clock;

    /** {@code verifier} empty: ALIPAY_AES_KEY is not set and every phone request is refused. */
    public PhoneService(SessionResolver sessions, Optional<PhoneNumberVerifier> verifier, UserStore users,
                        Clock clock) {
        this.sessions = sessions;
        this.verifier = verifier;
        this.users = users;
        this.clock = clock;
    }

    /** Stores the verified number of the session's user and returns it masked. */
    public String phone(Object sessionId, String response) {
        SessionRecord session = sessions.require(sessionId);
        PhoneNumberVerifier opener = verifier.orElseThrow(() -> ApiException.invalid(NOT_SET_UP));
        String mobile = opener.verify(response);
        try {
            users.setPhone(session.uid(), mobile, clock.instant());
        } catch (AccountDeletionPending e) {
            // the account is being deleted: its sessions are, or are about to be, revoked
            throw ApiException.unauthenticated();
        }
        return mask(mobile);
    }

    /**
     * The number as the caller sees it: from 8 characters the first 3, a star for each hidden one, the last 4
     * ({@code 13812345678} → {@code 138****5678}); shorter, stars and the last 2.
     */
    static String mask(String number) {
        int length = number.length();
        if (length >= 8) {
            return number.substring(0, 3) + "*".repeat(length - 7) + number.substring(length - 4);
        }
        return "*".repeat(Math.max(0, length - 2)) + number.substring(Math.max(0, length - 2));
    }
}
