package com.fcminiapp.common.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.error.ApiException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code where} and {@code orderBy} of a query or count, checked against its table's declaration (design §4):
 * only indexed fields, values of the field's type, operators that fit the type. Immutable.
 */
public final class QuerySpec {

    /** The most values an {@code in} may list. */
    public static final int MAX_IN_VALUES = 100;
    /** The most sort keys an {@code orderBy} may name. */
    public static final int MAX_SORTS = 8;

    private final Filter where;
    private final List<Sort> orderBy;

    private QuerySpec(Filter where, List<Sort> orderBy) {
        this.where = where;
        this.orderBy = List.copyOf(orderBy);
    }

    /**
     * Parses {@code where} and {@code orderBy} (each null or JSON null when absent) for {@code table}.
     *
     * @throws ApiException INVALID_ARGUMENT naming {@code where.<field>} or {@code orderBy[<i>]} and what to fix
     */
    public static QuerySpec parse(TableDeclaration table, JsonNode where, JsonNode orderBy) {
        Objects.requireNonNull(table, "table");
        return new QuerySpec(QueryWhere.parse(table, where), sorts(table, orderBy));
    }

    /** The caller's conditions, {@link Filter#all()} when none. */
    public Filter where() {
        return where;
    }

    /** The caller's sort keys, without the {@code id} tie-break (the kit adds it). */
    public List<Sort> orderBy() {
        return orderBy;
    }

    private static List<Sort> sorts(TableDeclaration table, JsonNode orderBy) {
        List<Sort> sorts = new ArrayList<>();
        if (orderBy == null || orderBy.isNull()) {
            return sorts;
        }
        if (!orderBy.isArray()) {
            throw ApiException.invalid("orderBy must be an array of [\"field\", \"asc\"|\"desc\"] pairs.");
        }
        if (orderBy.size() > MAX_SORTS) {
            throw ApiException.invalid("orderBy names more than " + MAX_SORTS + " fields.");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < orderBy.size(); i++) {
            Sort sort = sort(table, "orderBy[" + i + "]", orderBy.get(i));
            if (!seen.add(sort.field())) {
                throw ApiException.invalid("orderBy[" + i + "] names the field " + sort.field() + " a second time.");
            }
            sorts.add(sort);
        }
        return sorts;
    }

    private static Sort sort(TableDeclaration table, String at, JsonNode pair) {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
            throw ApiException.invalid(at + " must be a pair [\"field\", \"asc\"|\"desc\"].");
        }
        String field = pair.get(0).textValue();
        FieldType type = QueryWhere.fieldType(table, at, field);
        if (!type.sortable()) {
            throw ApiException.invalid(at + ": the field " + field + " of table " + table.name()
                    + " is a string[] and cannot be sorted on.");
        }
        String direction = pair.get(1).textValue();
        if (!direction.equals("asc") && !direction.equals("desc")) {
            throw ApiException.invalid(at + ": the direction must be \"asc\" or \"desc\".");
        }
        return Sort.of(field, direction.equals("desc"));
    }

    @Override
    public String toString() {
        return "QuerySpec{where=" + where + ", orderBy=" + orderBy + "}";
    }
}
