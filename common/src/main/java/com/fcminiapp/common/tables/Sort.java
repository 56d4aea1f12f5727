package com.fcminiapp.common.tables;

import java.util.Objects;

/** One sort key of a query: an indexed, sortable field, ascending or descending. Immutable. */
public final class Sort {

    private final String field;
    private final boolean descending;

    private Sort(String field, boolean descending) {
        this.field = Objects.requireNonNull(field, "field");
        this.descending = descending;
    }

    public static Sort of(String field, boolean descending) {
        return new Sort(field, descending);
    }

    public static Sort asc(String field) {
        return new Sort(field, false);
    }

    public static Sort desc(String field) {
        return new Sort(field, true);
    }

    public String field() {
        return field;
    }

    public boolean descending() {
        return descending;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sort && field.equals(((Sort) o).field) && descending == ((Sort) o).descending;
    }

    @Override
    public int hashCode() {
        return Objects.hash(field, descending);
    }

    @Override
    public String toString() {
        return field + (descending ? " desc" : " asc");
    }
}
