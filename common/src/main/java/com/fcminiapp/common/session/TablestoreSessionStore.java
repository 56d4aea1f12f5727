package com.fcminiapp.common.session;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.Condition;
import com.alicloud.openservices.tablestore.model.DeleteRowRequest;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.RowDeleteChange;
import com.alicloud.openservices.tablestore.model.RowExistenceExpectation;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.RowUpdateChange;
import com.alicloud.openservices.tablestore.model.UpdateRowRequest;
import com.alicloud.openservices.tablestore.model.condition.SingleColumnValueCondition;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.common.tablestore.TableProvisioner;
import com.fcminiapp.common.tablestore.TablestoreErrors;
import com.fcminiapp.common.tablestore.TablestoreRows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Sessions in a Tablestore table: primary key {@code id} (STRING, the SHA-256 hex of the session id), columns
 * {@code uid}, {@code createdAt}, {@code expiresAt} and, once revoked, {@code revokedAt} (epoch milliseconds).
 */
public final class TablestoreSessionStore implements SessionStore {

    public static final String KEY = "id";
    /** Present once the session is revoked (its account is being deleted): epoch ms. */
    public static final String REVOKED_AT = "revokedAt";

    /** Rows outlive their session by this long before Tablestore's TTL drops them; expiry is checked on use. */
    static final Duration STORAGE_TTL_MARGIN = Duration.ofDays(1);

    private final SyncClient client;
    private final String table;

    public TablestoreSessionStore(SyncClient client, String table) {
        this.client = client;
        this.table = table;
    }

    /** Creates the session table when it is missing, with a storage TTL as a backstop to the checked expiry. */
    public static void ensureTable(TableProvisioner provisioner, String table, Duration sessionTtl) {
        provisioner.ensureTable(table, List.of(KEY), sessionTtl.plus(STORAGE_TTL_MARGIN));
    }

    @Override
    public void create(SessionRecord session) {
        RowPutChange put = new RowPutChange(table, key(session.idHash()));
        put.addColumn(new Column("uid", ColumnValue.fromString(session.uid())));
        put.addColumn(new Column("createdAt", ColumnValue.fromLong(session.createdAt().toEpochMilli())));
        put.addColumn(new Column("expiresAt", ColumnValue.fromLong(session.expiresAt().toEpochMilli())));
        put.setCondition(new Condition(RowExistenceExpectation.EXPECT_NOT_EXIST));
        try {
            client.putRow(new PutRowRequest(put));
        } catch (RuntimeException e) {
            if (TablestoreErrors.isConditionFailure(e)) {
                // 256 random bits do not collide; this is a retried write that already landed
                throw new ApiException(ErrorCode.INTERNAL, "Session id collision; log in again.");
            }
            throw TablestoreErrors.unavailable(e);
        }
    }

    @Override
    public Optional<SessionRecord> find(String idHash) {
        Row row = TablestoreRows.read(client, table, key(idHash));
        if (row == null) {
            return Optional.empty();
        }
        Column uid = row.getLatestColumn("uid");
        Column created = row.getLatestColumn("createdAt");
        Column expires = row.getLatestColumn("expiresAt");
        if (uid == null || created == null || expires == null) {
            // a row that is not a whole session is no session
            return Optional.empty();
        }
        Column revoked = row.getLatestColumn(REVOKED_AT);
        return Optional.of(new SessionRecord(idHash, uid.getValue().asString(),
                Instant.ofEpochMilli(created.getValue().asLong()), Instant.ofEpochMilli(expires.getValue().asLong()),
                revoked == null ? null : Instant.ofEpochMilli(revoked.getValue().asLong())));
    }

    /**
     * One conditional UpdateRow: the row must exist (a revoke never creates a partial session row) and must not be
     * revoked yet (so the first time stays); a failed condition means there is nothing left to do.
     */
    @Override
    public void revoke(String idHash, Instant at) {
        RowUpdateChange update = new RowUpdateChange(table, key(idHash));
        update.put(REVOKED_AT, ColumnValue.fromLong(at.toEpochMilli()));
        Condition condition = new Condition(RowExistenceExpectation.EXPECT_EXIST);
        // epoch ms are never negative: this fails for any stored revokedAt and passes when there is none
        SingleColumnValueCondition notRevoked = new SingleColumnValueCondition(REVOKED_AT,
                SingleColumnValueCondition.CompareOperator.LESS_THAN, ColumnValue.fromLong(0));
        notRevoked.setPassIfMissing(true);
        notRevoked.setLatestVersionsOnly(true);
        condition.setColumnCondition(notRevoked);
        update.setCondition(condition);
        try {
            client.updateRow(new UpdateRowRequest(update));
        } catch (RuntimeException e) {
            if (TablestoreErrors.isConditionFailure(e)) {
                return;
            }
            throw TablestoreErrors.unavailable(e);
        }
    }

    @Override
    public void delete(String idHash) {
        RowDeleteChange delete = new RowDeleteChange(table, key(idHash));
        delete.setCondition(new Condition(RowExistenceExpectation.IGNORE));
        try {
            client.deleteRow(new DeleteRowRequest(delete));
        } catch (RuntimeException e) {
            throw TablestoreErrors.unavailable(e);
        }
    }

    private static PrimaryKey key(String idHash) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn(KEY, PrimaryKeyValue.fromString(idHash)).build();
    }
}
