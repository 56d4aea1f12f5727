package com.fcminiapp.common.session;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.Condition;
import com.alicloud.openservices.tablestore.model.DeleteRowRequest;
import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.RowDeleteChange;
import com.alicloud.openservices.tablestore.model.RowExistenceExpectation;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.common.tablestore.TableProvisioner;
import com.fcminiapp.common.tablestore.TablestoreErrors;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Sessions in a Tablestore table: primary key {@code id} (STRING, the SHA-256 hex of the session id), columns
 * {@code uid}, {@code createdAt} and {@code expiresAt} (epoch milliseconds).
 */
public final class TablestoreSessionStore implements SessionStore {

    public static final String KEY = "id";

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
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(table, key(idHash));
        criteria.setMaxVersions(1);
        Row row;
        try {
            row = client.getRow(new GetRowRequest(criteria)).getRow();
        } catch (RuntimeException e) {
            throw TablestoreErrors.unavailable(e);
        }
        if (row == null || row.isEmpty()) {
            return Optional.empty();
        }
        Column uid = row.getLatestColumn("uid");
        Column created = row.getLatestColumn("createdAt");
        Column expires = row.getLatestColumn("expiresAt");
        if (uid == null || created == null || expires == null) {
            // a row that is not a whole session is no session
            return Optional.empty();
        }
        return Optional.of(new SessionRecord(idHash, uid.getValue().asString(),
                Instant.ofEpochMilli(created.getValue().asLong()), Instant.ofEpochMilli(expires.getValue().asLong())));
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
