package com.fcminiapp.common.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * What a search index would answer for one row: the tests' reference reading of a {@link Filter} (on an array
 * field, equality, in and prefix match when an element does).
 */
final class FilterMatch implements Filter.Visitor<Boolean> {

    private final ObjectNode row;

    private FilterMatch(ObjectNode row) {
        this.row = row;
    }

    static boolean matches(Filter filter, ObjectNode row) {
        return filter.accept(new FilterMatch(row));
    }

    @Override
    public Boolean all() {
        return true;
    }

    @Override
    public Boolean and(List<Filter> parts) {
        return parts.stream().allMatch(p -> p.accept(this));
    }

    @Override
    public Boolean or(List<Filter> parts) {
        return parts.stream().anyMatch(p -> p.accept(this));
    }

    @Override
    public Boolean not(Filter part) {
        return !part.accept(this);
    }

    @Override
    public Boolean compare(String field, Cmp cmp, JsonNode value) {
        JsonNode v = row.get(field);
        if (cmp == Cmp.NE) {
            return !compare(field, Cmp.EQ, value);
        }
        if (v == null) {
            return false;
        }
        if (v.isArray()) {
            for (JsonNode element : v) {
                if (one(element, cmp, value)) {
                    return true;
                }
            }
            return false;
        }
        return one(v, cmp, value);
    }

    private static boolean one(JsonNode v, Cmp cmp, JsonNode value) {
        if (cmp == Cmp.EQ) {
            return RuleValues.same(v, value);
        }
        Integer c = RuleValues.order(v, value);
        if (c == null) {
            return false;
        }
        return cmp == Cmp.LT ? c < 0 : cmp == Cmp.LTE ? c <= 0 : cmp == Cmp.GT ? c > 0 : c >= 0;
    }

    @Override
    public Boolean in(String field, List<JsonNode> values) {
        return values.stream().anyMatch(x -> compare(field, Cmp.EQ, x));
    }

    @Override
    public Boolean prefix(String field, String prefix) {
        JsonNode v = row.get(field);
        if (v == null) {
            return false;
        }
        if (v.isArray()) {
            for (JsonNode element : v) {
                if (element.isTextual() && element.textValue().startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }
        return v.isTextual() && v.textValue().startsWith(prefix);
    }

    @Override
    public Boolean exists(String field, boolean exists) {
        return (row.get(field) != null) == exists;
    }
}
