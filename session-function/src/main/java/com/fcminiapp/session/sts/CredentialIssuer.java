package com.fcminiapp.session.sts;

import java.time.Duration;

/** Issues a user's temporary credentials, allowed to invoke the db function and nothing else. */
public interface CredentialIssuer {

    /**
     * @throws com.fcminiapp.common.error.ApiException UPSTREAM_UNAVAILABLE when STS fails
     */
    TemporaryCredentials issue(String uid, Duration duration);
}
