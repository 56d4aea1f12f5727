package com.fcminiapp.common.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.error.ApiException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The parser of a query's {@code where}: an object of field to condition, a condition being a value (equality)
 * or an object of {@code eq ne lt lte gt gte in prefix exists}. JSON null means "no such field":
 * {@code {"f": null}} is {@code exists: false}, {@code {"ne": null}} is {@code exists: true}.
 */
final class QueryWhere {

    private static final String OPERATORS = "eq, ne, lt, lte, gt, gte, in, prefix, exists";

    private QueryWhere() {
    }

    static Filter parse(TableDeclaration table, JsonNode where) {
        if (where == null || where.isNull()) {
            return Filter.all();
        }
        if (!where.isObject()) {
            throw ApiException.invalid("where must be an object of field to condition.");
        }
        List<Filter> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = where.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = "where." + e.getKey();
            FieldType type = fieldType(table, at, e.getKey());
            condition(table, at, e.getKey(), type, e.getValue(), parts);
        }
        return Filter.and(parts);
    }

    /** The type {@code field} is indexed with; INVALID_ARGUMENT at {@code at} when a query may not name it. */
    static FieldType fieldType(TableDeclaration table, String at, String field) {
        FieldType type = field.equals(TableDeclaration.UID) ? null : table.indexType(field);
        if (type == null) {
            throw ApiException.invalid(at + ": the field " + field + " is not indexed in table " + table.name()
                    + "; a query may name only its indexed fields (" + queryable(table) + ").");
        }
        return type;
    }

    private static String queryable(TableDeclaration table) {
        List<String> fields = new ArrayList<>(table.indexes().keySet());
        fields.remove(TableDeclaration.UID);
        return String.join(", ", fields);
    }

    private static void condition(TableDeclaration table, String at, String field, FieldType type, JsonNode c,
                                  List<Filter> parts) {
        if (!c.isObject()) {
            parts.add(equality(at, field, type, c, Cmp.EQ));
            return;
        }
        if (c.isEmpty()) {
            throw ApiException.invalid(at + ": the condition object is empty; use one or more of " + OPERATORS + ".");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            parts.add(operator(at + "." + e.getKey(), field, type, e.getKey(), e.getValue()));
        }
    }

    private static Filter operator(String at, String field, FieldType type, String op, JsonNode value) {
        switch (op) {
            case "eq":
                return equality(at, field, type, value, Cmp.EQ);
            case "ne":
                return equality(at, field, type, value, Cmp.NE);
            case "lt":
                return range(at, field, type, value, Cmp.LT);
            case "lte":
                return range(at, field, type, value, Cmp.LTE);
            case "gt":
                return range(at, field, type, value, Cmp.GT);
            case "gte":
                return range(at, field, type, value, Cmp.GTE);
            case "in":
                return in(at, field, type, value);
            case "prefix":
                return prefix(at, field, type, value);
            case "exists":
                if (!value.isBoolean()) {
                    throw ApiException.invalid(at + " must be true or false.");
                }
                return Filter.exists(field, value.booleanValue());
            default:
                throw ApiException.invalid(at + " is not an operator; use " + OPERATORS + ".");
        }
    }

    private static Filter equality(String at, String field, FieldType type, JsonNode value, Cmp cmp) {
        if (value.isNull()) {
            return Filter.exists(field, cmp == Cmp.NE);
        }
        checkElement(at, field, type, value);
        return Filter.compare(field, cmp, value);
    }

    private static Filter range(String at, String field, FieldType type, JsonNode value, Cmp cmp) {
        if (type == FieldType.BOOLEAN || type == FieldType.STRING_ARRAY) {
            throw ApiException.invalid(at + ": the field " + field + " is a " + type.wireName()
                    + "; lt, lte, gt, gte compare strings and numbers only.");
        }
        checkElement(at, field, type, value);
        return Filter.compare(field, cmp, value);
    }

    private static Filter in(String at, String field, FieldType type, JsonNode value) {
        if (!value.isArray() || value.isEmpty() || value.size() > QuerySpec.MAX_IN_VALUES) {
            throw ApiException.invalid(at + " must be an array of 1 to " + QuerySpec.MAX_IN_VALUES + " values.");
        }
        List<JsonNode> values = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            checkElement(at + "[" + i + "]", field, type, value.get(i));
            values.add(value.get(i));
        }
        return Filter.in(field, values);
    }

    private static Filter prefix(String at, String field, FieldType type, JsonNode value) {
        if (type != FieldType.STRING && type != FieldType.STRING_ARRAY) {
            throw ApiException.invalid(at + ": the field " + field + " is " + (type == FieldType.INTEGER ? "an " : "a ")
                    + type.wireName() + "; prefix is for string fields.");
        }
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw ApiException.invalid(at + " must be a non-empty string.");
        }
        return Filter.prefix(field, value.textValue());
    }

    /** A value compared with {@code field}: of its type, or a string for a string[] (an element). */
    private static void checkElement(String at, String field, FieldType type, JsonNode value) {
        FieldType element = type == FieldType.STRING_ARRAY ? FieldType.STRING : type;
        if (!element.accepts(value)) {
            String what = type == FieldType.STRING_ARRAY ? "a string (an element of the string[] field)"
                    : (type == FieldType.INTEGER ? "an " : "a ") + type.wireName();
            throw ApiException.invalid(at + " must be " + what + ", the indexed type of " + field + ".");
        }
    }
}
