package com.fcminiapp.kit.internal;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.Column;
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
import com.alicloud.openservices.tablestore.model.RowExistenceExpectation;
import com.alicloud.openservices.tablestore.model.condition.SingleColumnValueCondition;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.common.tablestore.TablestoreErrors;
import com.fcminiapp.common.tablestore.TablestoreRows;

/**
 * The Tablestore side every row op shares: primary keys ({@code uid}, {@code id}), single-row and range reads with
 * their failures mapped, the write conditions (row absent, the stored {@code _version}, the stored {@code _owner}),
 * and the contract's answers to a missing row or a lost race.
 */
final class RowStore {

    static final String UID = "uid";
    static final String ID = ItemCodec.ID;
    /** The one partition of a shared table's rows (no Alipay uid is {@code *}). */
    static final String SHARED = "*";
    /** Re-reads after a lost race of an unconditional write before giving up with CONFLICT. */
    static final int MAX_ATTEMPTS = 16;

    final SyncClient client;

    RowStore(SyncClient client) {
        this.client = client;
    }

    /** The primary key of row {@code id} in partition {@code uid}. */
    static PrimaryKey key(String uid, String id) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn(UID, PrimaryKeyValue.fromString(uid))
                .addPrimaryKeyColumn(ID, PrimaryKeyValue.fromString(id)).build();
    }

    /** The key of partition {@code uid} with {@code id} a bound (INF_MIN / INF_MAX). */
    static PrimaryKey bound(String uid, PrimaryKeyValue id) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn(UID, PrimaryKeyValue.fromString(uid))
                .addPrimaryKeyColumn(ID, id).build();
    }

    /** The key with both columns a bound: the start or end of the whole table. */
    static PrimaryKey bounds(PrimaryKeyValue bound) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn(UID, bound)
                .addPrimaryKeyColumn(ID, bound).build();
    }

    /** The stored row (latest version of each column), or null when there is none. */
    Row read(String table, String uid, String id) {
        return TablestoreRows.read(client, table, key(uid, id));
    }

    /** One GetRange page of at most {@code limit} rows (latest version only), an SDK failure as UPSTREAM_UNAVAILABLE. */
    GetRangeResponse range(String table, PrimaryKey start, PrimaryKey end, Direction direction, int limit) {
        RangeRowQueryCriteria criteria = new RangeRowQueryCriteria(table);
        criteria.setInclusiveStartPrimaryKey(start);
        criteria.setExclusiveEndPrimaryKey(end);
        criteria.setDirection(direction);
        criteria.setMaxVersions(1);
        criteria.setLimit(limit);
        try {
            return client.getRange(new GetRangeRequest(criteria));
        } catch (RuntimeException e) {
            throw TablestoreErrors.unavailable(e);
        }
    }

    /** The stored {@code _version} of a read row (0 for a row written without one). */
    static long version(Row row) {
        Column column = row.getLatestColumn(ItemCodec.VERSION);
        return column == null ? 0L : column.getValue().asLong();
    }

    static Condition absent() {
        return new Condition(RowExistenceExpectation.EXPECT_NOT_EXIST);
    }

    /** The row exists with this {@code _version}: nothing changed it since it was read. */
    static Condition versionIs(long version) {
        Condition condition = new Condition(RowExistenceExpectation.EXPECT_EXIST);
        condition.setColumnCondition(columnIs(ItemCodec.VERSION, ColumnValue.fromLong(version)));
        return condition;
    }

    /** The row exists and, when {@code owner} is not null, its {@code _owner} is that uid (it never changes). */
    static Condition ownedBy(String owner) {
        Condition condition = new Condition(RowExistenceExpectation.EXPECT_EXIST);
        if (owner != null) {
            condition.setColumnCondition(columnIs(ItemCodec.OWNER, ColumnValue.fromString(owner)));
        }
        return condition;
    }

    static SingleColumnValueCondition columnIs(String column, ColumnValue value) {
        SingleColumnValueCondition condition = new SingleColumnValueCondition(column,
                SingleColumnValueCondition.CompareOperator.EQUAL, value);
        condition.setPassIfMissing(false);
        condition.setLatestVersionsOnly(true);
        return condition;
    }

    static ApiException notFound() {
        return new ApiException(ErrorCode.NOT_FOUND, "No item with this id.");
    }

    static ApiException conflict() {
        return new ApiException(ErrorCode.CONFLICT,
                "The item's _version is not the one given; get it again and retry with its _version.");
    }

    static ApiException busy() {
        return new ApiException(ErrorCode.CONFLICT, "Too many concurrent writes to this item; retry.");
    }
}
