package com.fcminiapp.session.sts;

import java.time.Instant;

/** STS credentials as the client receives them: {@code AccessKeyId}, secret, token and their expiry. */
public final class TemporaryCredentials {

    private final String accessKeyId;
    private final String accessKeySecret;
    private final String securityToken;
    private final Instant expiration;

    public TemporaryCredentials(String accessKeyId, String accessKeySecret, String securityToken, Instant expiration) {
        this.accessKeyId = accessKeyId;
        this.accessKeySecret = accessKeySecret;
        this.securityToken = securityToken;
        this.expiration = expiration;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String accessKeySecret() {
        return accessKeySecret;
    }

    public String securityToken() {
        return securityToken;
    }

    public Instant expiration() {
        return expiration;
    }

    @Override
    public String toString() {
        return "TemporaryCredentials{accessKeyId=" + accessKeyId + ", expiration=" + expiration + "}";
    }
}
