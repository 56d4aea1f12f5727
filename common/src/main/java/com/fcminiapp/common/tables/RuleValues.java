package com.fcminiapp.common.tables;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/** Equality and order of JSON values as rules see them: numbers by value, strings by code point. */
final class RuleValues {

    private RuleValues() {
    }

    /** Whether {@code a} equals {@code b}: same type and value ({@code 1 == 1.0}; arrays and objects deeply). */
    static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return decimal(a).compareTo(decimal(b)) == 0;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode other = b.get(e.getKey());
                if (other == null || !same(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return a.getNodeType() == b.getNodeType() && a.equals(b);
    }

    /**
     * The order of two numbers or two strings (strings by Unicode code point, as the index orders keywords);
     * null when the two are not both numbers or both strings.
     */
    static Integer order(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return Integer.signum(decimal(a).compareTo(decimal(b)));
        }
        if (a.isTextual() && b.isTextual()) {
            return Integer.signum(codePointCompare(a.textValue(), b.textValue()));
        }
        return null;
    }

    static BigDecimal decimal(JsonNode number) {
        if (number.isIntegralNumber()) {
            return new BigDecimal(number.bigIntegerValue());
        }
        return number.isBigDecimal() ? number.decimalValue() : new BigDecimal(number.asText());
    }

    static int codePointCompare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
