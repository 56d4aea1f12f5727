package com.fcminiapp.localcloud.standin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The AccessKeys every stand-in accepts: long-lived ones (the functions' execution role) and the temporary
 * ones the STS stand-in issues, with their security token, expiry and inline policy. Stand-ins check a
 * request's signature against the secret found here, as the real services check it against RAM.
 */
public final class CredentialRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /** One AccessKey. {@code securityToken}, {@code expiration}, {@code policy} are null for long-lived keys. */
    public static final class Credential {
        public String accessKeyId;
        public String accessKeySecret;
        public String securityToken;
        public Instant expiration;
        /** The inline policy given to AssumeRole, as JSON text; null when none. */
        public String policy;
        public String roleArn;
        public String roleSessionName;

        public Credential() {
        }

        public Credential(String accessKeyId, String accessKeySecret, String securityToken) {
            this.accessKeyId = accessKeyId;
            this.accessKeySecret = accessKeySecret;
            this.securityToken = securityToken;
        }

        public boolean isTemporary() {
            return securityToken != null;
        }

        public boolean isExpiredAt(Instant now) {
            return expiration != null && !now.isBefore(expiration);
        }
    }

    private final MVMap<String, String> keys;
    private final DurableStore durability;
    private final Clock clock;

    /**
     * Keeps the keys in {@code store} (map {@code credentials}), so issued STS keys survive a restart, even a
     * crash: a key is on disk before it is handed out.
     */
    public CredentialRegistry(MVStore store, Clock clock) {
        this.keys = store.openMap("credentials");
        this.durability = new DurableStore(store);
        this.clock = clock;
    }

    /** An in-memory registry on the system clock. */
    public static CredentialRegistry inMemory() {
        return new CredentialRegistry(new MVStore.Builder().open(), Clock.systemUTC());
    }

    public Clock clock() {
        return clock;
    }

    /** Adds (or replaces) a key, e.g. the execution role's key handed to a function's Context. */
    public Credential register(Credential credential) {
        keys.put(credential.accessKeyId, write(credential));
        durability.written();
        return credential;
    }

    /** A new long-lived key with a random secret and no token. */
    public Credential createPermanent(String accessKeyIdPrefix) {
        return register(new Credential(accessKeyIdPrefix + random(16), random(30), null));
    }

    /** A new temporary key as STS issues it: {@code STS.}-prefixed id, a token, an expiry and a policy. */
    public Credential issueTemporary(String roleArn, String roleSessionName, String policy, Duration duration) {
        Credential c = new Credential("STS." + random(24), random(40), "CAIS" + random(200));
        c.expiration = clock.instant().plus(duration).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        c.policy = policy;
        c.roleArn = roleArn;
        c.roleSessionName = roleSessionName;
        return register(c);
    }

    public Optional<Credential> find(String accessKeyId) {
        if (accessKeyId == null) {
            return Optional.empty();
        }
        String json = keys.get(accessKeyId);
        return json == null ? Optional.empty() : Optional.of(read(json));
    }

    /** Forgets a key. */
    public void remove(String accessKeyId) {
        keys.remove(accessKeyId);
        durability.written();
    }

    private static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALNUM[RANDOM.nextInt(ALNUM.length)];
        }
        return new String(out);
    }

    private static String write(Credential c) {
        try {
            return JSON.writeValueAsString(new Stored(c));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Credential read(String json) {
        try {
            return JSON.readValue(json, Stored.class).toCredential();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Jackson-friendly form (Instant as epoch millis, no extra module needed). */
    static final class Stored {
        public String accessKeyId;
        public String accessKeySecret;
        public String securityToken;
        public Long expirationMillis;
        public String policy;
        public String roleArn;
        public String roleSessionName;

        Stored() {
        }

        Stored(Credential c) {
            accessKeyId = c.accessKeyId;
            accessKeySecret = c.accessKeySecret;
            securityToken = c.securityToken;
            expirationMillis = c.expiration == null ? null : c.expiration.toEpochMilli();
            policy = c.policy;
            roleArn = c.roleArn;
            roleSessionName = c.roleSessionName;
        }

        Credential toCredential() {
            Credential c = new Credential(accessKeyId, accessKeySecret, securityToken);
            c.expiration = expirationMillis == null ? null : Instant.ofEpochMilli(expirationMillis);
            c.policy = policy;
            c.roleArn = roleArn;
            c.roleSessionName = roleSessionName;
            return c;
        }
    }

    /** Base64 of random bytes; for stand-ins that need opaque ids. */
    public static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
