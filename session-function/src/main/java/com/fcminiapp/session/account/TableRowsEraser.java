package com.fcminiapp.session.account;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.BatchWriteRowRequest;
import com.alicloud.openservices.tablestore.model.BatchWriteRowResponse;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.Condition;
import com.alicloud.openservices.tablestore.model.Direction;
import com.alicloud.openservices.tablestore.model.GetRangeRequest;
import com.alicloud.openservices.tablestore.model.GetRangeResponse;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.RangeRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.RowDeleteChange;
import com.alicloud.openservices.tablestore.model.RowExistenceExpectation;
import com.alicloud.openservices.tablestore.model.condition.SingleColumnValueCondition;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.tables.TableDeclaration;
import com.fcminiapp.common.tables.TablesDeclaration;
import com.fcminiapp.common.tablestore.TablestoreErrors;

import java.util.ArrayList;
import java.util.List;

/**
 * The Tablestore part of an account deletion: every row a user owns in every declared table (DATA_TABLES) and in
 * every table only app functions name (the session function's APP_TABLES, private as the kit lays them out). A
 * private table's rows are the user's partition {@code uid=<uid>}; a shared table's are the rows of partition {@code uid="*"} whose
 * {@code _owner} is the user, each deleted on the condition that it still is. Rows are read a page at a time and
 * deleted in BatchWriteRow requests of at most {@link #BATCH_ROWS}. Not the search index: it follows the table.
 */
final class TableRowsEraser {

    /** Tablestore's most rows in one BatchWriteRow; also the page size of the reads feeding it. */
    static final int BATCH_ROWS = 200;
    /** The server-managed owner column of a shared table's row (contract "Shared tables"). */
    static final String OWNER = "_owner";
    private static final String UID = TableDeclaration.UID;
    private static final String ID = TableDeclaration.ID;
    /** The one partition of a shared table's rows (no Alipay uid is {@code *}). */
    private static final String SHARED = "*";

    private final SyncClient client;
    private final TablesDeclaration tables;
    private final List<String> appTables;

    /** @param appTables the tables outside {@code tables} that app functions keep per user (private partitions) */
    TableRowsEraser(SyncClient client, TablesDeclaration tables, List<String> appTables) {
        this.client = client;
        this.tables = tables;
        this.appTables = List.copyOf(appTables);
    }

    /**
     * Deletes every row of {@code uid} in every declared table, then in every app table; UPSTREAM_UNAVAILABLE when
     * Tablestore fails.
     */
    void erase(String uid) {
        for (TableDeclaration table : tables.tables()) {
            if (table.shared()) {
                eraseOwned(table.name(), uid);
            } else {
                erasePartition(table.name(), uid);
            }
        }
        for (String table : appTables) {
            erasePartition(table, uid);
        }
    }

    /** The partition {@code uid}: read primary keys only, delete each page. */
    private void erasePartition(String table, String uid) {
        RangeRowQueryCriteria range = range(table, uid, ID);
        while (range != null) {
            GetRangeResponse page = read(range);
            List<PrimaryKey> keys = new ArrayList<>();
            for (Row row : page.getRows()) {
                keys.add(row.getPrimaryKey());
            }
            delete(table, keys, null);
            range = next(range, page);
        }
    }

    /** The rows of partition {@code *} owned by {@code uid}: read {@code _owner} only, delete in full batches. */
    private void eraseOwned(String table, String uid) {
        RangeRowQueryCriteria range = range(table, SHARED, OWNER);
        List<PrimaryKey> owned = new ArrayList<>();
        while (range != null) {
            GetRangeResponse page = read(range);
            for (Row row : page.getRows()) {
                if (row.getLatestColumn(OWNER) != null && uid.equals(row.getLatestColumn(OWNER).getValue().asString())) {
                    owned.add(row.getPrimaryKey());
                }
                if (owned.size() == BATCH_ROWS) {
                    delete(table, owned, uid);
                    owned.clear();
                }
            }
            range = next(range, page);
        }
        delete(table, owned, uid);
    }

    private static RangeRowQueryCriteria range(String table, String partition, String column) {
        RangeRowQueryCriteria range = new RangeRowQueryCriteria(table);
        range.setInclusiveStartPrimaryKey(PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn(UID, PrimaryKeyValue.fromString(partition))
                .addPrimaryKeyColumn(ID, PrimaryKeyValue.INF_MIN).build());
        range.setExclusiveEndPrimaryKey(PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn(UID, PrimaryKeyValue.fromString(partition))
                .addPrimaryKeyColumn(ID, PrimaryKeyValue.INF_MAX).build());
        range.setDirection(Direction.FORWARD);
        range.setMaxVersions(1);
        range.setLimit(BATCH_ROWS);
        // a primary key column alone returns the key only; _owner returns just what the check needs
        range.addColumnsToGet(column);
        return range;
    }

    private GetRangeResponse read(RangeRowQueryCriteria range) {
        try {
            return client.getRange(new GetRangeRequest(range));
        } catch (RuntimeException e) {
            throw TablestoreErrors.unavailable(e);
        }
    }

    /** The same range from where {@code page} stopped; null after the last page. */
    private static RangeRowQueryCriteria next(RangeRowQueryCriteria range, GetRangeResponse page) {
        if (page.getNextStartPrimaryKey() == null) {
            return null;
        }
        range.setInclusiveStartPrimaryKey(page.getNextStartPrimaryKey());
        return range;
    }

    /**
     * One BatchWriteRow deleting {@code keys} (at most {@link #BATCH_ROWS}); with {@code owner}, each on the condition
     * that its {@code _owner} still is the owner (a failed condition: the row is gone already, nothing to do).
     */
    private void delete(String table, List<PrimaryKey> keys, String owner) {
        if (keys.isEmpty()) {
            return;
        }
        BatchWriteRowRequest batch = new BatchWriteRowRequest();
        for (PrimaryKey key : keys) {
            RowDeleteChange change = new RowDeleteChange(table, key);
            Condition condition = new Condition(RowExistenceExpectation.IGNORE);
            if (owner != null) {
                SingleColumnValueCondition ownedBy = new SingleColumnValueCondition(OWNER,
                        SingleColumnValueCondition.CompareOperator.EQUAL, ColumnValue.fromString(owner));
                ownedBy.setPassIfMissing(false);
                ownedBy.setLatestVersionsOnly(true);
                condition.setColumnCondition(ownedBy);
            }
            change.setCondition(condition);
            batch.addRowChange(change);
        }
        BatchWriteRowResponse response;
        try {
            response = client.batchWriteRow(batch);
        } catch (RuntimeException e) {
            throw TablestoreErrors.unavailable(e);
        }
        for (BatchWriteRowResponse.RowResult failed : response.getFailedRows()) {
            if (!TablestoreErrors.CONDITION_CHECK_FAIL.equals(failed.getError().getCode())) {
                throw ApiException.upstream("Tablestore", null);
            }
        }
    }
}
