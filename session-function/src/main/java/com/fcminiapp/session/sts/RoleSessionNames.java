package com.fcminiapp.session.sts;

import com.fcminiapp.common.session.SessionIds;

import java.util.regex.Pattern;

/** Derives STS's RoleSessionName (2–64 of {@code [A-Za-z0-9.@_-]}) from a uid, so audit logs name the user. */
public final class RoleSessionNames {

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9.@_-]{1,62}");

    private RoleSessionNames() {
    }

    public static String forUid(String uid) {
        if (ALLOWED.matcher(uid).matches()) {
            return "u-" + uid;
        }
        // a uid STS cannot carry as is: a stable digest of it
        return "h-" + SessionIds.hash(uid).substring(0, 62);
    }
}
