package com.fcminiapp.localcloud.ram;

import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The account's RAM roles and the policy documents attached to each, deciding as RAM does: the account owner's
 * permanent keys (no role) may do everything, like a root AccessKey; a role's key (an execution role's, or one STS
 * issued) may do what its role's policies allow AND, when it was issued with an inline policy, what that policy
 * allows too (STS: "the intersection of the policy and the role's permissions"); a role not registered here allows
 * nothing. Deny wins and nothing is allowed by default ({@link PolicyEvaluator}).
 */
public final class RamRoles implements AccessControl {

    private final Map<String, List<String>> policiesByRole = new ConcurrentHashMap<>();

    /** Creates or replaces role {@code roleArn} holding exactly {@code policies} (JSON documents). */
    public RamRoles put(String roleArn, List<String> policies) {
        policiesByRole.put(key(roleArn), List.copyOf(policies));
        return this;
    }

    /** Whether the role exists (the STS stand-in answers EntityNotExist.Role for others). */
    public boolean exists(String roleArn) {
        return policiesByRole.containsKey(key(roleArn));
    }

    /** The documents attached to the role; empty for an unknown role. */
    public List<String> policies(String roleArn) {
        return policiesByRole.getOrDefault(key(roleArn), List.of());
    }

    @Override
    public boolean allows(Credential key, String action, String resource, Map<String, String> context) {
        if (key.roleArn == null) {
            return true;
        }
        List<String> rolePolicies = policiesByRole.get(key(key.roleArn));
        if (rolePolicies == null || !PolicyEvaluator.allowsAll(rolePolicies, action, resource, context)) {
            return false;
        }
        return key.policy == null || PolicyEvaluator.allows(key.policy, action, resource, context);
    }

    /** RAM role names are case-insensitive; ARNs name them in lowercase. */
    private static String key(String roleArn) {
        return roleArn.trim().toLowerCase(Locale.ROOT);
    }
}
