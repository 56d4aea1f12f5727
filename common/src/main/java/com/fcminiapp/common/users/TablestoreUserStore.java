package com.fcminiapp.common.users;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnType;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.Condition;
import com.alicloud.openservices.tablestore.model.DeleteRowRequest;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.RowDeleteChange;
import com.alicloud.openservices.tablestore.model.RowExistenceExpectation;
import com.alicloud.openservices.tablestore.model.RowUpdateChange;
import com.alicloud.openservices.tablestore.model.UpdateRowRequest;
import com.alicloud.openservices.tablestore.model.condition.SingleColumnValueCondition;
import com.alicloud.openservices.tablestore.model.condition.SingleColumnValueCondition.CompareOperator;
import com.fcminiapp.common.tablestore.TableProvisioner;
import com.fcminiapp.common.tablestore.TablestoreErrors;
import com.fcminiapp.common.tablestore.TablestoreRows;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The users table in Tablestore: primary key {@code uid} (STRING); columns {@code phone} (STRING) and
 * {@code phoneAt}, one {@code s_<idHash>} per session holding its expiresAt, and {@code deletingSince} while a
 * deletion is pending (all times INTEGER epoch milliseconds). The writes that must not land during a deletion carry
 * a column condition on {@code deletingSince}, so the check and the write are one request.
 */
public final class TablestoreUserStore implements UserStore {

    public static final String KEY = "uid";
    public static final String PHONE = "phone";
    public static final String PHONE_AT = "phoneAt";
    public static final String DELETING_SINCE = "deletingSince";
    /** A session column's name is this and the SHA-256 hex of the session id. */
    public static final String SESSION_PREFIX = "s_";

    private static final Pattern ID_HASH = Pattern.compile("[0-9a-f]{64}");

    private final SyncClient client;
    private final String table;

    public TablestoreUserStore(SyncClient client, String table) {
        this.client = client;
        this.table = table;
    }

    /** Creates the users table when it is missing (rows kept until deleted: no TTL, one version). */
    public static void ensureTable(TableProvisioner provisioner, String table) {
        provisioner.ensureTable(table, List.of(KEY), null);
    }

    /** The column of the session whose id hashes to {@code idHash}. */
    public static String sessionColumn(String idHash) {
        if (idHash == null || !ID_HASH.matcher(idHash).matches()) {
            throw new IllegalArgumentException("a session's idHash is 64 lowercase hex digits");
        }
        return SESSION_PREFIX + idHash;
    }

    @Override
    public Optional<UserRecord> find(String uid) {
        Row row = TablestoreRows.read(client, table, key(uid));
        if (row == null) {
            return Optional.empty();
        }
        String phone = null;
        Instant phoneAt = null;
        Instant deletingSince = null;
        Map<String, Instant> sessions = new LinkedHashMap<>();
        for (Column column : row.getColumns()) {
            String name = column.getName();
            ColumnValue value = column.getValue();
            if (name.equals(PHONE) && value.getType() == ColumnType.STRING) {
                phone = value.asString();
            } else if (value.getType() != ColumnType.INTEGER) {
                continue;
            } else if (name.equals(PHONE_AT)) {
                phoneAt = Instant.ofEpochMilli(value.asLong());
            } else if (name.equals(DELETING_SINCE)) {
                deletingSince = Instant.ofEpochMilli(value.asLong());
            } else if (name.startsWith(SESSION_PREFIX)) {
                sessions.put(name.substring(SESSION_PREFIX.length()), Instant.ofEpochMilli(value.asLong()));
            }
        }
        return Optional.of(new UserRecord(uid, phone, phoneAt, sessions, deletingSince));
    }

    @Override
    public void setPhone(String uid, String phone, Instant at) {
        RowUpdateChange update = new RowUpdateChange(table, key(uid));
        update.put(PHONE, ColumnValue.fromString(phone));
        update.put(PHONE_AT, ColumnValue.fromLong(at.toEpochMilli()));
        updateUnlessDeleting(update);
    }

    @Override
    public void addSession(String uid, String idHash, Instant expiresAt, Collection<String> expiredIdHashes) {
        String added = sessionColumn(idHash);
        RowUpdateChange update = new RowUpdateChange(table, key(uid));
        update.put(added, ColumnValue.fromLong(expiresAt.toEpochMilli()));
        // one change per column: the new session's is never also dropped
        expiredIdHashes.stream().map(TablestoreUserStore::sessionColumn).distinct().filter(c -> !c.equals(added))
                .forEach(update::deleteColumns);
        updateUnlessDeleting(update);
    }

    @Override
    public void markDeleting(String uid, Instant since) {
        RowUpdateChange update = new RowUpdateChange(table, key(uid));
        update.put(DELETING_SINCE, ColumnValue.fromLong(since.toEpochMilli()));
        // writes when unset or later than since, so the earliest start is kept whatever the order of two calls
        SingleColumnValueCondition laterOrUnset = new SingleColumnValueCondition(DELETING_SINCE,
                CompareOperator.GREATER_THAN, ColumnValue.fromLong(since.toEpochMilli()));
        laterOrUnset.setPassIfMissing(true);
        laterOrUnset.setLatestVersionsOnly(true);
        Condition condition = new Condition(RowExistenceExpectation.IGNORE);
        condition.setColumnCondition(laterOrUnset);
        update.setCondition(condition);
        try {
            client.updateRow(new UpdateRowRequest(update));
        } catch (RuntimeException e) {
            if (TablestoreErrors.isConditionFailure(e)) {
                return; // already pending since earlier: kept
            }
            throw TablestoreErrors.unavailable(e);
        }
    }

    @Override
    public void delete(String uid) {
        RowDeleteChange delete = new RowDeleteChange(table, key(uid));
        delete.setCondition(new Condition(RowExistenceExpectation.IGNORE));
        try {
            client.deleteRow(new DeleteRowRequest(delete));
        } catch (RuntimeException e) {
            throw TablestoreErrors.unavailable(e);
        }
    }

    /** Applies {@code update} only while deletingSince is missing, in the same request. */
    private void updateUnlessDeleting(RowUpdateChange update) {
        // epoch milliseconds are never negative: a present deletingSince always fails "< 0", a missing one passes
        SingleColumnValueCondition notDeleting = new SingleColumnValueCondition(DELETING_SINCE,
                CompareOperator.LESS_THAN, ColumnValue.fromLong(0));
        notDeleting.setPassIfMissing(true);
        notDeleting.setLatestVersionsOnly(true);
        Condition condition = new Condition(RowExistenceExpectation.IGNORE);
        condition.setColumnCondition(notDeleting);
        update.setCondition(condition);
        try {
            client.updateRow(new UpdateRowRequest(update));
        } catch (RuntimeException e) {
            if (TablestoreErrors.isConditionFailure(e)) {
                throw new AccountDeletionPending();
            }
            throw TablestoreErrors.unavailable(e);
        }
    }

    private static PrimaryKey key(String uid) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn(KEY, PrimaryKeyValue.fromString(uid)).build();
    }
}
