package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyColumn;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;

import java.nio.charset.StandardCharsets;

/**
 * Encodes a primary key as a string whose natural {@link String#compareTo} order is Tablestore's row order:
 * columns in schema order, integers as signed numbers, strings and binaries by unsigned bytes. Every char is
 * in 0..255 except {@link #AFTER_EVERYTHING}, which only range bounds use.
 */
final class PrimaryKeyOrder {

    /** Sorts after every encoded column value; stands for INF_MAX in a range bound. */
    static final char AFTER_EVERYTHING = '\u0100';

    private PrimaryKeyOrder() {
    }

    /** The storage key of a complete primary key (no INF_MIN / INF_MAX). */
    static String key(PrimaryKey primaryKey) {
        StringBuilder out = new StringBuilder();
        for (PrimaryKeyColumn column : primaryKey.getPrimaryKeyColumns()) {
            appendValue(out, column.getValue());
        }
        return out.toString();
    }

    /**
     * A range bound: INF_MIN ends the bound just before every key sharing the columns before it, INF_MAX just
     * after them; the columns after an infinite one cannot change the position any more.
     */
    static String bound(PrimaryKey primaryKey) {
        StringBuilder out = new StringBuilder();
        for (PrimaryKeyColumn column : primaryKey.getPrimaryKeyColumns()) {
            PrimaryKeyValue value = column.getValue();
            if (value.isInfMin()) {
                return out.toString();
            }
            if (value.isInfMax()) {
                return out.append(AFTER_EVERYTHING).toString();
            }
            appendValue(out, value);
        }
        return out.toString();
    }

    /**
     * The storage keys of every row whose first primary-key column is the string {@code value}: from the first
     * (inclusive) to the second (exclusive), for {@code subMap}.
     */
    static String[] firstColumnRange(String value) {
        StringBuilder out = new StringBuilder();
        appendBytes(out, value.getBytes(StandardCharsets.UTF_8));
        String start = out.toString();
        return new String[] {start, start + AFTER_EVERYTHING};
    }

    private static void appendValue(StringBuilder out, PrimaryKeyValue value) {
        switch (value.getType()) {
            case INTEGER:
                long flipped = value.asLong() ^ Long.MIN_VALUE;
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out.append((char) ((flipped >>> shift) & 0xFF));
                }
                break;
            case STRING:
                appendBytes(out, value.asStringInBytes());
                break;
            case BINARY:
                appendBytes(out, value.asBinary());
                break;
            default:
                throw OtsError.invalid("Unsupported primary key type: " + value.getType() + ".");
        }
    }

    /** Escapes 0x00 as 0x00 0xFF and ends with 0x00 0x01, so that no encoded value is a prefix of another. */
    private static void appendBytes(StringBuilder out, byte[] bytes) {
        for (byte b : bytes) {
            int unsigned = b & 0xFF;
            if (unsigned == 0) {
                out.append('\u0000').append('\u00FF');
            } else {
                out.append((char) unsigned);
            }
        }
        out.append('\u0000').append('\u0001');
    }
}
