package com.fcminiapp.localcloud.admin;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.TableStoreException;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnType;
import com.alicloud.openservices.tablestore.model.Direction;
import com.alicloud.openservices.tablestore.model.GetRangeRequest;
import com.alicloud.openservices.tablestore.model.GetRangeResponse;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.RangeRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.Row;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.fcapi.FcError;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;

/**
 * The console's view of the users table (USERS_TABLE, the users' own records the session function keeps): per row
 * its uid, the login name when known, the phone number masked as the phone action answers it, how many of its
 * session columns ({@code s_<hash>} → expiresAt) are still live, and {@code deletionPendingSince} (its
 * {@code deletingSince}). Never a full number, never a session hash. A table not created yet reads as no rows.
 */
public final class UsersTable {

    /** A session column: {@code s_} and the SHA-256 hex of the session id. */
    static final String SESSION_PREFIX = "s_";

    private final SyncClient tables;
    private final String name;
    private final Function<String, String> loginName;
    private final Clock clock;

    /** {@code loginName}: the login name of a uid, or null. */
    public UsersTable(SyncClient tables, String name, Function<String, String> loginName, Clock clock) {
        this.tables = tables;
        this.name = name;
        this.loginName = loginName;
        this.clock = clock;
    }

    /** The table's name (USERS_TABLE). */
    public String name() {
        return name;
    }

    /** Every row, in uid order, as {@code {uid, name, phone, liveSessions, deletionPendingSince}}. */
    public ArrayNode rows() throws FcError {
        ArrayNode out = ItemJson.MAPPER.createArrayNode();
        RangeRowQueryCriteria criteria = new RangeRowQueryCriteria(name);
        criteria.setMaxVersions(1);
        criteria.setDirection(Direction.FORWARD);
        criteria.setInclusiveStartPrimaryKey(uid(PrimaryKeyValue.INF_MIN));
        criteria.setExclusiveEndPrimaryKey(uid(PrimaryKeyValue.INF_MAX));
        long now = clock.millis();
        while (true) {
            GetRangeResponse page;
            try {
                page = tables.getRange(new GetRangeRequest(criteria));
            } catch (TableStoreException e) {
                if ("OTSObjectNotExist".equals(e.getErrorCode())) {
                    // the session function creates it at its first start (or ROS did): nothing to show yet
                    return out;
                }
                throw ConsoleData.unavailable("Tablestore", e);
            } catch (RuntimeException e) {
                throw ConsoleData.unavailable("Tablestore", e);
            }
            page.getRows().forEach(row -> out.add(row(row, now)));
            if (page.getNextStartPrimaryKey() == null) {
                return out;
            }
            criteria.setInclusiveStartPrimaryKey(page.getNextStartPrimaryKey());
        }
    }

    private ObjectNode row(Row row, long now) {
        String uid = row.getPrimaryKey().getPrimaryKeyColumn("uid").getValue().asString();
        ObjectNode user = ItemJson.MAPPER.createObjectNode().put("uid", uid).put("name", loginName.apply(uid));
        Column phone = row.getLatestColumn("phone");
        user.put("phone", phone == null ? null : mask(phone.getValue().asString()));
        int live = 0;
        for (Column column : row.getColumns()) {
            if (column.getName().startsWith(SESSION_PREFIX) && column.getValue().getType() == ColumnType.INTEGER
                    && column.getValue().asLong() > now) {
                live++;
            }
        }
        user.put("liveSessions", live);
        Column deleting = row.getLatestColumn("deletingSince");
        user.put("deletionPendingSince", deleting == null || deleting.getValue().getType() != ColumnType.INTEGER ? null
                : Instant.ofEpochMilli(deleting.getValue().asLong()).toString());
        return user;
    }

    /**
     * The number as the phone action answers it (design, "Phone"): 8 or more characters keep the first 3 and the
     * last 4 with a {@code *} for each one between; a shorter one keeps only its last 2.
     */
    static String mask(String phone) {
        int n = phone.length();
        if (n >= 8) {
            return phone.substring(0, 3) + "*".repeat(n - 7) + phone.substring(n - 4);
        }
        return "*".repeat(Math.max(0, n - 2)) + phone.substring(Math.max(0, n - 2));
    }

    private static com.alicloud.openservices.tablestore.model.PrimaryKey uid(PrimaryKeyValue value) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder().addPrimaryKeyColumn("uid", value).build();
    }
}
