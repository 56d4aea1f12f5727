package com.fcminiapp.kit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one {@code update} changes: fields set, unset, incremented ({@code inc}, atomic), appended to ({@code push})
 * or removed from ({@code pull}) an array, and the {@code version} it demands. Each field is named once across all of
 * them (else INVALID_ARGUMENT); a {@code null} in {@code set} unsets. Immutable once read.
 */
public final class UpdateOps {

    /** The keys of the wire's update object, in the order the messages name them. */
    public static final List<String> KEYS = List.of("set", "unset", "inc", "push", "pull", "version");

    final Map<String, JsonNode> set = new LinkedHashMap<>();
    final Set<String> unset = new LinkedHashSet<>();
    final Map<String, Long> inc = new LinkedHashMap<>();
    final Map<String, ArrayNode> push = new LinkedHashMap<>();
    final Map<String, ArrayNode> pull = new LinkedHashMap<>();
    final Long version;
    private final Set<String> named = new LinkedHashSet<>();

    private UpdateOps(Long version) {
        this.version = version;
    }

    /** Today's update: {@code set} (may be null), {@code unset}, {@code version} (may be null). */
    public static UpdateOps of(ObjectNode set, List<String> unset, Long version) {
        UpdateOps ops = new UpdateOps(version);
        for (String name : unset) {
            ops.name(name, "unset");
            ops.unset.add(name);
        }
        ops.readSet(set);
        return ops.checked();
    }

    /**
     * The wire's update object {@code {set, unset, inc, push, pull, version}} (each optional; the kit's
     * {@code Rows.update(id, ops)} takes the same); anything else in it is INVALID_ARGUMENT.
     */
    public static UpdateOps parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("The update must be an object of " + String.join(", ", KEYS) + ".");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw ApiException.invalid("An update takes " + String.join(", ", KEYS) + "; not this key.");
            }
        }
        UpdateOps ops = new UpdateOps(version(node.get("version")));
        ops.readUnset(node.get("unset"));
        ops.readSet(object(node.get("set"), "set"));
        ops.readInc(object(node.get("inc"), "inc"));
        ops.readArrays(object(node.get("push"), "push"), "push", ops.push);
        ops.readArrays(object(node.get("pull"), "pull"), "pull", ops.pull);
        return ops.checked();
    }

    /** The {@code version} of a wire object (db event or update object): null when absent, else at least 1. */
    public static Long version(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 1) {
            throw ApiException.invalid("version must be a whole number of at least 1 (an item's _version).");
        }
        return node.longValue();
    }

    /** Whether the new row depends on the stored one beyond the atomic increments (push and pull do). */
    boolean readsStored() {
        return !push.isEmpty() || !pull.isEmpty();
    }

    /** Every field this update names. */
    Set<String> fields() {
        return Collections.unmodifiableSet(named);
    }

    /** {@code item} (as read) with set, unset, push and pull applied; the increments are the store's to apply. */
    ObjectNode apply(ObjectNode item) {
        ObjectNode out = item.deepCopy();
        out.remove(unset);
        out.setAll(set);
        push.forEach((field, values) -> out.set(field, array(out, field, "push").deepCopy().addAll(values)));
        pull.forEach((field, values) -> {
            ArrayNode kept = JsonNodeFactory.instance.arrayNode();
            array(out, field, "pull").forEach(v -> {
                if (!contains(values, v)) {
                    kept.add(v);
                }
            });
            out.set(field, kept);
        });
        return out;
    }

    private static ArrayNode array(ObjectNode item, String field, String op) {
        JsonNode stored = item.get(field);
        if (stored == null || stored.isNull()) {
            return JsonNodeFactory.instance.arrayNode();
        }
        if (!stored.isArray()) {
            throw ApiException.invalid(op + "." + field + ": the stored field is not an array; " + op
                    + " works on arrays only.");
        }
        return (ArrayNode) stored;
    }

    private static boolean contains(ArrayNode values, JsonNode value) {
        for (JsonNode v : values) {
            if (v.equals(value) || (v.isNumber() && value.isNumber() && v.decimalValue().compareTo(value.decimalValue()) == 0)) {
                return true;
            }
        }
        return false;
    }

    private void readUnset(JsonNode node) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isArray()) {
            throw ApiException.invalid("unset must be an array of field names.");
        }
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw ApiException.invalid("unset must be an array of field names.");
            }
            name(element.asText(), "unset");
            unset.add(element.asText());
        }
    }

    private void readSet(ObjectNode node) {
        if (node == null) {
            return;
        }
        node.fields().forEachRemaining(f -> {
            name(f.getKey(), "set");
            if (f.getValue().isNull()) {
                unset.add(f.getKey());
            } else {
                set.put(f.getKey(), f.getValue());
            }
        });
    }

    private void readInc(ObjectNode node) {
        if (node == null) {
            return;
        }
        node.fields().forEachRemaining(f -> {
            name(f.getKey(), "inc");
            if (!f.getValue().isIntegralNumber() || !f.getValue().canConvertToLong()) {
                throw ApiException.invalid("inc." + f.getKey() + " must be a whole number (what to add).");
            }
            inc.put(f.getKey(), f.getValue().longValue());
        });
    }

    private void readArrays(ObjectNode node, String op, Map<String, ArrayNode> into) {
        if (node == null) {
            return;
        }
        node.fields().forEachRemaining(f -> {
            name(f.getKey(), op);
            if (!f.getValue().isArray()) {
                throw ApiException.invalid(op + "." + f.getKey() + " must be an array of values.");
            }
            into.put(f.getKey(), (ArrayNode) f.getValue());
        });
    }

    private void name(String field, String op) {
        if (field.equals(ItemCodec.ID)) {
            throw ApiException.invalid("id cannot be changed; put a new item and remove the old one.");
        }
        ItemCodec.checkFieldName(field);
        if (!named.add(field)) {
            throw ApiException.invalid("Field \"" + field + "\" is named twice (" + op
                    + " and another of set, unset, inc, push, pull); name each field once.");
        }
    }

    private UpdateOps checked() {
        if (named.size() > ItemCodec.MAX_FIELDS) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "An update changes at most " + ItemCodec.MAX_FIELDS + " fields.");
        }
        return this;
    }

    private static ObjectNode object(JsonNode node, String name) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw ApiException.invalid(name + " must be an object.");
        }
        return (ObjectNode) node;
    }
}
