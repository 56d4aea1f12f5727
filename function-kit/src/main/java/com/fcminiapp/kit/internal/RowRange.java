package com.fcminiapp.kit.internal;

import com.alicloud.openservices.tablestore.model.Direction;
import com.alicloud.openservices.tablestore.model.GetRangeResponse;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.Row;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of one partition whose id starts with a prefix, in id order (or reversed), read with GetRange pages: what
 * {@code list} pages through. Only the partition it is made with is ever in its key range.
 */
final class RowRange {

    private final RowStore store;
    private final String table;
    private final String uid;
    private final String prefix;
    private final boolean reverse;
    private final String prefixEnd;

    RowRange(RowStore store, String table, String uid, String prefix, boolean reverse) {
        this.store = store;
        this.table = table;
        this.uid = uid;
        this.prefix = prefix;
        this.reverse = reverse;
        this.prefixEnd = prefix.isEmpty() ? null : successor(prefix);
    }

    /** Up to {@code wanted} rows after the id {@code cursor} (null: from the start). */
    List<Row> page(String cursor, int wanted) {
        PrimaryKey start = start(cursor);
        PrimaryKey end = reverse ? RowStore.bound(uid, PrimaryKeyValue.INF_MIN)
                : prefixEnd != null ? RowStore.key(uid, prefixEnd) : RowStore.bound(uid, PrimaryKeyValue.INF_MAX);
        List<Row> rows = new ArrayList<>();
        boolean done = false;
        while (!done && rows.size() < wanted) {
            GetRangeResponse response = store.range(table, start, end,
                    reverse ? Direction.BACKWARD : Direction.FORWARD, wanted - rows.size() + 1);
            for (Row row : response.getRows()) {
                String id = RowService.idOf(row);
                if (id.equals(cursor) || id.equals(prefixEnd)) {
                    continue;
                }
                if (!id.startsWith(prefix)) {
                    done = true;
                    break;
                }
                rows.add(row);
                if (rows.size() == wanted) {
                    break;
                }
            }
            start = response.getNextStartPrimaryKey();
            done |= start == null;
        }
        return rows;
    }

    private PrimaryKey start(String cursor) {
        if (cursor != null) {
            return RowStore.key(uid, cursor);
        }
        if (!reverse) {
            return prefix.isEmpty() ? RowStore.bound(uid, PrimaryKeyValue.INF_MIN) : RowStore.key(uid, prefix);
        }
        return prefixEnd != null ? RowStore.key(uid, prefixEnd) : RowStore.bound(uid, PrimaryKeyValue.INF_MAX);
    }

    /** The smallest string above every string starting with {@code prefix} (code-point order = UTF-8 order). */
    static String successor(String prefix) {
        int[] cps = prefix.codePoints().toArray();
        for (int i = cps.length - 1; i >= 0; i--) {
            int cp = cps[i] + 1;
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                cp = Character.MAX_SURROGATE + 1;
            }
            if (cp <= Character.MAX_CODE_POINT) {
                StringBuilder out = new StringBuilder();
                for (int j = 0; j < i; j++) {
                    out.appendCodePoint(cps[j]);
                }
                return out.appendCodePoint(cp).toString();
            }
        }
        return null;
    }
}
