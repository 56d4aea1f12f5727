package com.fcminiapp.common.tables;

/** A comparison of a {@link Filter}: a field against a value. On a {@code string[]} field EQ means "holds". */
public enum Cmp {
    EQ, NE, LT, LTE, GT, GTE
}
