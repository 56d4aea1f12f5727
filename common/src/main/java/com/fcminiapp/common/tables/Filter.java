package com.fcminiapp.common.tables;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A where condition over indexed fields: the caller's where (from {@link QuerySpec}) or the condition the
 * {@link AccessPolicy} adds. Immutable; build it with the statics (which drop redundant {@link #all()} parts and
 * unwrap one-part and/or), walk it with {@link #accept(Visitor)}. On a {@code string[]} field, {@link Cmp#EQ},
 * {@link #in} and {@link #prefix} mean "the array holds a matching element".
 */
public abstract class Filter {

    private static final Filter ALL = new All();

    private Filter() {
    }

    /** Every row. */
    public static Filter all() {
        return ALL;
    }

    /** Rows matching every part; no part (or only {@link #all()} parts) is every row. */
    public static Filter and(List<Filter> parts) {
        List<Filter> kept = new ArrayList<>();
        for (Filter part : parts) {
            Objects.requireNonNull(part, "part");
            if (part instanceof And) {
                kept.addAll(((And) part).parts);
            } else if (!part.isAll()) {
                kept.add(part);
            }
        }
        if (kept.isEmpty()) {
            return ALL;
        }
        return kept.size() == 1 ? kept.get(0) : new And(kept);
    }

    /** Rows matching at least one part; an {@link #all()} part makes it every row. At least one part. */
    public static Filter or(List<Filter> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("or needs at least one part");
        }
        List<Filter> kept = new ArrayList<>();
        for (Filter part : parts) {
            Objects.requireNonNull(part, "part");
            if (part.isAll()) {
                return ALL;
            }
            if (part instanceof Or) {
                kept.addAll(((Or) part).parts);
            } else {
                kept.add(part);
            }
        }
        return kept.size() == 1 ? kept.get(0) : new Or(kept);
    }

    /** Rows not matching {@code part}. */
    public static Filter not(Filter part) {
        return new Not(Objects.requireNonNull(part, "part"));
    }

    /** Rows whose {@code field} compares to {@code value} as {@code cmp} says. */
    public static Filter compare(String field, Cmp cmp, JsonNode value) {
        return new Compare(Objects.requireNonNull(field, "field"), Objects.requireNonNull(cmp, "cmp"),
                Objects.requireNonNull(value, "value"));
    }

    /** Rows whose {@code field} equals (a {@code string[]}: holds) one of {@code values}. */
    public static Filter in(String field, List<JsonNode> values) {
        return new In(Objects.requireNonNull(field, "field"), List.copyOf(values));
    }

    /** Rows whose string {@code field} starts with {@code prefix}. */
    public static Filter prefix(String field, String prefix) {
        return new Prefix(Objects.requireNonNull(field, "field"), Objects.requireNonNull(prefix, "prefix"));
    }

    /** Rows that have ({@code exists}) or have not (not {@code exists}) a value in {@code field}. */
    public static Filter exists(String field, boolean exists) {
        return new Exists(Objects.requireNonNull(field, "field"), exists);
    }

    /** Whether this is {@link #all()}. */
    public final boolean isAll() {
        return this == ALL;
    }

    public abstract <R> R accept(Visitor<R> v);

    /** One method per kind of filter, to translate or inspect a filter without casts. */
    public interface Visitor<R> {
        R all();

        R and(List<Filter> parts);

        R or(List<Filter> parts);

        R not(Filter part);

        R compare(String field, Cmp cmp, JsonNode value);

        R in(String field, List<JsonNode> values);

        R prefix(String field, String prefix);

        R exists(String field, boolean exists);
    }

    private static final class All extends Filter {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.all();
        }

        @Override
        public String toString() {
            return "all";
        }
    }

    private static final class And extends Filter {
        private final List<Filter> parts;

        And(List<Filter> parts) {
            this.parts = List.copyOf(parts);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.and(parts);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof And && parts.equals(((And) o).parts);
        }

        @Override
        public int hashCode() {
            return 31 + parts.hashCode();
        }

        @Override
        public String toString() {
            return "and" + parts;
        }
    }

    private static final class Or extends Filter {
        private final List<Filter> parts;

        Or(List<Filter> parts) {
            this.parts = List.copyOf(parts);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.or(parts);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Or && parts.equals(((Or) o).parts);
        }

        @Override
        public int hashCode() {
            return 37 + parts.hashCode();
        }

        @Override
        public String toString() {
            return "or" + parts;
        }
    }

    private static final class Not extends Filter {
        private final Filter part;

        Not(Filter part) {
            this.part = part;
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.not(part);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Not && part.equals(((Not) o).part);
        }

        @Override
        public int hashCode() {
            return 41 + part.hashCode();
        }

        @Override
        public String toString() {
            return "not(" + part + ")";
        }
    }

    private static final class Compare extends Filter {
        private final String field;
        private final Cmp cmp;
        private final JsonNode value;

        Compare(String field, Cmp cmp, JsonNode value) {
            this.field = field;
            this.cmp = cmp;
            this.value = value;
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.compare(field, cmp, value);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Compare)) {
                return false;
            }
            Compare c = (Compare) o;
            return field.equals(c.field) && cmp == c.cmp && value.equals(c.value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(field, cmp, value);
        }

        @Override
        public String toString() {
            return field + " " + cmp + " " + value;
        }
    }

    private static final class In extends Filter {
        private final String field;
        private final List<JsonNode> values;

        In(String field, List<JsonNode> values) {
            this.field = field;
            this.values = values;
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.in(field, values);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof In && field.equals(((In) o).field) && values.equals(((In) o).values);
        }

        @Override
        public int hashCode() {
            return Objects.hash("in", field, values);
        }

        @Override
        public String toString() {
            return field + " IN " + values;
        }
    }

    private static final class Prefix extends Filter {
        private final String field;
        private final String prefix;

        Prefix(String field, String prefix) {
            this.field = field;
            this.prefix = prefix;
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.prefix(field, prefix);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Prefix && field.equals(((Prefix) o).field) && prefix.equals(((Prefix) o).prefix);
        }

        @Override
        public int hashCode() {
            return Objects.hash("prefix", field, prefix);
        }

        @Override
        public String toString() {
            return field + " PREFIX " + prefix;
        }
    }

    private static final class Exists extends Filter {
        private final String field;
        private final boolean exists;

        Exists(String field, boolean exists) {
            this.field = field;
            this.exists = exists;
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.exists(field, exists);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Exists && field.equals(((Exists) o).field) && exists == ((Exists) o).exists;
        }

        @Override
        public int hashCode() {
            return Objects.hash("exists", field, exists);
        }

        @Override
        public String toString() {
            return field + (exists ? " EXISTS" : " MISSING");
        }
    }
}
