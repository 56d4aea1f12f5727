package com.fcminiapp.localcloud.fcapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Evaluates a RAM policy document (the inline policy of an STS key) for one action on one resource: an explicit
 * Deny wins, else some Allow must match, else it is denied. Actions match case-insensitively, resources
 * case-sensitively; {@code *} matches any run of characters and {@code ?} one. A statement with a
 * {@code Condition} is taken as not matching for Allow and as matching for Deny, since local-cloud has no request
 * context to test conditions against.
 */
public final class PolicyMatcher {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyMatcher() {
    }

    /** Whether {@code policyJson} allows {@code action} on {@code resource}; a malformed policy allows nothing. */
    public static boolean allows(String policyJson, String action, String resource) {
        JsonNode root;
        try {
            root = JSON.readTree(policyJson);
        } catch (IOException e) {
            return false;
        }
        if (root == null || !root.has("Statement")) {
            return false;
        }
        JsonNode statements = root.get("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(list::add);
        } else {
            list.add(statements);
        }
        boolean allowed = false;
        for (JsonNode statement : list) {
            String effect = statement.path("Effect").asText("");
            boolean conditional = statement.has("Condition");
            boolean matches = matchesAny(statement, "Action", "NotAction", action, true)
                    && matchesAny(statement, "Resource", "NotResource", resource, false);
            if ("Deny".equals(effect) && matches) {
                return false;
            }
            if ("Allow".equals(effect) && matches && !conditional) {
                allowed = true;
            }
        }
        return allowed;
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
        return Pattern.compile(regex.toString(), flags).matcher(ignoreCase ? value.toLowerCase(Locale.ROOT) : value)
                .matches();
    }
}
