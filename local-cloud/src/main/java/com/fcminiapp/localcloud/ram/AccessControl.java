package com.fcminiapp.localcloud.ram;

import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;

/** Decides whether an authenticated AccessKey may perform an action on a resource (RAM's authorization step). */
public interface AccessControl {

    /**
     * No authorization beyond the signature: what a stand-in does when nobody gave it roles (the functions' own
     * test fixtures, which sign with keys of made-up roles). local-cloud itself always uses {@link RamRoles}.
     */
    AccessControl SIGNATURE_ONLY = (key, action, resource) -> true;

    /** Whether {@code key} may perform {@code action} (e.g. {@code oss:GetObject}) on {@code resource} (an ARN). */
    boolean allows(Credential key, String action, String resource);
}
