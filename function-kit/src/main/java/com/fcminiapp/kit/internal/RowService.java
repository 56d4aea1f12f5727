package com.fcminiapp.kit.internal;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.Condition;
import com.alicloud.openservices.tablestore.model.DeleteRowRequest;
import com.alicloud.openservices.tablestore.model.Direction;
import com.alicloud.openservices.tablestore.model.GetRangeResponse;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.RowDeleteChange;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.common.tables.AccessPolicy;
import com.fcminiapp.common.tables.AccessPolicy.Actor;
import com.fcminiapp.common.tables.RowOp;
import com.fcminiapp.common.tables.RuleOp;
import com.fcminiapp.common.tables.TableDeclaration;
import com.fcminiapp.common.tables.TablesDeclaration;
import com.fcminiapp.common.tablestore.TablestoreErrors;
import com.fcminiapp.kit.Expect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Rows of the declared tables (primary key {@code uid}, {@code id}): get, put, add, update, remove and list, each
 * asking the {@link AccessPolicy} first ({@code checkOp}, then {@code checkRow} on the stored row or the row as
 * written) for the actor it is given. A private table's rows live in the owner's partition (the session's uid, for
 * a client's request, so no argument can reach another user's rows); a shared table's in partition {@code *}, with
 * {@code _owner}. Every write is conditional on what was checked (the stored {@code _version}, or the row's absence),
 * so a racing change cannot slip between the check and the write. Queries are {@link QueryService}'s.
 */
public final class RowService {

    public static final String UID = RowStore.UID;
    public static final String ID = ItemCodec.ID;
    public static final int MAX_LIST_LIMIT = 100;
    public static final int DEFAULT_LIST_LIMIT = 10;
    /** The creator of a shared table's row; a scan's items of a private table carry their partition under it. */
    public static final String OWNER = ItemCodec.OWNER;

    /** One page of a listing: the items and the token of the next page (null on the last). */
    public static final class Page implements com.fcminiapp.kit.Page {
        public final ArrayNode items;
        public final String next;

        public Page(ArrayNode items, String next) {
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

    private final RowStore store;
    private final TablesDeclaration tables;
    private final AccessPolicy policy = new AccessPolicy();
    private final Clock clock;
    private final Ulid ids;
    private final RowUpdates updates;

    public RowService(SyncClient client, TablesDeclaration tables, Clock clock) {
        this.store = new RowStore(client);
        this.tables = tables;
        this.clock = clock;
        this.ids = new Ulid(clock);
        this.updates = new RowUpdates(store, policy, clock);
    }

    public TablesDeclaration declaration() {
        return tables;
    }

    /** The table a request names (null: the default); anything not declared is INVALID_ARGUMENT. */
    public TableDeclaration table(String requested) {
        if (requested == null) {
            return tables.defaultTable();
        }
        TableDeclaration table = tables.table(requested);
        if (table == null) {
            throw ApiException.invalid("Unknown table; use one of " + String.join(", ", tables.names()) + ".");
        }
        return table;
    }

    /** The partition of {@code t}'s rows {@code a} reaches: the shared one, or the actor's own. */
    static String partition(TableDeclaration t, Actor a) {
        return t.shared() ? RowStore.SHARED : a.uid();
    }

    /** The item, or null when there is none (no rule is asked of a missing row). */
    public ObjectNode get(Actor a, TableDeclaration t, String id) {
        policy.checkOp(t, a, RowOp.GET);
        Row row = store.read(t.name(), partition(t, a), id);
        if (row == null) {
            return null;
        }
        ObjectNode item = item(t, id, row);
        policy.checkRow(t, a, RuleOp.READ, item);
        return item;
    }

    /** Stores {@code obj} whole (fields not in it are gone); returns {@code {"id", "_version"}}. */
    public ObjectNode put(Actor a, TableDeclaration t, ObjectNode obj, Expect expect, Long version) {
        policy.checkOp(t, a, RowOp.PUT);
        String id = ItemCodec.checkId(obj.get(ID), "obj.id");
        ObjectNode fields = fields(obj, true);
        if (expect == Expect.ABSENT && version != null) {
            throw ApiException.invalid("expect \"absent\" and version contradict each other; send one of them.");
        }
        for (int attempt = 0; attempt < RowStore.MAX_ATTEMPTS; attempt++) {
            Row stored = expect == Expect.ABSENT ? null : store.read(t.name(), partition(t, a), id);
            if (stored == null && (expect == Expect.PRESENT || version != null)) {
                throw RowStore.notFound();
            }
            if (stored != null && version != null && version != RowStore.version(stored)) {
                throw RowStore.conflict();
            }
            ObjectNode written = stored == null ? created(t, a, fields) : replaced(t, a, id, stored, fields);
            Condition condition = stored == null ? RowStore.absent() : RowStore.versionIs(RowStore.version(stored));
            long next = stored == null ? 1 : RowStore.version(stored) + 1;
            if (write(t, a, id, written, next, condition)) {
                return answer(id, next);
            }
            if (expect == Expect.ABSENT) {
                throw new ApiException(ErrorCode.CONFLICT, "An item with this id exists (expect \"absent\").");
            }
        }
        throw RowStore.busy();
    }

    /** Stores {@code obj} (without {@code id}) as a new row with a new sortable id; returns {@code {"id", "_version"}}. */
    public ObjectNode add(Actor a, TableDeclaration t, ObjectNode obj) {
        policy.checkOp(t, a, RowOp.ADD);
        if (obj.has(ID)) {
            throw ApiException.invalid("obj.id: add makes the id; use put to store an item with an id of yours.");
        }
        ObjectNode written = created(t, a, fields(obj, false));
        String id = ids.next();
        if (!write(t, a, id, written, 1, RowStore.absent())) {
            // 80 random bits met an existing id: nothing was written, and a retry draws new ones
            throw RowStore.busy();
        }
        return answer(id, 1);
    }

    /**
     * Applies {@code ops} to an existing item (set, unset, inc, push, pull; NOT_FOUND when missing); returns the
     * item after.
     */
    public ObjectNode update(Actor a, TableDeclaration t, String id, UpdateOps ops) {
        policy.checkOp(t, a, RowOp.UPDATE);
        return updates.update(a, t, partition(t, a), id, ops);
    }

    /**
     * Adds {@code delta} to the integer {@code field} atomically, bumping {@code _version}; a missing row is created
     * with the field at {@code delta}, a missing field counts as 0. Returns the field's new value.
     */
    public long increment(Actor a, TableDeclaration t, String id, String field, long delta) {
        ItemCodec.checkId(JsonNodeFactory.instance.textNode(id), "id");
        ObjectNode inc = JsonNodeFactory.instance.objectNode();
        inc.putObject("inc").put(field, delta);
        UpdateOps ops = UpdateOps.parse(inc);
        for (int attempt = 0; attempt < RowStore.MAX_ATTEMPTS; attempt++) {
            if (store.read(t.name(), partition(t, a), id) != null) {
                return update(a, t, id, ops).get(field).asLong();
            }
            policy.checkOp(t, a, RowOp.PUT);
            ObjectNode fields = JsonNodeFactory.instance.objectNode().put(field, delta);
            if (write(t, a, id, created(t, a, fields), 1, RowStore.absent())) {
                return delta;
            }
        }
        throw RowStore.busy();
    }

    /**
     * Deletes the item. Without {@code version} a missing item is fine; with it, a missing item is NOT_FOUND and
     * another stored version CONFLICT.
     */
    public void remove(Actor a, TableDeclaration t, String id, Long version) {
        policy.checkOp(t, a, RowOp.REMOVE);
        String uid = partition(t, a);
        for (int attempt = 0; attempt < RowStore.MAX_ATTEMPTS; attempt++) {
            Row stored = store.read(t.name(), uid, id);
            if (stored == null) {
                if (version != null) {
                    throw RowStore.notFound();
                }
                return;
            }
            long storedVersion = RowStore.version(stored);
            if (version != null && version != storedVersion) {
                throw RowStore.conflict();
            }
            policy.checkRow(t, a, RuleOp.DELETE, item(t, id, stored));
            RowDeleteChange delete = new RowDeleteChange(t.name(), RowStore.key(uid, id));
            delete.setCondition(RowStore.versionIs(storedVersion));
            try {
                store.client.deleteRow(new DeleteRowRequest(delete));
                return;
            } catch (RuntimeException e) {
                if (!TablestoreErrors.isConditionFailure(e)) {
                    throw TablestoreErrors.unavailable(e);
                }
            }
        }
        throw RowStore.busy();
    }

    /**
     * One page of the rows {@code a} reaches in id order (descending when {@code reverse}), those whose id starts
     * with {@code prefix}, after the item {@code next} names.
     */
    public Page list(Actor a, TableDeclaration t, int limit, String prefix, boolean reverse, String next) {
        policy.checkOp(t, a, RowOp.LIST);
        checkLimit(limit);
        if (!prefix.isEmpty() && (prefix.codePointCount(0, prefix.length()) > ItemCodec.MAX_ID_CHARS
                || !ItemCodec.isCleanText(prefix))) {
            throw ApiException.invalid("prefix must be at most " + ItemCodec.MAX_ID_CHARS
                    + " characters, without control characters.");
        }
        String cursor = null;
        if (next != null) {
            cursor = PageToken.decode(next, "rows:" + t.name(), prefix, reverse).last;
            ItemCodec.checkId(JsonNodeFactory.instance.textNode(cursor), "next");
        }
        List<Row> rows = new RowRange(store, t.name(), partition(t, a), prefix, reverse).page(cursor, limit + 1);
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        for (Row row : rows.subList(0, Math.min(limit, rows.size()))) {
            items.add(item(t, idOf(row), row));
        }
        String token = rows.size() > limit
                ? new PageToken("rows:" + t.name(), prefix, reverse, items.get(limit - 1).get(ID).asText()).encode()
                : null;
        return new Page(items, token);
    }

    /**
     * One page of every row of {@code t} in key order (uid, then id) after the item {@code next} names. A private
     * table's items carry {@link #OWNER}: their partition, added when read and never stored; a shared table's have
     * their stored {@code _owner}. Server authority only: no client request reaches it.
     */
    public Page scan(TableDeclaration t, int limit, String next) {
        checkLimit(limit);
        String scope = "scan:" + t.name();
        PrimaryKey cursor = next == null ? null : scanCursor(PageToken.decode(next, scope, "", false).last);
        PrimaryKey start = cursor != null ? cursor : RowStore.bounds(PrimaryKeyValue.INF_MIN);
        int wanted = limit + 1;
        List<Row> rows = new ArrayList<>();
        while (start != null && rows.size() < wanted) {
            GetRangeResponse response = store.range(t.name(), start, RowStore.bounds(PrimaryKeyValue.INF_MAX),
                    Direction.FORWARD, wanted - rows.size() + 1);
            for (Row row : response.getRows()) {
                if (rows.size() < wanted && !row.getPrimaryKey().equals(cursor)) {
                    rows.add(row);
                }
            }
            start = response.getNextStartPrimaryKey();
        }
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        for (Row row : rows.subList(0, Math.min(limit, rows.size()))) {
            ObjectNode item = item(t, idOf(row), row);
            if (!t.shared()) {
                item.put(OWNER, row.getPrimaryKey().getPrimaryKeyColumn(UID).getValue().asString());
            }
            items.add(item);
        }
        String token = null;
        if (rows.size() > limit) {
            Row last = rows.get(limit - 1);
            ArrayNode key = JsonNodeFactory.instance.arrayNode()
                    .add(last.getPrimaryKey().getPrimaryKeyColumn(UID).getValue().asString()).add(idOf(last));
            token = new PageToken(scope, "", false, new String(Json.write(key), StandardCharsets.UTF_8)).encode();
        }
        return new Page(items, token);
    }

    /** The item of a stored row, its indexed fields decoded by their declared types. */
    static ObjectNode item(TableDeclaration t, String id, Row row) {
        return ItemCodec.toItem(id, List.of(row.getColumns()), t::indexType);
    }

    static String idOf(Row row) {
        return row.getPrimaryKey().getPrimaryKeyColumn(ID).getValue().asString();
    }

    /**
     * The client's fields of {@code obj}, checked: the server's own ({@code _version}, {@code _updatedAt},
     * {@code _createdAt}, {@code _owner}) and {@code id} are dropped (an item read with get goes back through put as
     * it is), any other reserved name refused, nulls dropped ("no such field"), and the size limits kept.
     */
    private static ObjectNode fields(ObjectNode obj, boolean withId) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        obj.fields().forEachRemaining(field -> {
            String name = field.getKey();
            if (name.equals(ID) || name.equals(ItemCodec.VERSION) || name.equals(ItemCodec.UPDATED_AT)
                    || name.equals(ItemCodec.CREATED_AT) || name.equals(ItemCodec.OWNER)) {
                return;
            }
            ItemCodec.checkFieldName(name);
            if (!field.getValue().isNull()) {
                fields.set(name, field.getValue());
            }
        });
        ObjectNode sized = JsonNodeFactory.instance.objectNode().put(ID, withId ? obj.get(ID).asText() : "");
        ItemCodec.checkSize(sized.setAll(fields));
        return fields;
    }

    /** A new row as written: the fields, {@code _owner} (shared tables) and {@code _createdAt}; CREATE is asked of it. */
    private ObjectNode created(TableDeclaration t, Actor a, ObjectNode fields) {
        ObjectNode row = fields.deepCopy();
        if (t.shared()) {
            if (a.uid() == null) {
                throw new IllegalArgumentException("a row of a shared table is created for a uid (its _owner)");
            }
            row.put(ItemCodec.OWNER, a.uid());
        }
        row.put(ItemCodec.CREATED_AT, clock.millis());
        policy.checkRow(t, a, RuleOp.CREATE, row);
        return row;
    }

    /** The replacing row: the fields, with the stored {@code _owner} and {@code _createdAt}; UPDATE is asked of the stored row. */
    private ObjectNode replaced(TableDeclaration t, Actor a, String id, Row stored, ObjectNode fields) {
        ObjectNode before = item(t, id, stored);
        policy.checkRow(t, a, RuleOp.UPDATE, before);
        ObjectNode row = fields.deepCopy();
        for (String kept : List.of(ItemCodec.OWNER, ItemCodec.CREATED_AT)) {
            if (before.has(kept)) {
                row.set(kept, before.get(kept));
            }
        }
        return row;
    }

    /** Puts {@code row} as version {@code version} under {@code condition}; false when the condition failed. */
    private boolean write(TableDeclaration t, Actor a, String id, ObjectNode row, long version, Condition condition) {
        RowPutChange put = new RowPutChange(t.name(), RowStore.key(partition(t, a), id));
        row.fields().forEachRemaining(f -> put.addColumn(new Column(f.getKey(),
                ItemCodec.encode(f.getKey(), f.getValue(), t.indexType(f.getKey())))));
        put.addColumn(new Column(ItemCodec.VERSION, ColumnValue.fromLong(version)));
        put.addColumn(new Column(ItemCodec.UPDATED_AT, ColumnValue.fromLong(clock.millis())));
        put.setCondition(condition);
        try {
            store.client.putRow(new PutRowRequest(put));
            return true;
        } catch (RuntimeException e) {
            if (!TablestoreErrors.isConditionFailure(e)) {
                throw TablestoreErrors.unavailable(e);
            }
            return false;
        }
    }

    private static ObjectNode answer(String id, long version) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put(ID, id);
        out.put(ItemCodec.VERSION, version);
        return out;
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw ApiException.invalid("limit must be a whole number from 1 to " + MAX_LIST_LIMIT + ".");
        }
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
        return RowStore.key(key.get(0).asText(), key.get(1).asText());
    }

    /** The primary key of row {@code id} in partition {@code uid}. */
    public static PrimaryKey key(String uid, String id) {
        return RowStore.key(uid, id);
    }

    /** The smallest string above every string starting with {@code prefix} (code-point order = UTF-8 order). */
    static String successor(String prefix) {
        return RowRange.successor(prefix);
    }
}
