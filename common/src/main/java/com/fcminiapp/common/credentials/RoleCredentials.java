package com.fcminiapp.common.credentials;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.Credentials;

import java.util.Objects;

/**
 * The function's execution-role credentials (AccessKey, secret, security token), taken from FC's
 * {@link Context}. SDK clients are built once per instance and read the current key through this holder, so the
 * key FC rotates reaches them without rebuilding a client. Never a long-lived AccessKey.
 */
public final class RoleCredentials {

    /** One consistent key; {@code securityToken} may be null only outside FC (a permanent test key). */
    public static final class Key {
        private final String accessKeyId;
        private final String accessKeySecret;
        private final String securityToken;

        public Key(String accessKeyId, String accessKeySecret, String securityToken) {
            this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
            this.accessKeySecret = Objects.requireNonNull(accessKeySecret, "accessKeySecret");
            this.securityToken = securityToken;
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

        @Override
        public String toString() {
            return "Key{accessKeyId=" + accessKeyId + "}";
        }
    }

    private volatile Key current;

    /** Takes the key FC hands this invocation (or the initializer); a no-op when the context has none. */
    public void refreshFrom(Context context) {
        Credentials c = context == null ? null : context.getExecutionCredentials();
        if (c != null && c.getAccessKeyId() != null && c.getAccessKeySecret() != null) {
            Key known = current;
            if (known == null || !known.accessKeyId.equals(c.getAccessKeyId())
                    || !Objects.equals(known.securityToken, c.getSecurityToken())) {
                current = new Key(c.getAccessKeyId(), c.getAccessKeySecret(), c.getSecurityToken());
            }
        }
    }

    public void set(Key key) {
        current = key;
    }

    /** The current key; fails when the function has none (a service without a role). */
    public Key current() {
        Key key = current;
        if (key == null) {
            throw new IllegalStateException(
                    "no execution credentials: give the FC service (2.0) or function (3.0) a role");
        }
        return key;
    }

    public boolean isPresent() {
        return current != null;
    }
}
