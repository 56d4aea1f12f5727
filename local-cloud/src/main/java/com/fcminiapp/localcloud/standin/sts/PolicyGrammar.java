package com.fcminiapp.localcloud.standin.sts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The grammar check RAM makes on a policy document: {@code {"Version":"1","Statement":[…]}} where each statement
 * has an {@code Effect} of Allow or Deny, an {@code Action} (or {@code NotAction}) and a {@code Resource} (or
 * {@code NotResource}) as a string or array of strings, and an optional {@code Condition} object.
 */
final class PolicyGrammar {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> TOP_LEVEL = Set.of("Version", "Statement");
    private static final Set<String> STATEMENT_KEYS =
            Set.of("Effect", "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9*\\-]+:[A-Za-z0-9*_\\-]+");
    private static final Pattern RESOURCE = Pattern.compile("\\*|acs:[^\\s]+");

    private PolicyGrammar() {
    }

    static boolean isValid(String policy) {
        JsonNode root;
        try {
            root = JSON.readTree(policy);
        } catch (JsonProcessingException e) {
            return false;
        }
        if (root == null || !root.isObject() || !onlyKeys(root, TOP_LEVEL)) {
            return false;
        }
        JsonNode version = root.get("Version");
        JsonNode statements = root.get("Statement");
        if (version == null || !"1".equals(version.asText()) || !version.isTextual()) {
            return false;
        }
        if (statements == null || !statements.isArray() || statements.isEmpty()) {
            return false;
        }
        for (JsonNode statement : statements) {
            if (!validStatement(statement)) {
                return false;
            }
        }
        return true;
    }

    private static boolean validStatement(JsonNode statement) {
        if (!statement.isObject() || !onlyKeys(statement, STATEMENT_KEYS)) {
            return false;
        }
        JsonNode effect = statement.get("Effect");
        if (effect == null || !("Allow".equals(effect.asText()) || "Deny".equals(effect.asText()))) {
            return false;
        }
        if (!exactlyOneList(statement, "Action", "NotAction", ACTION)) {
            return false;
        }
        if (!exactlyOneList(statement, "Resource", "NotResource", RESOURCE)) {
            return false;
        }
        JsonNode condition = statement.get("Condition");
        return condition == null || condition.isObject();
    }

    private static boolean exactlyOneList(JsonNode statement, String name, String negated, Pattern item) {
        JsonNode plain = statement.get(name);
        JsonNode not = statement.get(negated);
        if ((plain == null) == (not == null)) {
            return false;
        }
        JsonNode list = plain != null ? plain : not;
        if (list.isTextual()) {
            return item.matcher(list.asText()).matches();
        }
        if (!list.isArray() || list.isEmpty()) {
            return false;
        }
        for (JsonNode element : list) {
            if (!element.isTextual() || !item.matcher(element.asText()).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean onlyKeys(JsonNode object, Set<String> allowed) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            if (!allowed.contains(names.next())) {
                return false;
            }
        }
        return true;
    }
}
