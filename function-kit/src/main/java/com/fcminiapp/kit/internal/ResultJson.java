package com.fcminiapp.kit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Turns an app function's result into JSON without an ObjectMapper (common's Json is streaming-only, for cold
 * start): JsonNode, Map with String keys, Collection, String, Number, Boolean and null, nested freely. Anything else
 * is a bug in the function, refused naming only the Java type.
 */
public final class ResultJson {

    /** Deeper than this is a cycle (a map holding itself) or a mistake; no client wants it. */
    static final int MAX_DEPTH = 256;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A result with no JSON form: its message names the Java type, never a value. */
    public static final class UnsupportedResult extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedResult(String message) {
            super(message, null, false, false);
        }
    }

    private ResultJson() {
    }

    /** The JSON value of {@code result}. */
    public static JsonNode toJson(Object result) {
        return convert(result, 0);
    }

    private static JsonNode convert(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new UnsupportedResult("the result nests deeper than " + MAX_DEPTH + " levels (a cycle?)");
        }
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof JsonNode) {
            return (JsonNode) value;
        }
        if (value instanceof String) {
            return NODES.textNode((String) value);
        }
        if (value instanceof Boolean) {
            return NODES.booleanNode((Boolean) value);
        }
        if (value instanceof Number) {
            return number((Number) value);
        }
        if (value instanceof Map) {
            return object((Map<?, ?>) value, depth);
        }
        if (value instanceof Collection) {
            ArrayNode array = NODES.arrayNode();
            for (Object element : (Collection<?>) value) {
                array.add(convert(element, depth + 1));
            }
            return array;
        }
        throw unsupported(value.getClass());
    }

    private static ObjectNode object(Map<?, ?> map, int depth) {
        ObjectNode object = NODES.objectNode();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String)) {
                throw new UnsupportedResult("a Map key of type "
                        + (entry.getKey() == null ? "null" : entry.getKey().getClass().getName())
                        + " has no JSON form; use String keys");
            }
            object.set((String) entry.getKey(), convert(entry.getValue(), depth + 1));
        }
        return object;
    }

    private static JsonNode number(Number n) {
        if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return NODES.numberNode(n.intValue());
        }
        if (n instanceof Long) {
            return NODES.numberNode(n.longValue());
        }
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                throw new UnsupportedResult("a " + n.getClass().getName() + " that is not finite has no JSON form");
            }
            return n instanceof Float ? NODES.numberNode(n.floatValue()) : NODES.numberNode(d);
        }
        if (n instanceof BigInteger) {
            return NODES.numberNode((BigInteger) n);
        }
        if (n instanceof BigDecimal) {
            return NODES.numberNode((BigDecimal) n);
        }
        try {
            // AtomicLong, LongAdder and the like print as plain numbers
            return NODES.numberNode(new BigDecimal(n.toString()));
        } catch (NumberFormatException e) {
            throw unsupported(n.getClass());
        }
    }

    private static UnsupportedResult unsupported(Class<?> type) {
        return new UnsupportedResult("a result of type " + type.getName() + " has no JSON form; return a JsonNode, "
                + "Map, List, String, Number, Boolean or null");
    }
}
