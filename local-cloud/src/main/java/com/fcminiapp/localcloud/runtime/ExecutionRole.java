package com.fcminiapp.localcloud.runtime;

import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;

import java.time.Duration;

/**
 * The service role's temporary key that FC hands each invocation in {@code Context.getExecutionCredentials()}:
 * issued into the {@link CredentialRegistry} (so every stand-in accepts it) and renewed before it expires.
 */
public final class ExecutionRole {

    static final Duration LIFETIME = Duration.ofHours(6);
    static final Duration RENEW_BEFORE = Duration.ofHours(1);

    private final CredentialRegistry registry;
    private final String roleArn;
    private final String sessionName;
    private volatile Credential current;

    public ExecutionRole(CredentialRegistry registry, String roleArn, String sessionName) {
        this.registry = registry;
        this.roleArn = roleArn;
        this.sessionName = sessionName;
    }

    /** The key to hand the next invocation. */
    public synchronized Credential current() {
        Credential c = current;
        if (c == null || c.isExpiredAt(registry.clock().instant().plus(RENEW_BEFORE))) {
            // the old key stays in the registry until it expires, so invocations still holding it finish
            c = registry.issueTemporary(roleArn, sessionName, null, LIFETIME);
            current = c;
        }
        return c;
    }

    /** Forgets the current key (at shutdown). */
    public synchronized void retire() {
        if (current != null) {
            registry.remove(current.accessKeyId);
            current = null;
        }
    }
}
