package com.fcminiapp.common.tables;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule in disjunctive normal form: an OR of ANDs of (possibly negated) atoms, an atom being a comparison or a
 * value in boolean position. De Morgan holds because every node of a rule is two-valued in boolean position.
 * The number of disjuncts is bounded, so that no rule can make a query's cover explode.
 */
final class RuleDnf {

    static final int MAX_DISJUNCTS = 64;

    /** An atom, negated or not. */
    static final class Literal {
        final RuleExpr atom;
        final boolean negated;

        Literal(RuleExpr atom, boolean negated) {
            this.atom = atom;
            this.negated = negated;
        }

        boolean holds(String uid, com.fasterxml.jackson.databind.node.ObjectNode doc) {
            return atom.holds(uid, doc) != negated;
        }
    }

    /** A rule whose DNF has more than {@link #MAX_DISJUNCTS} disjuncts. */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super(null, null, false, false);
        }
    }

    private RuleDnf() {
    }

    /** The disjuncts of {@code expr}; each a list of literals that must all hold. */
    static List<List<Literal>> of(RuleExpr expr) {
        return of(expr, false);
    }

    private static List<List<Literal>> of(RuleExpr expr, boolean negated) {
        if (expr instanceof RuleExpr.Not) {
            return of(((RuleExpr.Not) expr).part, !negated);
        }
        if (expr instanceof RuleExpr.Junction) {
            RuleExpr.Junction j = (RuleExpr.Junction) expr;
            // a negated and is an or of negations (and the other way round)
            boolean product = j.and != negated;
            List<List<Literal>> result = null;
            for (RuleExpr part : j.parts) {
                List<List<Literal>> next = of(part, negated);
                result = result == null ? next : product ? product(result, next) : union(result, next);
            }
            return result;
        }
        List<List<Literal>> single = new ArrayList<>();
        single.add(List.of(new Literal(expr, negated)));
        return single;
    }

    private static List<List<Literal>> union(List<List<Literal>> a, List<List<Literal>> b) {
        if (a.size() + b.size() > MAX_DISJUNCTS) {
            throw new TooLarge();
        }
        List<List<Literal>> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<List<Literal>> product(List<List<Literal>> a, List<List<Literal>> b) {
        if ((long) a.size() * b.size() > MAX_DISJUNCTS) {
            throw new TooLarge();
        }
        List<List<Literal>> out = new ArrayList<>();
        for (List<Literal> x : a) {
            for (List<Literal> y : b) {
                List<Literal> both = new ArrayList<>(x);
                both.addAll(y);
                out.add(List.copyOf(both));
            }
        }
        return out;
    }
}
