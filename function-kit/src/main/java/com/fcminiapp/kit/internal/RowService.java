package com.fcminiapp.kit.internal;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.Condition;
import com.alicloud.openservices.tablestore.model.DeleteRowRequest;
import com.alicloud.openservices.tablestore.model.Direction;
import com.alicloud.openservices.tablestore.model.GetRangeRequest;
import com.alicloud.openservices.tablestore.model.GetRangeResponse;
import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.RangeRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.ReturnType;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.RowDeleteChange;
import com.alicloud.openservices.tablestore.model.RowExistenceExpectation;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.RowUpdateChange;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.UpdateRowRequest;
import com.alicloud.openservices.tablestore.model.UpdateRowResponse;
import com.alicloud.openservices.tablestore.model.condition.SingleColumnValueCondition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.common.tablestore.TablestoreErrors;
import com.fcminiapp.kit.Expect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Items in Tablestore tables with primary key ({@code uid}, {@code id}): every read and write names the uid it is
 * given as the partition key (the session's, for a client's request), so no other argument can reach another
 * user's rows; only {@link #scan}, which no client request reaches, crosses partitions. Writes are conditional on
 * the stored {@code _version}, so racing writers on one version cannot both win.
 */
public final class RowService {

    public static final String UID = "uid";
    public static final String ID = ItemCodec.ID;
    public static final int MAX_LIST_LIMIT = 100;
    public static final int DEFAULT_LIST_LIMIT = 10;
    /** Re-reads after a lost race of an unconditional write before giving up with CONFLICT. */
    static final int MAX_ATTEMPTS = 16;

    /** Holds every user's rows (the partition key): a scan's items carry it under this name, never stored. */
    public static final String OWNER = "_owner";
    /** Tablestore's code for a write it cannot apply as asked (an increment of a column that is not an integer). */
    private static final String PARAMETER_INVALID = "OTSParameterInvalid";

    /** One page of a listing: the items and the token of the next page (null on the last). */
    public static final class Page implements com.fcminiapp.kit.Page {
        public final ArrayNode items;
        public final String next;

        Page(ArrayNode items, String next) {
            this.items = items;
            this.next = next;
        }

        @Override
        public List<ObjectNode> items() {
            List<ObjectNode> out = new ArrayList<>(items.size());
            items.forEach(item -> out.add((ObjectNode) item));
            return Collections.unmodifiableList(out);
        }

        @Override
        public String next() {
            return next;
        }
    }

    private final SyncClient client;
    private final List<String> tables;
    private final Clock clock;

    /** @param tables the tables clients may name; the first is the default */
    public RowService(SyncClient client, List<String> tables, Clock clock) {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("no data tables");
        }
        this.client = client;
        this.tables = List.copyOf(tables);
        this.clock = clock;
    }

    public List<String> tables() {
        return tables;
    }

    /** The table a request names (null: the default); anything not in DATA_TABLES is INVALID_ARGUMENT. */
    public String table(String requested) {
        if (requested == null) {
            return tables.get(0);
        }
        if (!tables.contains(requested)) {
            throw ApiException.invalid("Unknown table; use one of " + String.join(", ", tables) + ".");
        }
        return requested;
    }

    /** Stores {@code obj} whole (fields not in it are gone); returns {@code {"id", "_version"}}. */
    public ObjectNode put(String uid, String table, ObjectNode obj, Expect expect, Long version) {
        String id = ItemCodec.checkId(obj.get(ID), "obj.id");
        ObjectNode item = JsonNodeFactory.instance.objectNode();
        item.put(ID, id);
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            // an item read with get goes back through put as it is: the server sets its own bookkeeping fields
            if (field.getKey().equals(ID) || field.getKey().equals(ItemCodec.VERSION)
                    || field.getKey().equals(ItemCodec.UPDATED_AT)) {
                continue;
            }
            ItemCodec.checkFieldName(field.getKey());
            if (!field.getValue().isNull()) {
                item.set(field.getKey(), field.getValue());
            }
        }
        ItemCodec.checkSize(item);
        if (expect == Expect.ABSENT && version != null) {
            throw ApiException.invalid("expect \"absent\" and version contradict each other; send one of them.");
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Long stored = expect == Expect.ABSENT ? null : storedVersion(uid, table, id);
            long next;
            Condition condition;
            if (stored == null) {
                if (expect == Expect.PRESENT || version != null) {
                    throw notFound();
                }
                next = 1;
                condition = new Condition(RowExistenceExpectation.EXPECT_NOT_EXIST);
            } else {
                if (version != null && version.longValue() != stored) {
                    throw conflict();
                }
                next = stored + 1;
                condition = versionIs(stored);
            }
            RowPutChange put = new RowPutChange(table, key(uid, id));
            item.fields().forEachRemaining(f -> {
                if (!f.getKey().equals(ID)) {
                    put.addColumn(new Column(f.getKey(), ItemCodec.encode(f.getValue())));
                }
            });
            put.addColumn(new Column(ItemCodec.VERSION, ColumnValue.fromLong(next)));
            put.addColumn(new Column(ItemCodec.UPDATED_AT, ColumnValue.fromLong(clock.millis())));
            put.setCondition(condition);
            try {
                client.putRow(new PutRowRequest(put));
            } catch (RuntimeException e) {
                if (!TablestoreErrors.isConditionFailure(e)) {
                    throw TablestoreErrors.unavailable(e);
                }
                if (expect == Expect.ABSENT) {
                    throw new ApiException(ErrorCode.CONFLICT, "An item with this id exists (expect \"absent\").");
                }
                // another writer got in between the read and the write: read again (a version check then fails)
                continue;
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put(ID, id);
            out.put(ItemCodec.VERSION, next);
            return out;
        }
        throw busy();
    }

    /** The item, or null when there is none. */
    public ObjectNode get(String uid, String table, String id) {
        Row row = readRow(uid, table, id, false);
        return row == null ? null : ItemCodec.toItem(id, List.of(row.getColumns()));
    }

    /**
     * Sets and unsets fields of an existing item (a {@code null} in {@code set} unsets too); returns the item after.
     */
    public ObjectNode update(String uid, String table, String id, ObjectNode set, List<String> unset, Long version) {
        Set<String> removed = new LinkedHashSet<>();
        ObjectNode assigned = JsonNodeFactory.instance.objectNode();
        for (String name : unset) {
            checkUpdatable(name);
            removed.add(name);
        }
        if (set != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = set.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                checkUpdatable(field.getKey());
                if (field.getValue().isNull()) {
                    removed.add(field.getKey());
                } else if (removed.contains(field.getKey())) {
                    throw ApiException.invalid("Field \"" + field.getKey() + "\" is both set and unset.");
                } else {
                    assigned.set(field.getKey(), field.getValue());
                }
            }
        }
        if (assigned.size() + removed.size() > ItemCodec.MAX_FIELDS) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "An update changes at most " + ItemCodec.MAX_FIELDS + " fields.");
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Row row = readRow(uid, table, id, false);
            if (row == null) {
                throw notFound();
            }
            ObjectNode item = ItemCodec.toItem(id, List.of(row.getColumns()));
            long stored = item.get(ItemCodec.VERSION).asLong();
            if (version != null && version.longValue() != stored) {
                throw conflict();
            }
            item.remove(List.of(ItemCodec.VERSION, ItemCodec.UPDATED_AT));
            item.remove(removed);
            item.setAll(assigned);
            ItemCodec.checkSize(item);
            long now = clock.millis();
            RowUpdateChange change = new RowUpdateChange(table, key(uid, id));
            assigned.fields().forEachRemaining(f -> change.put(f.getKey(), ItemCodec.encode(f.getValue())));
            removed.forEach(change::deleteColumns);
            change.put(ItemCodec.VERSION, ColumnValue.fromLong(stored + 1));
            change.put(ItemCodec.UPDATED_AT, ColumnValue.fromLong(now));
            change.setCondition(versionIs(stored));
            try {
                client.updateRow(new UpdateRowRequest(change));
            } catch (RuntimeException e) {
                if (!TablestoreErrors.isConditionFailure(e)) {
                    throw TablestoreErrors.unavailable(e);
                }
                continue;
            }
            item.put(ItemCodec.VERSION, stored + 1);
            item.put(ItemCodec.UPDATED_AT, now);
            return item;
        }
        throw busy();
    }

    /**
     * Deletes the item. Without {@code version} a missing item is fine; with it, a missing item is NOT_FOUND and
     * another stored version CONFLICT.
     */
    public void remove(String uid, String table, String id, Long version) {
        RowDeleteChange delete = new RowDeleteChange(table, key(uid, id));
        delete.setCondition(version == null ? new Condition(RowExistenceExpectation.IGNORE) : versionIs(version));
        try {
            client.deleteRow(new DeleteRowRequest(delete));
        } catch (RuntimeException e) {
            if (version == null || !TablestoreErrors.isConditionFailure(e)) {
                throw TablestoreErrors.unavailable(e);
            }
            throw storedVersion(uid, table, id) == null ? notFound() : conflict();
        }
    }

    /**
     * One page of the caller's items in id order (descending when {@code reverse}), those whose id starts with
     * {@code prefix}, after the item {@code next} names.
     */
    public Page list(String uid, String table, int limit, String prefix, boolean reverse, String next) {
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw ApiException.invalid("limit must be a whole number from 1 to " + MAX_LIST_LIMIT + ".");
        }
        if (!prefix.isEmpty()) {
            if (prefix.codePointCount(0, prefix.length()) > ItemCodec.MAX_ID_CHARS || !ItemCodec.isCleanText(prefix)) {
                throw ApiException.invalid("prefix must be at most " + ItemCodec.MAX_ID_CHARS
                        + " characters, without control characters.");
            }
        }
        String cursor = null;
        if (next != null) {
            cursor = PageToken.decode(next, "rows:" + table, prefix, reverse).last;
            ItemCodec.checkId(JsonNodeFactory.instance.textNode(cursor), "next");
        }
        String prefixEnd = prefix.isEmpty() ? null : successor(prefix);
        PrimaryKey start;
        PrimaryKey end;
        if (!reverse) {
            start = cursor != null ? key(uid, cursor) : prefix.isEmpty() ? bound(uid, PrimaryKeyValue.INF_MIN) : key(uid, prefix);
            end = prefixEnd != null ? key(uid, prefixEnd) : bound(uid, PrimaryKeyValue.INF_MAX);
        } else {
            start = cursor != null ? key(uid, cursor) : prefixEnd != null ? key(uid, prefixEnd) : bound(uid, PrimaryKeyValue.INF_MAX);
            end = bound(uid, PrimaryKeyValue.INF_MIN);
        }
        // one more than the page: whether it exists decides between a token and null
        int wanted = limit + 1;
        List<Row> rows = new ArrayList<>();
        boolean done = false;
        while (!done && rows.size() < wanted) {
            GetRangeResponse response = range(table, start, end,
                    reverse ? Direction.BACKWARD : Direction.FORWARD, wanted - rows.size() + 1);
            for (Row row : response.getRows()) {
                String id = row.getPrimaryKey().getPrimaryKeyColumn(ID).getValue().asString();
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
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < Math.min(limit, rows.size()); i++) {
            Row row = rows.get(i);
            String id = row.getPrimaryKey().getPrimaryKeyColumn(ID).getValue().asString();
            items.add(ItemCodec.toItem(id, List.of(row.getColumns())));
        }
        String token = rows.size() > limit
                ? new PageToken("rows:" + table, prefix, reverse, items.get(limit - 1).get(ID).asText()).encode()
                : null;
        return new Page(items, token);
    }

    /**
     * Adds {@code delta} to the integer {@code field} in one atomic write (Tablestore's increment, answered with the
     * value after it), bumping {@code _version} and setting {@code _updatedAt}; a missing item or field counts as 0.
     */
    public long increment(String uid, String table, String id, String field, long delta) {
        ItemCodec.checkId(TextNode.valueOf(id), "id");
        checkUpdatable(field);
        RowUpdateChange change = new RowUpdateChange(table, key(uid, id));
        change.increment(new Column(field, ColumnValue.fromLong(delta)));
        change.increment(new Column(ItemCodec.VERSION, ColumnValue.fromLong(1)));
        change.put(ItemCodec.UPDATED_AT, ColumnValue.fromLong(clock.millis()));
        change.setCondition(new Condition(RowExistenceExpectation.IGNORE));
        change.setReturnType(ReturnType.RT_AFTER_MODIFY);
        change.addReturnColumn(field);
        UpdateRowResponse response;
        try {
            response = client.updateRow(new UpdateRowRequest(change));
        } catch (RuntimeException e) {
            if (TablestoreErrors.hasCode(e, PARAMETER_INVALID)) {
                throw ApiException.invalid("Field \"" + field + "\" does not hold a whole number; only integer "
                        + "fields can be incremented.");
            }
            throw TablestoreErrors.unavailable(e);
        }
        Column after = response.getRow() == null ? null : response.getRow().getLatestColumn(field);
        if (after == null) {
            throw new IllegalStateException("Tablestore answered an increment without the column's new value");
        }
        return after.getValue().asLong();
    }

    /**
     * One page of every user's items of {@code table} in key order (uid, then id), each with {@link #OWNER}, after
     * the item {@code next} names. Server authority only: no client request reaches it.
     */
    public Page scan(String table, int limit, String next) {
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw ApiException.invalid("limit must be a whole number from 1 to " + MAX_LIST_LIMIT + ".");
        }
        String scope = "scan:" + table;
        PrimaryKey cursor = next == null ? null : scanCursor(PageToken.decode(next, scope, "", false).last);
        PrimaryKey start = cursor != null ? cursor : bounds(PrimaryKeyValue.INF_MIN);
        int wanted = limit + 1;
        List<Row> rows = new ArrayList<>();
        while (start != null && rows.size() < wanted) {
            GetRangeResponse response = range(table, start, bounds(PrimaryKeyValue.INF_MAX), Direction.FORWARD,
                    wanted - rows.size() + 1);
            for (Row row : response.getRows()) {
                if (rows.size() < wanted && !row.getPrimaryKey().equals(cursor)) {
                    rows.add(row);
                }
            }
            start = response.getNextStartPrimaryKey();
        }
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        for (Row row : rows.subList(0, Math.min(limit, rows.size()))) {
            String id = row.getPrimaryKey().getPrimaryKeyColumn(ID).getValue().asString();
            items.add(ItemCodec.toItem(id, List.of(row.getColumns()))
                    .put(OWNER, row.getPrimaryKey().getPrimaryKeyColumn(UID).getValue().asString()));
        }
        String token = null;
        if (rows.size() > limit) {
            ObjectNode last = (ObjectNode) items.get(limit - 1);
            ArrayNode key = JsonNodeFactory.instance.arrayNode().add(last.get(OWNER).asText()).add(last.get(ID).asText());
            token = new PageToken(scope, "", false, new String(Json.write(key), StandardCharsets.UTF_8)).encode();
        }
        return new Page(items, token);
    }

    /** The key a scan token's last entry names ({@code ["<uid>", "<id>"]}); anything else is INVALID_ARGUMENT. */
    private static PrimaryKey scanCursor(String last) {
        JsonNode key;
        try {
            key = Json.readTree(last.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | ApiException e) {
            key = null;
        }
        if (key == null || !key.isArray() || key.size() != 2 || !key.get(0).isTextual() || !key.get(1).isTextual()) {
            throw ApiException.invalid("next is not a token this scan returned; start over without next.");
        }
        return key(key.get(0).asText(), key.get(1).asText());
    }

    private static PrimaryKey bounds(PrimaryKeyValue bound) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn(UID, bound)
                .addPrimaryKeyColumn(ID, bound).build();
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

    private Long storedVersion(String uid, String table, String id) {
        Row row = readRow(uid, table, id, true);
        if (row == null) {
            return null;
        }
        Column column = row.getLatestColumn(ItemCodec.VERSION);
        return column == null ? 0L : column.getValue().asLong();
    }

    private Row readRow(String uid, String table, String id, boolean versionOnly) {
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(table, key(uid, id));
        criteria.setMaxVersions(1);
        if (versionOnly) {
            criteria.addColumnsToGet(ItemCodec.VERSION);
        }
        Row row;
        try {
            row = client.getRow(new GetRowRequest(criteria)).getRow();
        } catch (RuntimeException e) {
            throw TablestoreErrors.unavailable(e);
        }
        return row == null || row.isEmpty() ? null : row;
    }

    private static Condition versionIs(long version) {
        Condition condition = new Condition(RowExistenceExpectation.EXPECT_EXIST);
        SingleColumnValueCondition column = new SingleColumnValueCondition(ItemCodec.VERSION,
                SingleColumnValueCondition.CompareOperator.EQUAL, ColumnValue.fromLong(version));
        column.setPassIfMissing(false);
        column.setLatestVersionsOnly(true);
        condition.setColumnCondition(column);
        return condition;
    }

    private static void checkUpdatable(String name) {
        if (name.equals(ID)) {
            throw ApiException.invalid("id cannot be changed; put a new item and remove the old one.");
        }
        ItemCodec.checkFieldName(name);
    }

    /** The primary key of {@code uid}'s item {@code id}. */
    public static PrimaryKey key(String uid, String id) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn(UID, PrimaryKeyValue.fromString(uid))
                .addPrimaryKeyColumn(ID, PrimaryKeyValue.fromString(id)).build();
    }

    private static PrimaryKey bound(String uid, PrimaryKeyValue id) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn(UID, PrimaryKeyValue.fromString(uid))
                .addPrimaryKeyColumn(ID, id).build();
    }

    private static ApiException notFound() {
        return new ApiException(ErrorCode.NOT_FOUND, "No item with this id.");
    }

    private static ApiException conflict() {
        return new ApiException(ErrorCode.CONFLICT,
                "The item's _version is not the one given; get it again and retry with its _version.");
    }

    private static ApiException busy() {
        return new ApiException(ErrorCode.CONFLICT, "Too many concurrent writes to this item; retry.");
    }

    /** One GetRange page of at most {@code limit} rows (latest version only), an SDK failure as UPSTREAM_UNAVAILABLE. */
    private GetRangeResponse range(String table, PrimaryKey start, PrimaryKey end, Direction direction, int limit) {
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
}
