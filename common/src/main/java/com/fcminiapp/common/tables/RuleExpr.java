package com.fcminiapp.common.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

/**
 * The tree of a parsed rule and its evaluation. Every node has a JSON value; a node in boolean position is true
 * only when its value is {@code true}. Missing fields are null; comparisons across types are false.
 */
abstract class RuleExpr {

    /** The value of this node for the caller {@code uid} and the row {@code doc}. */
    abstract JsonNode value(String uid, ObjectNode doc);

    /** Whether this node holds, in boolean position. */
    final boolean holds(String uid, ObjectNode doc) {
        JsonNode v = value(uid, doc);
        return v.isBoolean() && v.booleanValue();
    }

    /** Adds the {@code doc} fields this node names to {@code fields}. */
    abstract void docFields(Set<String> fields);

    static JsonNode bool(boolean b) {
        return BooleanNode.valueOf(b);
    }

    /** A literal: string, number, boolean, null or a list of those. */
    static final class Literal extends RuleExpr {
        final JsonNode value;

        Literal(JsonNode value) {
            this.value = value;
        }

        @Override
        JsonNode value(String uid, ObjectNode doc) {
            return value;
        }

        @Override
        void docFields(Set<String> fields) {
        }
    }

    /** {@code auth.uid}: the caller's uid (null when there is none). */
    static final class AuthUid extends RuleExpr {
        @Override
        JsonNode value(String uid, ObjectNode doc) {
            return uid == null ? NullNode.getInstance() : com.fasterxml.jackson.databind.node.TextNode.valueOf(uid);
        }

        @Override
        void docFields(Set<String> fields) {
        }
    }

    /** {@code doc.<field>}: the row's field, null when missing. */
    static final class DocField extends RuleExpr {
        final String field;

        DocField(String field) {
            this.field = field;
        }

        @Override
        JsonNode value(String uid, ObjectNode doc) {
            JsonNode v = doc == null ? null : doc.get(field);
            return v == null ? NullNode.getInstance() : v;
        }

        @Override
        void docFields(Set<String> fields) {
            fields.add(field);
        }
    }

    static final class Not extends RuleExpr {
        final RuleExpr part;

        Not(RuleExpr part) {
            this.part = part;
        }

        @Override
        JsonNode value(String uid, ObjectNode doc) {
            return bool(!part.holds(uid, doc));
        }

        @Override
        void docFields(Set<String> fields) {
            part.docFields(fields);
        }
    }

    /** {@code a && b && ...} ({@code and}) or {@code a || b || ...}; both short-circuit. */
    static final class Junction extends RuleExpr {
        final boolean and;
        final List<RuleExpr> parts;

        Junction(boolean and, List<RuleExpr> parts) {
            this.and = and;
            this.parts = List.copyOf(parts);
        }

        @Override
        JsonNode value(String uid, ObjectNode doc) {
            for (RuleExpr part : parts) {
                if (part.holds(uid, doc) != and) {
                    return bool(!and);
                }
            }
            return bool(and);
        }

        @Override
        void docFields(Set<String> fields) {
            for (RuleExpr part : parts) {
                part.docFields(fields);
            }
        }
    }

    /** The comparison operators of the grammar. */
    enum Op {
        EQ("=="), NE("!="), LT("<"), LTE("<="), GT(">"), GTE(">="), IN("in");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        /** The op that gives the same answer with its operands swapped ({@code a < b} is {@code b > a}). */
        Op flipped() {
            switch (this) {
                case LT:
                    return GT;
                case LTE:
                    return GTE;
                case GT:
                    return LT;
                case GTE:
                    return LTE;
                default:
                    return this;
            }
        }
    }

    static final class Comparison extends RuleExpr {
        final Op op;
        final RuleExpr left;
        final RuleExpr right;

        Comparison(Op op, RuleExpr left, RuleExpr right) {
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        JsonNode value(String uid, ObjectNode doc) {
            return bool(apply(op, left.value(uid, doc), right.value(uid, doc)));
        }

        @Override
        void docFields(Set<String> fields) {
            left.docFields(fields);
            right.docFields(fields);
        }
    }

    /** {@code a op b} on two values, by the grammar's rules. */
    static boolean apply(Op op, JsonNode a, JsonNode b) {
        switch (op) {
            case EQ:
                return RuleValues.same(a, b);
            case NE:
                return !RuleValues.same(a, b);
            case IN:
                if (!b.isArray()) {
                    return false;
                }
                for (JsonNode element : (ArrayNode) b) {
                    if (RuleValues.same(a, element)) {
                        return true;
                    }
                }
                return false;
            default:
                Integer c = RuleValues.order(a, b);
                if (c == null) {
                    return false;
                }
                return op == Op.LT ? c < 0 : op == Op.LTE ? c <= 0 : op == Op.GT ? c > 0 : c >= 0;
        }
    }
}
