package com.fcminiapp.common.tables;

import java.util.Locale;

/** The db function's row ops, each asked of {@link AccessPolicy#checkOp} before it touches Tablestore. */
public enum RowOp {
    GET, LIST, QUERY, COUNT, PUT, ADD, UPDATE, REMOVE;

    /** The op's name on the wire: {@code "get"}, {@code "list"}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
