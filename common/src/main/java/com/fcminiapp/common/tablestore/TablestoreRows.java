package com.fcminiapp.common.tablestore;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;

/** Single-row reads shared by every store over Tablestore (sessions, users, the kit's rows). */
public final class TablestoreRows {

    private TablestoreRows() {
    }

    /**
     * The row at {@code key} (latest version of each column), or null when there is none; an SDK failure is
     * UPSTREAM_UNAVAILABLE.
     */
    public static Row read(SyncClient client, String table, PrimaryKey key) {
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(table, key);
        criteria.setMaxVersions(1);
        Row row;
        try {
            row = client.getRow(new GetRowRequest(criteria)).getRow();
        } catch (RuntimeException e) {
            throw TablestoreErrors.unavailable(e);
        }
        return row == null || row.isEmpty() ? null : row;
    }
}
