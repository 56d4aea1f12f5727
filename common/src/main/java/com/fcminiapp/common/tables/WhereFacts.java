package com.fcminiapp.common.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a query's where says about each field of the rows it returns, from its top-level AND of conditions (an OR
 * or a NOT tells nothing here, which only makes fewer atoms implied): the finite set of values equality and
 * {@code in} allow, range bounds, values excluded by {@code ne}, and whether the field must be present. It decides
 * exactly when it can whether every such row satisfies a rule atom on one field; otherwise the answer is "not
 * implied".
 */
final class WhereFacts {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    /** The facts of one field. */
    private static final class Field {
        List<JsonNode> finite;
        JsonNode lower;
        boolean lowerInclusive;
        JsonNode upper;
        boolean upperInclusive;
        boolean present;
        boolean missing;
        final List<JsonNode> excluded = new ArrayList<>();
        final List<JsonNode> held = new ArrayList<>();
    }

    private final TableDeclaration table;
    private final Map<String, Field> fields = new HashMap<>();

    private WhereFacts(TableDeclaration table) {
        this.table = table;
    }

    static WhereFacts of(TableDeclaration table, Filter where) {
        WhereFacts facts = new WhereFacts(table);
        facts.add(where);
        return facts;
    }

    private void add(Filter where) {
        where.accept(new Collector());
    }

    /** Whether every row the where can return satisfies {@code literal}, whose only doc field is {@code field}. */
    boolean implies(String uid, RuleDnf.Literal literal, String field) {
        Field f = fields.get(field);
        FieldType type = table.indexType(field);
        if (f == null || type == null) {
            return false;
        }
        if (type == FieldType.STRING_ARRAY) {
            return impliesOnArray(uid, literal, field, f);
        }
        if (f.finite != null) {
            return holdsForAll(uid, literal, field, candidates(f));
        }
        return impliesByBounds(uid, literal, field, f);
    }

    private boolean holdsForAll(String uid, RuleDnf.Literal literal, String field, List<JsonNode> values) {
        for (JsonNode v : values) {
            ObjectNode doc = NODES.objectNode();
            if (!v.isNull()) {
                doc.set(field, v);
            }
            if (!literal.holds(uid, doc)) {
                return false;
            }
        }
        return true;
    }

    /** The values of the finite set that the other facts of the field leave possible. */
    private static List<JsonNode> candidates(Field f) {
        List<JsonNode> kept = new ArrayList<>();
        for (JsonNode v : f.finite) {
            boolean possible = !(v.isNull() && (f.present || f.lower != null || f.upper != null))
                    && (f.lower == null || within(v, f.lower, f.lowerInclusive, 1))
                    && (f.upper == null || within(v, f.upper, f.upperInclusive, -1))
                    && f.excluded.stream().noneMatch(x -> RuleValues.same(x, v));
            if (possible) {
                kept.add(v);
            }
        }
        return kept;
    }

    /** Whether {@code v} is on the {@code side} (1: above, -1: below) of {@code bound}; unknown counts as possible. */
    private static boolean within(JsonNode v, JsonNode bound, boolean inclusive, int side) {
        Integer c = RuleValues.order(v, bound);
        return c == null || c == side || (c == 0 && inclusive);
    }

    private boolean impliesByBounds(String uid, RuleDnf.Literal literal, String field, Field f) {
        RuleExpr.Op op = normalizedOp(literal, field);
        if (op == null) {
            return false;
        }
        RuleExpr.Comparison c = (RuleExpr.Comparison) literal.atom;
        JsonNode constant = (c.left instanceof RuleExpr.DocField ? c.right : c.left).value(uid, null);
        boolean present = f.present || f.lower != null || f.upper != null;
        if (constant.isNull()) {
            return op == RuleExpr.Op.NE && present;
        }
        switch (op) {
            case NE:
                return f.excluded.stream().anyMatch(x -> RuleValues.same(x, constant))
                        || (f.lower != null && !within(constant, f.lower, f.lowerInclusive, 1))
                        || (f.upper != null && !within(constant, f.upper, f.upperInclusive, -1));
            case EQ:
                return f.lower != null && f.upper != null && f.lowerInclusive && f.upperInclusive
                        && RuleValues.same(f.lower, constant) && RuleValues.same(f.upper, constant);
            case GT:
            case GTE:
                return f.lower != null && beyond(f.lower, f.lowerInclusive, constant, op == RuleExpr.Op.GTE, 1);
            default:
                return f.upper != null && beyond(f.upper, f.upperInclusive, constant, op == RuleExpr.Op.LTE, -1);
        }
    }

    /**
     * Whether every value past {@code bound} (on {@code side}) is past {@code constant} too: for a lower bound and
     * {@code doc.f > c}, the bound is above c, or at c and exclusive.
     */
    private static boolean beyond(JsonNode bound, boolean boundInclusive, JsonNode constant, boolean atomInclusive,
                                  int side) {
        Integer c = RuleValues.order(bound, constant);
        return c != null && (c == side || (c == 0 && (atomInclusive || !boundInclusive)));
    }

    /**
     * The op of a comparison of {@code doc.<field>} with a static value, as if the field were on the left; a
     * negated == or != becomes the other (they are exact complements; negated order comparisons are not, since
     * both sides may be of different types). Null for any other literal.
     */
    private static RuleExpr.Op normalizedOp(RuleDnf.Literal literal, String field) {
        if (!(literal.atom instanceof RuleExpr.Comparison)) {
            return null;
        }
        RuleExpr.Comparison c = (RuleExpr.Comparison) literal.atom;
        boolean docLeft = isField(c.left, field) && isStatic(c.right);
        boolean docRight = isField(c.right, field) && isStatic(c.left);
        if ((!docLeft && !docRight) || c.op == RuleExpr.Op.IN) {
            return null;
        }
        RuleExpr.Op op = docLeft ? c.op : c.op.flipped();
        if (!literal.negated) {
            return op;
        }
        return op == RuleExpr.Op.EQ ? RuleExpr.Op.NE : op == RuleExpr.Op.NE ? RuleExpr.Op.EQ : null;
    }

    private boolean impliesOnArray(String uid, RuleDnf.Literal literal, String field, Field f) {
        if (f.missing) {
            return holdsForAll(uid, literal, field, List.of(NullNode.getInstance(), NODES.arrayNode()));
        }
        RuleExpr.Op op = normalizedOp(literal, field);
        if (op == RuleExpr.Op.NE) {
            RuleExpr.Comparison c = (RuleExpr.Comparison) literal.atom;
            return (f.present || !f.held.isEmpty())
                    && (c.left instanceof RuleExpr.DocField ? c.right : c.left).value(uid, null).isNull();
        }
        if (literal.negated || !(literal.atom instanceof RuleExpr.Comparison)) {
            return false;
        }
        RuleExpr.Comparison c = (RuleExpr.Comparison) literal.atom;
        if (c.op != RuleExpr.Op.IN || !isField(c.right, field) || !isStatic(c.left)) {
            return false;
        }
        JsonNode element = c.left.value(uid, null);
        return f.held.stream().anyMatch(x -> RuleValues.same(x, element));
    }

    private static boolean isField(RuleExpr e, String field) {
        return e instanceof RuleExpr.DocField && ((RuleExpr.DocField) e).field.equals(field);
    }

    private static boolean isStatic(RuleExpr e) {
        return e instanceof RuleExpr.Literal || e instanceof RuleExpr.AuthUid;
    }

    private Field field(String name) {
        return fields.computeIfAbsent(name, n -> new Field());
    }

    /** Gathers the facts of the where's top-level conditions. */
    private final class Collector implements Filter.Visitor<Void> {
        @Override
        public Void all() {
            return null;
        }

        @Override
        public Void and(List<Filter> parts) {
            for (Filter part : parts) {
                part.accept(this);
            }
            return null;
        }

        @Override
        public Void or(List<Filter> parts) {
            return null;
        }

        @Override
        public Void not(Filter part) {
            return null;
        }

        @Override
        public Void compare(String name, Cmp cmp, JsonNode value) {
            FieldType type = table.indexType(name);
            Field f = field(name);
            if (type == FieldType.STRING_ARRAY) {
                if (cmp == Cmp.EQ) {
                    f.held.add(value);
                }
                return null;
            }
            switch (cmp) {
                case EQ:
                    restrict(f, List.of(value));
                    break;
                case NE:
                    f.excluded.add(value);
                    break;
                case GT:
                case GTE:
                    lower(f, type, value, cmp == Cmp.GTE);
                    break;
                default:
                    upper(f, type, value, cmp == Cmp.LTE);
            }
            return null;
        }

        @Override
        public Void in(String name, List<JsonNode> values) {
            Field f = field(name);
            if (table.indexType(name) == FieldType.STRING_ARRAY) {
                if (values.size() == 1) {
                    f.held.add(values.get(0));
                } else {
                    f.present = true;
                }
            } else {
                restrict(f, values);
            }
            return null;
        }

        @Override
        public Void prefix(String name, String prefix) {
            field(name).present = true;
            return null;
        }

        @Override
        public Void exists(String name, boolean exists) {
            Field f = field(name);
            if (exists) {
                f.present = true;
            } else {
                f.missing = true;
                restrict(f, List.of(NullNode.getInstance()));
            }
            return null;
        }
    }

    private static void restrict(Field f, List<JsonNode> values) {
        if (f.finite == null) {
            f.finite = new ArrayList<>(values);
            return;
        }
        f.finite.removeIf(v -> values.stream().noneMatch(x -> RuleValues.same(x, v)));
    }

    private static void lower(Field f, FieldType type, JsonNode value, boolean inclusive) {
        if (type == FieldType.INTEGER && !inclusive && value.isNumber()) {
            // on whole numbers "> 10.5" and "> 10" are ">= 11"
            value = NODES.numberNode(RuleValues.decimal(value).setScale(0, RoundingMode.FLOOR).add(BigDecimal.ONE));
            inclusive = true;
        }
        Integer c = f.lower == null ? Integer.valueOf(1) : RuleValues.order(value, f.lower);
        if (c != null && (c > 0 || (c == 0 && !inclusive))) {
            f.lower = value;
            f.lowerInclusive = inclusive;
        }
    }

    private static void upper(Field f, FieldType type, JsonNode value, boolean inclusive) {
        if (type == FieldType.INTEGER && !inclusive && value.isNumber()) {
            value = NODES.numberNode(RuleValues.decimal(value).setScale(0, RoundingMode.CEILING)
                    .subtract(BigDecimal.ONE));
            inclusive = true;
        }
        Integer c = f.upper == null ? Integer.valueOf(-1) : RuleValues.order(value, f.upper);
        if (c != null && (c < 0 || (c == 0 && !inclusive))) {
            f.upper = value;
            f.upperInclusive = inclusive;
        }
    }
}
