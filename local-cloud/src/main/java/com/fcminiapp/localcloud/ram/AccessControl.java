package com.fcminiapp.localcloud.ram;

import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;

/** Decides whether an authenticated AccessKey may perform an action on a resource (RAM's authorization step). */
public interface AccessControl {

    /**
     * No authorization beyond the signature: what a stand-in does when nobody gave it roles (the functions' own
     * test fixtures, which sign with keys of made-up roles). local-cloud itself always uses {@link RamRoles}.
     */
    AccessControl SIGNATURE_ONLY = (key, action, resource, context) -> true;

    /** Whether {@code key} may perform {@code action} (e.g. {@code oss:GetObject}) on {@code resource} (an ARN). */
    default boolean allows(Credential key, String action, String resource) {
        return allows(key, action, resource, java.util.Map.of());
    }

    /**
     * As {@link #allows(Credential, String, String)}, with the request's condition keys (e.g. {@code oss:Prefix} →
     * the listing's prefix), which RAM tests a statement's {@code Condition} against.
     */
    boolean allows(Credential key, String action, String resource, java.util.Map<String, String> context);
}
