package com.fcminiapp.localcloud.ram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Evaluates RAM policy documents for one action on one resource as RAM does: an explicit Deny in any document
 * wins, else some Allow must match, else it is denied (implicit deny). Actions match case-insensitively,
 * resources case-sensitively; {@code *} matches any run of characters and {@code ?} one; {@code NotAction} /
 * {@code NotResource} match what their list does not. A statement with a {@code Condition} is taken as not
 * matching for Allow and as matching for Deny, since local-cloud has no request context to test conditions
 * against (so a condition can only make local-cloud stricter than the cloud, never looser).
 */
public final class PolicyEvaluator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private enum Decision { DENY, ALLOW, NONE }

    private PolicyEvaluator() {
    }

    /** Whether {@code policyJson} allows {@code action} on {@code resource}; a malformed policy allows nothing. */
    public static boolean allows(String policyJson, String action, String resource) {
        return allowsAll(List.of(policyJson), action, resource);
    }

    /**
     * Whether the union of {@code policies} (the documents attached to one identity) allows {@code action} on
     * {@code resource}: no Deny in any of them matches, and an Allow in one of them does.
     */
    public static boolean allowsAll(Collection<String> policies, String action, String resource) {
        boolean allowed = false;
        for (String policy : policies) {
            Decision decision = evaluate(policy, action, resource);
            if (decision == Decision.DENY) {
                return false;
            }
            allowed |= decision == Decision.ALLOW;
        }
        return allowed;
    }

    private static Decision evaluate(String policyJson, String action, String resource) {
        List<JsonNode> statements = statements(policyJson);
        Decision decision = Decision.NONE;
        for (JsonNode statement : statements) {
            String effect = statement.path("Effect").asText("");
            boolean matches = matchesAny(statement, "Action", "NotAction", action, true)
                    && matchesAny(statement, "Resource", "NotResource", resource, false);
            if ("Deny".equals(effect) && matches) {
                return Decision.DENY;
            }
            if ("Allow".equals(effect) && matches && !statement.has("Condition")) {
                decision = Decision.ALLOW;
            }
        }
        return decision;
    }

    private static List<JsonNode> statements(String policyJson) {
        List<JsonNode> list = new ArrayList<>();
        JsonNode root;
        try {
            root = policyJson == null ? null : JSON.readTree(policyJson);
        } catch (IOException e) {
            return list;
        }
        JsonNode statements = root == null ? null : root.get("Statement");
        if (statements != null && statements.isArray()) {
            statements.forEach(list::add);
        } else if (statements != null && statements.isObject()) {
            list.add(statements);
        }
        return list;
    }

    private static boolean matchesAny(JsonNode statement, String field, String negated, String value,
                                      boolean ignoreCase) {
        if (statement.has(field)) {
            return anyPattern(statement.get(field), value, ignoreCase);
        }
        if (statement.has(negated)) {
            return !anyPattern(statement.get(negated), value, ignoreCase);
        }
        return false;
    }

    private static boolean anyPattern(JsonNode patterns, String value, boolean ignoreCase) {
        if (patterns.isTextual()) {
            return wildcard(patterns.asText(), value, ignoreCase);
        }
        for (JsonNode p : patterns) {
            if (p.isTextual() && wildcard(p.asText(), value, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code value} matches {@code pattern} with {@code *} and {@code ?} wildcards. */
    public static boolean wildcard(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return Pattern.compile(regex.toString(), flags).matcher(value).matches();
    }
}
