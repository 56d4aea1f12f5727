package com.fcminiapp.common.tables;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A parsed rule expression of a {@code rules} table (closed grammar, contract "Shared tables"): {@code auth.uid},
 * {@code doc.<field>}, literals, {@code == != < <= > >= in && || !} and parentheses. Nothing is evaluated as code.
 * Immutable and thread-safe.
 */
public final class Rule {

    private final String source;
    private final RuleExpr expr;

    private Rule(String source, RuleExpr expr) {
        this.source = source;
        this.expr = expr;
    }

    /**
     * Parses {@code source} (at most 2000 characters, nested at most 32 levels).
     *
     * @throws RuleSyntaxException naming the problem and its 0-based position
     */
    public static Rule parse(String source) {
        return new Rule(source, RuleParser.parse(source));
    }

    /** The expression as declared. */
    public String source() {
        return source;
    }

    /**
     * Whether the rule lets the caller {@code uid} (null: none) do its op on {@code doc}, the row as items look
     * (fields, {@code id}, {@code _owner}, {@code _createdAt}, ...; a missing field is null).
     */
    public boolean allows(String uid, ObjectNode doc) {
        return expr.holds(uid, doc);
    }

    /** The {@code doc} fields the rule names, in order of appearance. */
    public Set<String> docFields() {
        Set<String> fields = new LinkedHashSet<>();
        expr.docFields(fields);
        return fields;
    }

    RuleExpr expr() {
        return expr;
    }

    @Override
    public String toString() {
        return source;
    }
}
