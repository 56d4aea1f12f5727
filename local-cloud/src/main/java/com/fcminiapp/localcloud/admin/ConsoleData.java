package com.fcminiapp.localcloud.admin;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnType;
import com.alicloud.openservices.tablestore.model.Condition;
import com.alicloud.openservices.tablestore.model.DeleteRowRequest;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.RowDeleteChange;
import com.alicloud.openservices.tablestore.model.RowExistenceExpectation;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.Direction;
import com.alicloud.openservices.tablestore.model.GetRangeRequest;
import com.alicloud.openservices.tablestore.model.GetRangeResponse;
import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.RangeRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;
import com.aliyun.oss.OSS;
import com.aliyun.oss.model.ListObjectsRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.ObjectListing;
import com.aliyun.oss.model.ObjectMetadata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.fcapi.FcError;
import com.fcminiapp.localcloud.standin.alipay.AlipayStandIn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the console shows and changes: users (names, session expiries, counts), each data table's rows and each
 * user's files. Reads go through the Tablestore and OSS SDKs with the account owner's key, as any tool would;
 * row writes go through the db function ({@link DbFunctionCaller}) so they follow the client's rules exactly.
 */
public final class ConsoleData {

    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 20;
    static final String FILES_PREFIX = "users/";
    private static final int FILES_PAGE = 100;

    /** The partition every row of a shared (not private) table lives in. */
    static final String SHARED_PARTITION = "*";

    private final SyncClient tables;
    private final OSS oss;
    private final String bucket;
    private final String sessionTable;
    private final DataTables declared;
    private final DbFunctionCaller db;
    private final AlipayStandIn alipay;
    private final Clock clock;

    /**
     * @param tables     a client of the Tablestore stand-in (owner key)
     * @param oss        a client of the OSS stand-in (owner key)
     * @param declared   the db function's {@code DATA_TABLES}
     * @param db         runs an event through the db function
     */
    public ConsoleData(SyncClient tables, OSS oss, String bucket, String sessionTable, DataTables declared,
                       DbFunctionCaller.Invoker db, AlipayStandIn alipay, Clock clock) {
        this.tables = tables;
        this.oss = oss;
        this.bucket = bucket;
        this.sessionTable = sessionTable;
        this.declared = declared;
        this.db = new DbFunctionCaller(tables, sessionTable, db, clock);
        this.alipay = alipay;
        this.clock = clock;
    }

    public List<String> dataTables() {
        return declared.names();
    }

    /** The fields of {@code table} shown and edited as arrays (its declared {@code string[]} fields). */
    Set<String> arrayFields(String table) {
        return declared.arrayFields(table);
    }

    // ---- users ----

    /** Every user a login, an import, a session, a row or a file names; never a session id. */
    public ArrayNode users() throws FcError {
        Map<String, ObjectNode> users = new TreeMap<>();
        alipay.knownUids().forEach(uid -> user(users, uid));
        long now = clock.millis();
        scan(sessionTable, null, row -> {
            Column uid = row.getLatestColumn("uid");
            Column expires = row.getLatestColumn("expiresAt");
            if (uid != null && expires != null && expires.getValue().asLong() > now) {
                ((ArrayNode) user(users, uid.getValue().asString()).get("sessions")).addObject()
                        .put("expiresAt", Instant.ofEpochMilli(expires.getValue().asLong()).toString());
            }
        });
        for (String table : dataTables()) {
            scan(table, null, row -> increment(user(users, ownerOf(row)), "rowCount"));
        }
        for (OSSObjectSummary file : allFiles(null)) {
            increment(user(users, uidOfKey(file.getKey())), "fileCount");
        }
        // a seed check's scratch user is no one's
        users.keySet().removeIf(SeedCheck::isScratch);
        ArrayNode out = ItemJson.MAPPER.createArrayNode();
        users.values().stream().sorted(Comparator.comparing((ObjectNode u) -> u.path("name").isNull())
                .thenComparing(u -> u.path("name").asText()).thenComparing(u -> u.path("uid").asText()))
                .forEach(out::add);
        return out;
    }

    private ObjectNode user(Map<String, ObjectNode> users, String uid) {
        return users.computeIfAbsent(uid, u -> {
            ObjectNode user = ItemJson.MAPPER.createObjectNode();
            user.put("uid", u);
            user.put("name", nameOf(u).orElse(null));
            user.putArray("sessions");
            user.put("rowCount", 0);
            user.put("fileCount", 0);
            return user;
        });
    }

    private static void increment(ObjectNode user, String field) {
        user.put(field, user.path(field).asLong() + 1);
    }

    /** The login name {@code uid} belongs to, when a login or an import named it. */
    Optional<String> nameOf(String uid) {
        return alipay.nameOf(uid).filter(name -> alipay.uidFor(name).equals(uid));
    }

    /** The login name of {@code uid} when a login or an import named it, else null (the console's users table). */
    public String loginName(String uid) {
        return nameOf(uid).orElse(null);
    }

    /** The uid a login name gets, without remembering the name. */
    String uidFor(String name) {
        return alipay.uidFor(name);
    }

    /** The uid of a login name, remembered so the console and exports can name it. */
    String uidOfName(String name) {
        return alipay.rememberName(name);
    }

    // ---- rows ----

    /** One page of {@code table}'s rows, of {@code uid} or (null) of every user, after the token {@code next}. */
    public ObjectNode rows(String table, String uid, int limit, String next) throws FcError {
        checkTable(table);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw invalid("limit must be 1 to " + MAX_LIMIT + " (default " + DEFAULT_LIMIT + "), not " + limit + ".");
        }
        PrimaryKey start = next == null ? bound(uid, PrimaryKeyValue.INF_MIN) : PageTokens.decode(next, uid);
        PrimaryKey end = bound(uid, PrimaryKeyValue.INF_MAX);
        RangeRowQueryCriteria criteria = new RangeRowQueryCriteria(table);
        criteria.setInclusiveStartPrimaryKey(start);
        criteria.setExclusiveEndPrimaryKey(end);
        criteria.setMaxVersions(1);
        criteria.setLimit(limit);
        criteria.setDirection(Direction.FORWARD);
        GetRangeResponse page = tablestore(() -> tables.getRange(new GetRangeRequest(criteria)));
        ObjectNode out = ItemJson.MAPPER.createObjectNode();
        ArrayNode rows = out.putArray("rows");
        page.getRows().forEach(row -> rows.add(row(table, row)));
        PrimaryKey nextKey = page.getNextStartPrimaryKey();
        out.put("next", nextKey == null ? null : PageTokens.encode(nextKey));
        return out;
    }

    /** One row, or NotFound. */
    public ObjectNode row(String table, String uid, String id) throws FcError {
        checkTable(table);
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(table, key(uid, id));
        criteria.setMaxVersions(1);
        Row row = tablestore(() -> tables.getRow(new GetRowRequest(criteria)).getRow());
        if (row == null || row.isEmpty()) {
            throw new FcError(404, "NOT_FOUND", "No row '" + id + "' of user " + uid + " in table " + table + ".");
        }
        return row(table, row);
    }

    /**
     * Replaces the row with {@code item} through the db function's {@code put} (its rules, its encoding, its
     * {@code _version}); with {@code version} only if the stored one still is that. Answers the stored row.
     */
    public ObjectNode putRow(String table, String uid, String id, JsonNode item, JsonNode version) throws FcError {
        checkTable(table);
        if (!item.isObject()) {
            throw invalid("Send {\"item\": {...}}: the item's fields as a JSON object.");
        }
        ObjectNode obj = ((ObjectNode) item).deepCopy();
        JsonNode givenId = obj.get("id");
        if (givenId != null && !(givenId.isTextual() && givenId.asText().equals(id))) {
            throw invalid("The item's id must be the row's id '" + id + "' (or left out); to rename, add a new row.");
        }
        obj.put("id", id);
        ObjectNode event = event(table, "put");
        event.set("obj", obj);
        if (version != null && !version.isNull()) {
            event.set("version", version);
        }
        db.call(uid, event);
        return row(table, uid, id);
    }

    /** Removes the row through the db function's {@code remove}. */
    public void deleteRow(String table, String uid, String id) throws FcError {
        row(table, uid, id);
        ObjectNode event = event(table, "remove");
        event.put("id", id);
        db.call(uid, event);
    }

    /**
     * Makes {@code items} (table → items) all the rows {@code uid} has, in every data table, through the db function:
     * its other rows are removed, the items put, in one session.
     */
    void replaceRows(String uid, Map<String, List<ObjectNode>> items) throws FcError {
        List<ObjectNode> events = new ArrayList<>();
        for (String table : dataTables()) {
            scan(table, uid, row -> {
                ObjectNode remove = event(table, "remove");
                remove.put("id", row.getPrimaryKey().getPrimaryKeyColumn("id").getValue().asString());
                events.add(remove);
            });
            for (ObjectNode item : items.getOrDefault(table, List.of())) {
                ObjectNode put = event(table, "put");
                put.set("obj", item);
                events.add(put);
            }
        }
        db.callAll(uid, events);
    }

    /** The console's view of the declared tables, read and queried through this data's clients. */
    public ConsoleTables tables() {
        return new ConsoleTables(declared, tables, db);
    }

    /** Runs events through the db function as a user. */
    DbFunctionCaller db() {
        return db;
    }

    /** Every row of {@code uid} in {@code table} as stored (every column, {@code _version} and {@code _updatedAt}). */
    List<Row> rowsOf(String table, String uid) throws FcError {
        List<Row> rows = new ArrayList<>();
        scan(table, uid, rows::add);
        return rows;
    }

    /** Writes {@code columns} as the whole row {@code (uid, id)} of {@code table}, bypassing the db function. */
    void putRawRow(String table, String uid, String id, List<Column> columns) throws FcError {
        RowPutChange put = new RowPutChange(table, key(uid, id));
        columns.forEach(put::addColumn);
        put.setCondition(new Condition(RowExistenceExpectation.IGNORE));
        tablestore(() -> tables.putRow(new PutRowRequest(put)));
    }

    /** Deletes every row of {@code uid} in every data table, bypassing the db function. */
    void deleteAllRows(String uid) throws FcError {
        for (String table : dataTables()) {
            for (Row row : rowsOf(table, uid)) {
                RowDeleteChange delete = new RowDeleteChange(table, row.getPrimaryKey());
                delete.setCondition(new Condition(RowExistenceExpectation.IGNORE));
                tablestore(() -> tables.deleteRow(new DeleteRowRequest(delete)));
            }
        }
    }

    /** Every row of {@code uid} (null: of everyone) in {@code table}, in key order. */
    void scan(String table, String uid, Consumer<Row> each) throws FcError {
        if (uid == null && table.equals(sessionTable)) {
            scan(table, single("id", PrimaryKeyValue.INF_MIN), single("id", PrimaryKeyValue.INF_MAX), each);
        } else {
            scan(table, bound(uid, PrimaryKeyValue.INF_MIN), bound(uid, PrimaryKeyValue.INF_MAX), each);
        }
    }

    private void scan(String table, PrimaryKey start, PrimaryKey end, Consumer<Row> each) throws FcError {
        RangeRowQueryCriteria criteria = new RangeRowQueryCriteria(table);
        criteria.setMaxVersions(1);
        criteria.setDirection(Direction.FORWARD);
        criteria.setInclusiveStartPrimaryKey(start);
        criteria.setExclusiveEndPrimaryKey(end);
        while (true) {
            GetRangeResponse page = tablestore(() -> tables.getRange(new GetRangeRequest(criteria)));
            page.getRows().forEach(each);
            if (page.getNextStartPrimaryKey() == null) {
                return;
            }
            criteria.setInclusiveStartPrimaryKey(page.getNextStartPrimaryKey());
        }
    }

    /** Every uid with a row in a data table that starts with {@code prefix} (a range read, not a full scan). */
    java.util.Set<String> uidsStartingWith(String prefix) throws FcError {
        // the uids starting with prefix sort from prefix up to (not including) prefix with its last char raised
        String after = prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
        java.util.Set<String> uids = new java.util.TreeSet<>();
        // a template may declare no table resources; its data tables are then made by the db function on first use
        List<String> existing = tablestore(() -> tables.listTable().getTableNames());
        for (String table : dataTables()) {
            if (!existing.contains(table)) {
                continue;
            }
            scan(table, bound(prefix, PrimaryKeyValue.INF_MIN), bound(after, PrimaryKeyValue.INF_MIN),
                    row -> uids.add(uidOf(row)));
        }
        return uids;
    }

    private ObjectNode row(String table, Row row) {
        ObjectNode out = ItemJson.MAPPER.createObjectNode();
        String id = row.getPrimaryKey().getPrimaryKeyColumn("id").getValue().asString();
        out.put("uid", uidOf(row));
        out.put("id", id);
        out.set("item", ItemJson.item(id, row.getColumns(), false, arrayFields(table)));
        Column version = row.getLatestColumn(ItemJson.VERSION);
        Column updated = row.getLatestColumn(ItemJson.UPDATED_AT);
        out.put("version", version == null ? 0 : version.getValue().asLong());
        out.put("updatedAt", updated == null ? null : Instant.ofEpochMilli(updated.getValue().asLong()).toString());
        Column created = row.getLatestColumn(ItemJson.CREATED_AT);
        Column owner = row.getLatestColumn(ItemJson.OWNER);
        out.put("createdAt", created == null || created.getValue().getType() != ColumnType.INTEGER ? null
                : Instant.ofEpochMilli(created.getValue().asLong()).toString());
        out.put("owner", owner == null || owner.getValue().getType() != ColumnType.STRING ? null
                : owner.getValue().asString());
        return out;
    }

    static String uidOf(Row row) {
        return row.getPrimaryKey().getPrimaryKeyColumn("uid").getValue().asString();
    }

    /**
     * Whose row it is: its partition's uid, or for a shared table's row (all in partition {@code *}, design §2) its
     * {@code _owner}.
     */
    static String ownerOf(Row row) {
        String uid = uidOf(row);
        Column owner = row.getLatestColumn("_owner");
        return SHARED_PARTITION.equals(uid) && owner != null && owner.getValue().getType() == ColumnType.STRING
                ? owner.getValue().asString() : uid;
    }

    private ObjectNode event(String table, String op) {
        ObjectNode event = ItemJson.MAPPER.createObjectNode();
        event.put("op", op);
        event.put("table", table);
        return event;
    }

    private void checkTable(String table) throws FcError {
        if (!dataTables().contains(table)) {
            throw new FcError(404, "NOT_FOUND", "No data table '" + table + "'; the db function serves " + dataTables()
                    + ".");
        }
    }

    private static PrimaryKey bound(String uid, PrimaryKeyValue edge) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("uid", uid == null ? edge : PrimaryKeyValue.fromString(uid))
                .addPrimaryKeyColumn("id", edge).build();
    }

    private static PrimaryKey single(String name, PrimaryKeyValue value) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder().addPrimaryKeyColumn(name, value).build();
    }

    static PrimaryKey key(String uid, String id) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("uid", PrimaryKeyValue.fromString(uid))
                .addPrimaryKeyColumn("id", PrimaryKeyValue.fromString(id)).build();
    }

    // ---- files ----

    /** One page of files, of {@code uid} or (null) of every user, after the key {@code next}. */
    public ObjectNode files(String uid, String next) throws FcError {
        String prefix = FILES_PREFIX + (uid == null ? "" : uid + "/");
        ListObjectsRequest request = new ListObjectsRequest(bucket, prefix, next, null, FILES_PAGE);
        ObjectListing listing = oss(() -> oss.listObjects(request));
        ObjectNode out = ItemJson.MAPPER.createObjectNode();
        ArrayNode files = out.putArray("files");
        for (OSSObjectSummary summary : listing.getObjectSummaries()) {
            ObjectMetadata meta = oss(() -> oss.getObjectMetadata(bucket, summary.getKey()));
            String key = summary.getKey();
            String owner = uidOfKey(key);
            files.addObject().put("uid", owner).put("path", key.substring(FILES_PREFIX.length() + owner.length() + 1))
                    .put("key", key).put("size", summary.getSize()).put("contentType", meta.getContentType())
                    .put("lastModified", summary.getLastModified().toInstant().toString());
        }
        out.put("next", listing.isTruncated() ? listing.getNextMarker() : null);
        return out;
    }

    /** The bytes of a user's file. */
    public byte[] fileContent(String key) throws FcError {
        checkFileKey(key);
        exists(key);
        try (OSSObject object = oss(() -> oss.getObject(bucket, key)); InputStream in = object.getObjectContent()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw unavailable("OSS", e);
        }
    }

    /** Deletes a user's file; NotFound when there is none. */
    public void deleteFile(String key) throws FcError {
        checkFileKey(key);
        exists(key);
        oss(() -> {
            oss.deleteObject(bucket, key);
            return null;
        });
    }

    /**
     * Stores {@code size} bytes from {@code in} as the file {@code key} with these headers ({@code Content-Type},
     * {@code Content-Disposition}, …) and user metadata, streamed: no file is held in memory.
     */
    void putFile(String key, InputStream in, long size, Map<String, String> headers, Map<String, String> userMetadata)
            throws FcError {
        ObjectMetadata meta = new ObjectMetadata();
        headers.forEach(meta::setHeader);
        meta.setUserMetadata(new TreeMap<>(userMetadata));
        meta.setContentLength(size);
        oss(() -> oss.putObject(bucket, key, in, meta));
    }

    /** The key of {@code uid}'s file {@code path}. */
    static String fileKey(String uid, String path) {
        return FILES_PREFIX + uid + "/" + path;
    }

    ObjectMetadata metadata(String key) throws FcError {
        return oss(() -> oss.getObjectMetadata(bucket, key));
    }

    /** Writes the bytes of the file {@code key} into {@code target} (a new file), streamed. */
    void download(String key, Path target) throws FcError, IOException {
        try (OSSObject object = oss(() -> oss.getObject(bucket, key)); InputStream in = object.getObjectContent()) {
            Files.copy(in, target);
        } catch (RuntimeException e) {
            throw unavailable("OSS", e);
        }
    }

    /** Every file of {@code uid} (null: of everyone), in key order. */
    List<OSSObjectSummary> allFiles(String uid) throws FcError {
        List<OSSObjectSummary> all = new ArrayList<>();
        String marker = null;
        while (true) {
            ListObjectsRequest request = new ListObjectsRequest(bucket, FILES_PREFIX + (uid == null ? "" : uid + "/"),
                    marker, null, 1000);
            ObjectListing listing = oss(() -> oss.listObjects(request));
            all.addAll(listing.getObjectSummaries());
            if (!listing.isTruncated()) {
                return all;
            }
            marker = listing.getNextMarker();
        }
    }

    void deleteKey(String key) throws FcError {
        oss(() -> {
            oss.deleteObject(bucket, key);
            return null;
        });
    }

    static String uidOfKey(String key) {
        String rest = key.substring(FILES_PREFIX.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private void exists(String key) throws FcError {
        if (!oss(() -> oss.doesObjectExist(bucket, key))) {
            throw new FcError(404, "NOT_FOUND", "No file with key '" + key + "'.");
        }
    }

    private static void checkFileKey(String key) throws FcError {
        if (key == null || !key.startsWith(FILES_PREFIX) || key.indexOf('/', FILES_PREFIX.length()) < 0) {
            throw invalid("Give key=users/<uid>/<path>, a key from GET /_admin/files.");
        }
    }

    // ---- errors ----

    static FcError invalid(String message) {
        return new FcError(400, "INVALID_ARGUMENT", message);
    }

    static FcError unavailable(String service, Exception e) {
        return new FcError(503, "UPSTREAM_UNAVAILABLE", "The " + service + " stand-in failed ("
                + e.getClass().getSimpleName() + "); check its fault switch (GET /_admin/faults) and retry.");
    }

    /** Runs a Tablestore SDK call; its failure becomes UPSTREAM_UNAVAILABLE. */
    static <T> T tablestore(Supplier<T> call) throws FcError {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw unavailable("Tablestore", e);
        }
    }

    private static <T> T oss(Supplier<T> call) throws FcError {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw unavailable("OSS", e);
        }
    }

    /** Opaque page tokens: the next row's primary key, as base64url JSON. */
    static final class PageTokens {
        private PageTokens() {
        }

        static String encode(PrimaryKey key) {
            ArrayNode pair = ItemJson.MAPPER.createArrayNode()
                    .add(key.getPrimaryKeyColumn("uid").getValue().asString())
                    .add(key.getPrimaryKeyColumn("id").getValue().asString());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(ItemJson.write(pair));
        }

        static PrimaryKey decode(String token, String uid) throws FcError {
            JsonNode pair;
            try {
                pair = ItemJson.read(Base64.getUrlDecoder().decode(token));
            } catch (RuntimeException e) {
                pair = null;
            }
            if (pair == null || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()
                    || (uid != null && !uid.equals(pair.get(0).asText()))) {
                throw invalid("next must be the token of the page before (with the same uid filter).");
            }
            return key(pair.get(0).asText(), pair.get(1).asText());
        }
    }
}
