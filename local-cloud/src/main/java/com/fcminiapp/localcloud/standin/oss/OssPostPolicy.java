package com.fcminiapp.localcloud.standin.oss;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The policy of a PostObject form: its expiration and every condition, checked against the form fields, the
 * bucket and the file's actual size, with OSS's error codes.
 */
final class OssPostPolicy {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OssPostPolicy() {
    }

    static void check(String policyBase64, Map<String, String> fields, String bucket, long fileSize, Instant now) {
        JsonNode policy;
        try {
            policy = JSON.readTree(new String(Base64.getMimeDecoder().decode(policyBase64), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | IOException e) {
            throw OssError.invalidPolicy("Invalid Policy: Invalid JSON.");
        }
        if (policy == null || !policy.isObject() || !policy.path("expiration").isTextual()) {
            throw OssError.invalidPolicy("Invalid Policy: Invalid 'expiration' value.");
        }
        Instant expiration;
        try {
            expiration = Instant.parse(policy.get("expiration").asText());
        } catch (DateTimeParseException e) {
            throw OssError.invalidPolicy("Invalid Policy: Invalid 'expiration' value: '"
                    + policy.get("expiration").asText() + "'.");
        }
        if (!now.isBefore(expiration)) {
            throw OssError.accessDenied("Invalid according to Policy: Policy expired.");
        }
        JsonNode conditions = policy.path("conditions");
        if (!conditions.isArray()) {
            throw OssError.invalidPolicy("Invalid Policy: Invalid 'conditions' value.");
        }
        for (JsonNode condition : conditions) {
            if (condition.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> it = condition.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String actual = fieldValue(e.getKey(), fields, bucket);
                    if (!actual.equals(e.getValue().asText())) {
                        throw conditionFailed("[\"eq\", \"$" + e.getKey() + "\", \"" + e.getValue().asText() + "\"]");
                    }
                }
            } else if (condition.isArray() && condition.size() == 3 && condition.get(0).isTextual()) {
                checkArrayCondition(condition, fields, bucket, fileSize);
            } else {
                throw OssError.invalidPolicy("Invalid Policy: Invalid Simple-Condition: " + condition);
            }
        }
    }

    private static void checkArrayCondition(JsonNode condition, Map<String, String> fields, String bucket,
                                            long fileSize) {
        String operator = condition.get(0).asText().toLowerCase(Locale.ROOT);
        if (operator.equals("content-length-range")) {
            JsonNode min = condition.get(1);
            JsonNode max = condition.get(2);
            if (!min.canConvertToLong() || !max.canConvertToLong() || min.asLong() < 0
                    || max.asLong() < min.asLong()) {
                throw OssError.invalidPolicy("Invalid Policy: Invalid content-length-range: " + condition);
            }
            if (fileSize > max.asLong()) {
                throw new OssError(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.")
                        .with("MaxSizeAllowed", max.asText()).with("ProposedSize", Long.toString(fileSize));
            }
            if (fileSize < min.asLong()) {
                throw new OssError(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size.")
                        .with("MinSizeAllowed", min.asText()).with("ProposedSize", Long.toString(fileSize));
            }
            return;
        }
        String field = condition.get(1).asText();
        if (!field.startsWith("$")) {
            throw OssError.invalidPolicy("Invalid Policy: Invalid Condition: " + condition);
        }
        String actual = fieldValue(field.substring(1), fields, bucket);
        JsonNode expected = condition.get(2);
        boolean holds;
        switch (operator) {
            case "eq":
                holds = actual.equals(expected.asText());
                break;
            case "starts-with":
                holds = actual.startsWith(expected.asText());
                break;
            case "in":
            case "not-in":
                if (!expected.isArray()) {
                    throw OssError.invalidPolicy("Invalid Policy: Invalid Condition: " + condition);
                }
                boolean found = false;
                for (JsonNode candidate : expected) {
                    found |= actual.equals(candidate.asText());
                }
                holds = operator.equals("in") == found;
                break;
            default:
                throw OssError.invalidPolicy("Invalid Policy: Unknown condition operator: " + condition.get(0));
        }
        if (!holds) {
            throw conditionFailed(condition.toString().replace("\",\"", "\", \""));
        }
    }

    private static String fieldValue(String name, Map<String, String> fields, String bucket) {
        if (name.equalsIgnoreCase("bucket")) {
            return bucket;
        }
        String value = fields.get(name);
        return value == null ? "" : value;
    }

    private static OssError conditionFailed(String condition) {
        return OssError.accessDenied("Invalid according to Policy: Policy Condition failed: " + condition);
    }
}
