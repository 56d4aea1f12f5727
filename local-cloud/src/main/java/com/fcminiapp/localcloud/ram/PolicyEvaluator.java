package com.fcminiapp.localcloud.ram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Evaluates RAM policy documents for one action on one resource as RAM does: an explicit Deny in any document
 * wins, else some Allow must match, else it is denied (implicit deny). Actions match case-insensitively,
 * resources case-sensitively; {@code *} matches any run of characters and {@code ?} one; {@code NotAction} /
 * {@code NotResource} match what their list does not. A {@code Condition} is tested against the request's context
 * keys (e.g. {@code oss:Prefix} of a ListObjects) with RAM's string operators {@code StringEquals},
 * {@code StringNotEquals}, {@code StringLike}, {@code StringNotLike} (every operator and key must hold, any of a
 * key's values may match); a condition naming a key the request's context lacks, or another operator, is taken as
 * not matching for Allow and as matching for Deny (so a condition local-cloud cannot test can only make it stricter
 * than the cloud, never looser).
 */
public final class PolicyEvaluator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private enum Decision { DENY, ALLOW, NONE }

    private PolicyEvaluator() {
    }

    /** Whether {@code policyJson} allows {@code action} on {@code resource}; a malformed policy allows nothing. */
    public static boolean allows(String policyJson, String action, String resource) {
        return allowsAll(List.of(policyJson), action, resource, Map.of());
    }

    /** As {@link #allows(String, String, String)}, with the request's condition keys ({@code oss:Prefix} → value). */
    public static boolean allows(String policyJson, String action, String resource, Map<String, String> context) {
        return allowsAll(List.of(policyJson), action, resource, context);
    }

    /** As {@link #allowsAll(Collection, String, String, Map)} for a request without condition keys. */
    public static boolean allowsAll(Collection<String> policies, String action, String resource) {
        return allowsAll(policies, action, resource, Map.of());
    }

    /**
     * Whether the union of {@code policies} (the documents attached to one identity) allows {@code action} on
     * {@code resource}: no Deny in any of them matches, and an Allow in one of them does.
     */
    public static boolean allowsAll(Collection<String> policies, String action, String resource,
                                    Map<String, String> context) {
        boolean allowed = false;
        for (String policy : policies) {
            Decision decision = evaluate(policy, action, resource, context);
            if (decision == Decision.DENY) {
                return false;
            }
            allowed |= decision == Decision.ALLOW;
        }
        return allowed;
    }

    private static Decision evaluate(String policyJson, String action, String resource, Map<String, String> context) {
        List<JsonNode> statements = statements(policyJson);
        Decision decision = Decision.NONE;
        for (JsonNode statement : statements) {
            String effect = statement.path("Effect").asText("");
            boolean matches = matchesAny(statement, "Action", "NotAction", action, true)
                    && matchesAny(statement, "Resource", "NotResource", resource, false);
            if (!matches) {
                continue;
            }
            Boolean condition = condition(statement.get("Condition"), context);
            if ("Deny".equals(effect) && !Boolean.FALSE.equals(condition)) {
                return Decision.DENY;
            }
            if ("Allow".equals(effect) && Boolean.TRUE.equals(condition)) {
                decision = Decision.ALLOW;
            }
        }
        return decision;
    }

    /**
     * Whether a statement's {@code Condition} holds for {@code context}: true (also when there is none), false, or
     * null when it cannot be told (an operator this evaluator does not know, a key the context lacks).
     */
    private static Boolean condition(JsonNode condition, Map<String, String> context) {
        if (condition == null) {
            return Boolean.TRUE;
        }
        if (!condition.isObject()) {
            return null;
        }
        boolean holds = true;
        for (Iterator<Map.Entry<String, JsonNode>> ops = condition.fields(); ops.hasNext(); ) {
            Map.Entry<String, JsonNode> op = ops.next();
            if (!op.getValue().isObject()) {
                return null;
            }
            for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> key = keys.next();
                String value = context.get(key.getKey());
                Boolean one = value == null ? null : operator(op.getKey(), key.getValue(), value);
                if (one == null) {
                    return null;
                }
                holds &= one;
            }
        }
        return holds;
    }

    /** One operator on one key: whether {@code value} matches any of {@code patterns}, or null for another operator. */
    private static Boolean operator(String op, JsonNode patterns, String value) {
        switch (op) {
            case "StringEquals":
                return anyEqual(patterns, value);
            case "StringNotEquals":
                return !anyEqual(patterns, value);
            case "StringLike":
                return anyPattern(patterns, value, false);
            case "StringNotLike":
                return !anyPattern(patterns, value, false);
            default:
                return null;
        }
    }

    private static boolean anyEqual(JsonNode patterns, String value) {
        if (patterns.isTextual()) {
            return patterns.asText().equals(value);
        }
        for (JsonNode p : patterns) {
            if (p.isTextual() && p.asText().equals(value)) {
                return true;
            }
        }
        return false;
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
