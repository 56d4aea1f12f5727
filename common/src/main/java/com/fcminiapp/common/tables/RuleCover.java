package com.fcminiapp.common.tables;

import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cover of a rules table's read rule for one query (design §3): for each disjunct of the rule's DNF, its
 * static atoms are evaluated now, {@code doc.x == auth.uid} / {@code auth.uid in doc.x} become conditions, and
 * every other atom must be implied by the caller's where, or the disjunct is unusable. The cover is the OR of the
 * usable disjuncts' conditions, so every row it lets through satisfies the rule.
 */
final class RuleCover {

    private RuleCover() {
    }

    /** The filter to AND with {@code where}, or empty when no disjunct is usable. */
    static Optional<Filter> cover(TableDeclaration t, String uid, Filter where) {
        WhereFacts facts = WhereFacts.of(t, where);
        List<Filter> usable = new ArrayList<>();
        for (List<RuleDnf.Literal> disjunct : t.readDnf()) {
            Filter conditions = disjunct(t, uid, facts, disjunct);
            if (conditions != null) {
                usable.add(conditions);
            }
        }
        return usable.isEmpty() ? Optional.empty() : Optional.of(Filter.or(usable));
    }

    /** The conditions of one disjunct, or null when it is unusable (false now, or not implied by the where). */
    private static Filter disjunct(TableDeclaration t, String uid, WhereFacts facts, List<RuleDnf.Literal> literals) {
        List<Filter> conditions = new ArrayList<>();
        for (RuleDnf.Literal literal : literals) {
            Set<String> fields = new HashSet<>();
            literal.atom.docFields(fields);
            if (fields.isEmpty()) {
                if (!literal.holds(uid, null)) {
                    return null;
                }
                continue;
            }
            String callerField = callerField(literal);
            if (callerField != null) {
                Filter condition = callerCondition(t, uid, literal, callerField);
                if (condition == null) {
                    return null;
                }
                conditions.add(condition);
            } else if (fields.size() != 1 || !facts.implies(uid, literal, fields.iterator().next())) {
                return null;
            }
        }
        return Filter.and(conditions);
    }

    /** The field of {@code doc.x == auth.uid} (either side) or {@code auth.uid in doc.x}; null for other atoms. */
    private static String callerField(RuleDnf.Literal literal) {
        if (literal.negated || !(literal.atom instanceof RuleExpr.Comparison)) {
            return null;
        }
        RuleExpr.Comparison c = (RuleExpr.Comparison) literal.atom;
        if (c.op == RuleExpr.Op.EQ) {
            if (c.left instanceof RuleExpr.DocField && c.right instanceof RuleExpr.AuthUid) {
                return ((RuleExpr.DocField) c.left).field;
            }
            if (c.right instanceof RuleExpr.DocField && c.left instanceof RuleExpr.AuthUid) {
                return ((RuleExpr.DocField) c.right).field;
            }
        }
        if (c.op == RuleExpr.Op.IN && c.left instanceof RuleExpr.AuthUid && c.right instanceof RuleExpr.DocField) {
            return ((RuleExpr.DocField) c.right).field;
        }
        return null;
    }

    /**
     * The index condition equivalent to a caller atom, or null when the atom can hold on no row of the field's
     * indexed type (a string equals no array; {@code in} needs an array), which makes its disjunct unusable.
     */
    private static Filter callerCondition(TableDeclaration t, String uid, RuleDnf.Literal literal, String field) {
        FieldType type = t.indexType(field);
        boolean in = ((RuleExpr.Comparison) literal.atom).op == RuleExpr.Op.IN;
        FieldType needed = in ? FieldType.STRING_ARRAY : FieldType.STRING;
        if (uid == null || type != needed) {
            return null;
        }
        // on a string[] field EQ means "the array holds"
        return Filter.compare(field, Cmp.EQ, TextNode.valueOf(uid));
    }
}
