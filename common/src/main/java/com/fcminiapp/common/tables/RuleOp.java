package com.fcminiapp.common.tables;

import java.util.Locale;

/** The four ops a {@code rules} table declares a rule for; a row op is one of them on each row it touches. */
public enum RuleOp {
    READ, CREATE, UPDATE, DELETE;

    /** The op's key in a table's {@code rules}: {@code "read"}, {@code "create"}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The op whose key is {@code s}, or null when none is. */
    public static RuleOp fromWire(String s) {
        for (RuleOp op : values()) {
            if (op.wireName().equals(s)) {
                return op;
            }
        }
        return null;
    }
}
