package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.core.protocol.OtsInternalApi;
import com.alicloud.openservices.tablestore.core.protocol.PlainBufferCell;
import com.alicloud.openservices.tablestore.core.protocol.PlainBufferConsts;
import com.alicloud.openservices.tablestore.core.protocol.PlainBufferRow;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnType;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyColumn;
import com.alicloud.openservices.tablestore.model.PrimaryKeyType;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.aliyun.ots.thirdparty.com.google.protobuf.ByteString;
import com.aliyun.ots.thirdparty.com.google.protobuf.InvalidProtocolBufferException;
import com.fcminiapp.localcloud.standin.DurableStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.StringDataType;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Tablestore's table and row operations over MVStore maps: table metadata in one map, each table's rows in a map
 * whose key order is the primary-key order. Writes to one table are serialized, so a conditional write reads
 * and replaces its row atomically. Every write is on disk before it is answered, and a read waits until what it
 * saw is on disk, so nothing answered is taken back by a crash.
 */
final class TableEngine {

    static final int MAX_CELL_BYTES = 2 * 1024 * 1024;
    static final int MAX_ROW_ATTRIBUTE_BYTES = 2 * 1024 * 1024;
    static final int MAX_PRIMARY_KEY_STRING_BYTES = 1024;
    static final int MAX_RANGE_ROWS = 5000;
    static final int MAX_RANGE_BYTES = 4 * 1024 * 1024;
    static final int MAX_BATCH_WRITE_ROWS = 200;
    static final int MAX_BATCH_GET_ROWS = 100;

    private static final String TABLES_MAP = "tablestore.tables";
    private static final String ROWS_MAP_PREFIX = "tablestore.rows.";
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");

    private final MVStore store;
    private final Clock clock;
    private final MVMap<String, byte[]> tables;
    private final DurableStore durability;
    private final Map<String, Object> writeLocks = new ConcurrentHashMap<>();
    private volatile RowObserver observer = RowObserver.NONE;

    TableEngine(MVStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.tables = store.openMap(TABLES_MAP, new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE));
        this.durability = new DurableStore(store);
    }

    /** Tells {@code observer} of every row write and table deletion from now on (the search indexes). */
    void observeWith(RowObserver observer) {
        this.observer = observer;
    }

    /** Runs {@code action} while no write to {@code table} can happen, e.g. to snapshot its rows consistently. */
    <T> T underWriteLock(String table, Supplier<T> action) {
        synchronized (lockFor(table)) {
            return action.get();
        }
    }

    /** Every row of {@code table} in primary-key order, with its storage key; call under the table's write lock. */
    void forEachRow(String table, BiConsumer<String, StoredRow> action) {
        MVMap<String, byte[]> rows = rows(table);
        for (Map.Entry<String, byte[]> entry : rows.entrySet()) {
            action.accept(entry.getKey(), StoredRow.fromBytes(entry.getValue()));
        }
    }

    // ---- tables ----

    OtsInternalApi.CreateTableResponse createTable(OtsInternalApi.CreateTableRequest request) {
        OtsInternalApi.TableMeta meta = request.getTableMeta();
        String name = meta.getTableName();
        if (!TABLE_NAME.matcher(name).matches()) {
            throw OtsError.invalid("Invalid table name: '" + name + "'.");
        }
        int keyCount = meta.getPrimaryKeyCount();
        if (keyCount < 1 || keyCount > 4) {
            throw OtsError.invalid("The number of primary key columns must be in range: [1, 4].");
        }
        Set<String> seen = new HashSet<>();
        for (OtsInternalApi.PrimaryKeySchema column : meta.getPrimaryKeyList()) {
            if (column.hasOption()) {
                throw OtsError.invalid("This stand-in does not support auto-increment primary key columns.");
            }
            if (!seen.add(column.getName())) {
                throw OtsError.invalid("Duplicated primary key name: '" + column.getName() + "'.");
            }
        }
        OtsInternalApi.TableOptions.Builder options = OtsInternalApi.TableOptions.newBuilder()
                .setTimeToLive(-1).setMaxVersions(1).setDeviationCellVersionInSec(86400);
        if (request.hasTableOptions()) {
            options.mergeFrom(request.getTableOptions());
        }
        long now = clock.millis();
        OtsInternalApi.DescribeTableResponse description = OtsInternalApi.DescribeTableResponse.newBuilder()
                .setTableMeta(OtsInternalApi.TableMeta.newBuilder()
                        .setTableName(name)
                        .addAllPrimaryKey(meta.getPrimaryKeyList())
                        .addAllDefinedColumn(meta.getDefinedColumnList()))
                .setReservedThroughputDetails(OtsInternalApi.ReservedThroughputDetails.newBuilder()
                        .setCapacityUnit(request.getReservedThroughput().getCapacityUnit())
                        .setLastIncreaseTime(now / 1000))
                .setTableOptions(options)
                .setCreationTime(now * 1000)
                .build();
        synchronized (lockFor(name)) {
            if (tables.putIfAbsent(name, description.toByteArray()) != null) {
                throw new OtsError(409, "OTSObjectAlreadyExist", "Requested table already exists.");
            }
            durability.markApplied();
        }
        durability.awaitApplied();
        return OtsInternalApi.CreateTableResponse.getDefaultInstance();
    }

    OtsInternalApi.DescribeTableResponse describeTable(String name) {
        byte[] stored = tables.get(name);
        if (stored == null) {
            throw OtsError.tableNotFound();
        }
        try {
            return OtsInternalApi.DescribeTableResponse.parseFrom(stored);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored table metadata is corrupt: " + name, e);
        }
    }

    OtsInternalApi.ListTableResponse listTable() {
        return OtsInternalApi.ListTableResponse.newBuilder().addAllTableNames(tables.keyList()).build();
    }

    OtsInternalApi.DeleteTableResponse deleteTable(String name) {
        synchronized (lockFor(name)) {
            if (tables.remove(name) == null) {
                throw OtsError.tableNotFound();
            }
            store.removeMap(ROWS_MAP_PREFIX + name);
            observer.tableDeleted(name);
            durability.markApplied();
        }
        durability.awaitApplied();
        return OtsInternalApi.DeleteTableResponse.getDefaultInstance();
    }

    private MVMap<String, byte[]> rows(String table) {
        return store.openMap(ROWS_MAP_PREFIX + table, new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE));
    }

    private Object lockFor(String table) {
        return writeLocks.computeIfAbsent(table, t -> new Object());
    }

    /**
     * Waits until what a reader of {@code table} has just seen is on disk. The ticket is read under the table's
     * write lock: a write the reader saw has marked itself applied by the time the lock is free.
     */
    private void awaitSeen(String table) {
        long ticket;
        synchronized (lockFor(table)) {
            ticket = durability.lastApplied();
        }
        durability.awaitDurable(ticket);
    }

    // ---- single-row reads ----

    OtsInternalApi.GetRowResponse getRow(OtsInternalApi.GetRowRequest request) {
        OtsInternalApi.TableMeta meta = describeTable(request.getTableName()).getTableMeta();
        PrimaryKey primaryKey = StoredRow.primaryKeyOf(StoredRow.decodeSingle(request.getPrimaryKey().toByteArray()));
        checkPrimaryKey(meta, primaryKey, false);
        byte[] stored = rows(request.getTableName()).get(PrimaryKeyOrder.key(primaryKey));
        byte[] answer = new byte[0];
        if (stored != null) {
            PlainBufferRow shown = StoredRow.fromBytes(stored).project(request.getColumnsToGetList());
            answer = shown == null ? answer : StoredRow.encode(List.of(shown));
        }
        awaitSeen(request.getTableName());
        return OtsInternalApi.GetRowResponse.newBuilder()
                .setConsumed(consumed(1, 0))
                .setRow(ByteString.copyFrom(answer))
                .build();
    }

    OtsInternalApi.BatchGetRowResponse batchGetRow(OtsInternalApi.BatchGetRowRequest request) {
        int total = request.getTablesList().stream().mapToInt(OtsInternalApi.TableInBatchGetRowRequest::getPrimaryKeyCount).sum();
        if (total > MAX_BATCH_GET_ROWS) {
            throw OtsError.invalid("Rows count exceeds the upper limit: " + MAX_BATCH_GET_ROWS + ".");
        }
        OtsInternalApi.BatchGetRowResponse.Builder response = OtsInternalApi.BatchGetRowResponse.newBuilder();
        for (OtsInternalApi.TableInBatchGetRowRequest table : request.getTablesList()) {
            OtsInternalApi.TableInBatchGetRowResponse.Builder tableResult =
                    OtsInternalApi.TableInBatchGetRowResponse.newBuilder().setTableName(table.getTableName());
            for (ByteString primaryKey : table.getPrimaryKeyList()) {
                OtsInternalApi.RowInBatchGetRowResponse.Builder row = OtsInternalApi.RowInBatchGetRowResponse.newBuilder();
                try {
                    OtsInternalApi.GetRowResponse single = getRow(OtsInternalApi.GetRowRequest.newBuilder()
                            .setTableName(table.getTableName())
                            .setPrimaryKey(primaryKey)
                            .addAllColumnsToGet(table.getColumnsToGetList())
                            .build());
                    row.setIsOk(true).setConsumed(single.getConsumed()).setRow(single.getRow());
                } catch (OtsError e) {
                    row.setIsOk(false).setError(errorOf(e));
                }
                tableResult.addRows(row);
            }
            response.addTables(tableResult);
        }
        return response.build();
    }

    // ---- range reads ----

    OtsInternalApi.GetRangeResponse getRange(OtsInternalApi.GetRangeRequest request) {
        OtsInternalApi.TableMeta meta = describeTable(request.getTableName()).getTableMeta();
        PrimaryKey start = StoredRow.primaryKeyOf(StoredRow.decodeSingle(request.getInclusiveStartPrimaryKey().toByteArray()));
        PrimaryKey end = StoredRow.primaryKeyOf(StoredRow.decodeSingle(request.getExclusiveEndPrimaryKey().toByteArray()));
        checkPrimaryKey(meta, start, true);
        checkPrimaryKey(meta, end, true);
        int limit = MAX_RANGE_ROWS;
        if (request.hasLimit()) {
            if (request.getLimit() <= 0) {
                throw OtsError.invalid("The limit must be greater than 0.");
            }
            limit = Math.min(limit, request.getLimit());
        }
        String startBound = PrimaryKeyOrder.bound(start);
        String endBound = PrimaryKeyOrder.bound(end);
        boolean forward = request.getDirection() == OtsInternalApi.Direction.FORWARD;
        if (forward && startBound.compareTo(endBound) > 0) {
            throw OtsError.invalid("Begin key must less than end key in FORWARD");
        }
        if (!forward && startBound.compareTo(endBound) < 0) {
            throw OtsError.invalid("Begin key must more than end key in BACKWARD");
        }
        MVMap<String, byte[]> rows = rows(request.getTableName());
        List<PlainBufferRow> found = new ArrayList<>();
        int bytes = 0;
        PrimaryKey nextStart = null;
        String key = forward ? rows.ceilingKey(startBound) : rows.floorKey(startBound);
        while (key != null && (forward ? key.compareTo(endBound) < 0 : key.compareTo(endBound) > 0)) {
            byte[] stored = rows.get(key);
            if (stored != null) {
                StoredRow row = StoredRow.fromBytes(stored);
                if (found.size() >= limit || bytes >= MAX_RANGE_BYTES) {
                    nextStart = row.primaryKey;
                    break;
                }
                PlainBufferRow shown = row.project(request.getColumnsToGetList());
                if (shown != null) {
                    found.add(shown);
                    bytes += row.dataSize();
                }
            }
            key = forward ? rows.higherKey(key) : rows.lowerKey(key);
        }
        awaitSeen(request.getTableName());
        OtsInternalApi.GetRangeResponse.Builder response = OtsInternalApi.GetRangeResponse.newBuilder()
                .setConsumed(consumed(Math.max(1, (bytes + 4095) / 4096), 0))
                .setRows(ByteString.copyFrom(StoredRow.encode(found)));
        if (nextStart != null) {
            response.setNextStartPrimaryKey(ByteString.copyFrom(StoredRow.encodePrimaryKey(nextStart)));
        }
        return response.build();
    }

    // ---- writes ----

    OtsInternalApi.PutRowResponse putRow(OtsInternalApi.PutRowRequest request) {
        OtsInternalApi.RowInBatchWriteRowResponse result = write(request.getTableName(),
                OtsInternalApi.OperationType.PUT, request.getRow(), request.getCondition(), request.getReturnContent());
        durability.awaitApplied();
        OtsInternalApi.PutRowResponse.Builder response = OtsInternalApi.PutRowResponse.newBuilder()
                .setConsumed(result.getConsumed());
        if (result.hasRow()) {
            response.setRow(result.getRow());
        }
        return response.build();
    }

    OtsInternalApi.UpdateRowResponse updateRow(OtsInternalApi.UpdateRowRequest request) {
        OtsInternalApi.RowInBatchWriteRowResponse result = write(request.getTableName(),
                OtsInternalApi.OperationType.UPDATE, request.getRowChange(), request.getCondition(), request.getReturnContent());
        durability.awaitApplied();
        OtsInternalApi.UpdateRowResponse.Builder response = OtsInternalApi.UpdateRowResponse.newBuilder()
                .setConsumed(result.getConsumed());
        if (result.hasRow()) {
            response.setRow(result.getRow());
        }
        return response.build();
    }

    OtsInternalApi.DeleteRowResponse deleteRow(OtsInternalApi.DeleteRowRequest request) {
        OtsInternalApi.RowInBatchWriteRowResponse result = write(request.getTableName(),
                OtsInternalApi.OperationType.DELETE, request.getPrimaryKey(), request.getCondition(), request.getReturnContent());
        durability.awaitApplied();
        OtsInternalApi.DeleteRowResponse.Builder response = OtsInternalApi.DeleteRowResponse.newBuilder()
                .setConsumed(result.getConsumed());
        if (result.hasRow()) {
            response.setRow(result.getRow());
        }
        return response.build();
    }

    OtsInternalApi.BatchWriteRowResponse batchWriteRow(OtsInternalApi.BatchWriteRowRequest request) {
        int total = request.getTablesList().stream().mapToInt(OtsInternalApi.TableInBatchWriteRowRequest::getRowsCount).sum();
        if (total > MAX_BATCH_WRITE_ROWS) {
            throw OtsError.invalid("Rows count exceeds the upper limit: " + MAX_BATCH_WRITE_ROWS + ".");
        }
        OtsInternalApi.BatchWriteRowResponse.Builder response = OtsInternalApi.BatchWriteRowResponse.newBuilder();
        for (OtsInternalApi.TableInBatchWriteRowRequest table : request.getTablesList()) {
            OtsInternalApi.TableInBatchWriteRowResponse.Builder tableResult =
                    OtsInternalApi.TableInBatchWriteRowResponse.newBuilder().setTableName(table.getTableName());
            for (OtsInternalApi.RowInBatchWriteRowRequest row : table.getRowsList()) {
                try {
                    tableResult.addRows(write(table.getTableName(), row.getType(), row.getRowChange(),
                            row.getCondition(), row.getReturnContent()));
                } catch (OtsError e) {
                    tableResult.addRows(OtsInternalApi.RowInBatchWriteRowResponse.newBuilder()
                            .setIsOk(false).setError(errorOf(e)));
                }
            }
            response.addTables(tableResult);
        }
        // one commit covers the whole batch
        durability.awaitApplied();
        return response.build();
    }

    /** One row write, its condition checked and the row replaced while the table's write lock is held. */
    private OtsInternalApi.RowInBatchWriteRowResponse write(String table, OtsInternalApi.OperationType type,
            ByteString rowChange, OtsInternalApi.Condition condition, OtsInternalApi.ReturnContent returnContent) {
        OtsInternalApi.TableMeta meta = describeTable(table).getTableMeta();
        PlainBufferRow change = StoredRow.decodeSingle(rowChange.toByteArray());
        PrimaryKey primaryKey = StoredRow.primaryKeyOf(change);
        checkPrimaryKey(meta, primaryKey, false);
        if (type == OtsInternalApi.OperationType.DELETE && (!change.hasDeleteMarker() || change.hasCells())) {
            throw OtsError.invalid("A delete must carry the delete marker and no columns.");
        }
        String key = PrimaryKeyOrder.key(primaryKey);
        long now = clock.millis();
        StoredRow written;
        synchronized (lockFor(table)) {
            MVMap<String, byte[]> rows = rows(table);
            byte[] stored = rows.get(key);
            StoredRow current = stored == null ? null : StoredRow.fromBytes(stored);
            ColumnConditions.check(condition, current);
            switch (type) {
                case PUT:
                    written = new StoredRow(primaryKey, new TreeMap<>());
                    applyPut(written, change, now);
                    break;
                case UPDATE:
                    written = current == null ? new StoredRow(primaryKey, new TreeMap<>()) : current.copy();
                    applyUpdate(written, change, now);
                    break;
                case DELETE:
                    written = new StoredRow(primaryKey, new TreeMap<>());
                    rows.remove(key);
                    break;
                default:
                    throw OtsError.invalid("Unsupported operation type: " + type + ".");
            }
            if (type != OtsInternalApi.OperationType.DELETE) {
                checkRowSize(written);
                rows.put(key, written.toBytes());
            }
            observer.rowWritten(table, key, type == OtsInternalApi.OperationType.DELETE ? null : written, now);
            durability.markApplied();
        }
        OtsInternalApi.RowInBatchWriteRowResponse.Builder result = OtsInternalApi.RowInBatchWriteRowResponse.newBuilder()
                .setIsOk(true)
                .setConsumed(consumed(0, Math.max(1, (written.dataSize() + 4095) / 4096)));
        PlainBufferRow returned = null;
        if (returnContent.getReturnType() == OtsInternalApi.ReturnType.RT_PK) {
            returned = written.primaryKeyOnly();
        } else if (returnContent.getReturnType() == OtsInternalApi.ReturnType.RT_AFTER_MODIFY
                && returnContent.getReturnColumnNamesCount() > 0) {
            returned = written.project(returnContent.getReturnColumnNamesList());
        }
        if (returned != null) {
            result.setRow(ByteString.copyFrom(StoredRow.encode(List.of(returned))));
        }
        return result.build();
    }

    private static void applyPut(StoredRow row, PlainBufferRow change, long now) {
        if (change.hasDeleteMarker()) {
            throw OtsError.invalid("A put must not carry the delete marker.");
        }
        for (PlainBufferCell cell : change.getCells()) {
            if (cell.hasCellType() || !cell.hasCellValue()) {
                throw OtsError.invalid("Every column of a put needs a value.");
            }
            row.columns.put(cell.getCellName(), checkedColumn(cell, now));
        }
    }

    private static void applyUpdate(StoredRow row, PlainBufferRow change, long now) {
        if (change.hasDeleteMarker()) {
            throw OtsError.invalid("An update must not carry the delete marker.");
        }
        for (PlainBufferCell cell : change.getCells()) {
            String name = cell.getCellName();
            if (!cell.hasCellType()) {
                row.columns.put(name, checkedColumn(cell, now));
                continue;
            }
            switch (cell.getCellType()) {
                case PlainBufferConsts.DELETE_ALL_VERSION:
                    row.columns.remove(name);
                    break;
                case PlainBufferConsts.DELETE_ONE_VERSION:
                    Column existing = row.columns.get(name);
                    if (existing != null && existing.getTimestamp() == cell.getCellTimestamp()) {
                        row.columns.remove(name);
                    }
                    break;
                case PlainBufferConsts.INCREMENT:
                    applyIncrement(row, cell, now);
                    break;
                default:
                    throw OtsError.invalid("Unsupported cell type: " + cell.getCellType() + ".");
            }
        }
    }

    private static void applyIncrement(StoredRow row, PlainBufferCell cell, long now) {
        ColumnValue delta = cell.getCellValue();
        if (delta == null || delta.getType() != ColumnType.INTEGER) {
            throw OtsError.invalid("Only integer columns can be incremented.");
        }
        Column existing = row.columns.get(cell.getCellName());
        long base = 0;
        if (existing != null) {
            if (existing.getValue().getType() != ColumnType.INTEGER) {
                throw OtsError.invalid("The column '" + cell.getCellName() + "' to increment is not an integer.");
            }
            base = existing.getValue().asLong();
        }
        row.columns.put(cell.getCellName(), new Column(cell.getCellName(), ColumnValue.fromLong(base + delta.asLong()), now));
    }

    private static Column checkedColumn(PlainBufferCell cell, long now) {
        ColumnValue value = cell.getCellValue();
        int length = value.getType() == ColumnType.STRING ? value.asStringInBytes().length
                : value.getType() == ColumnType.BINARY ? value.asBinary().length : 0;
        if (length > MAX_CELL_BYTES) {
            throw OtsError.invalid("The length of attribute column: '" + cell.getCellName()
                    + "' exceeds the MaxLength:" + MAX_CELL_BYTES + " with CurrentLength:" + length + ".");
        }
        long timestamp = cell.hasCellTimestamp() ? cell.getCellTimestamp() : now;
        return new Column(cell.getCellName(), value, timestamp);
    }

    private static void checkRowSize(StoredRow row) {
        long size = 0;
        for (Column column : row.columns.values()) {
            size += column.getValue().getDataSize();
        }
        if (size > MAX_ROW_ATTRIBUTE_BYTES) {
            throw OtsError.invalid("The total size of the attribute columns of a row exceeds " + MAX_ROW_ATTRIBUTE_BYTES
                    + " bytes with CurrentLength:" + size + ".");
        }
    }

    /** Checks the key against the table's schema, with the service's messages. */
    private static void checkPrimaryKey(OtsInternalApi.TableMeta meta, PrimaryKey primaryKey, boolean allowInfinite) {
        if (primaryKey.size() != meta.getPrimaryKeyCount()) {
            throw OtsError.invalid("Validate PK size fail. Input: " + primaryKey.size() + ", Meta: "
                    + meta.getPrimaryKeyCount() + ".");
        }
        for (int i = 0; i < primaryKey.size(); i++) {
            PrimaryKeyColumn column = primaryKey.getPrimaryKeyColumn(i);
            OtsInternalApi.PrimaryKeySchema schema = meta.getPrimaryKey(i);
            if (!column.getName().equals(schema.getName())) {
                throw OtsError.invalid("Validate PK name fail. Input: " + column.getName() + ", Meta: "
                        + schema.getName() + ".");
            }
            PrimaryKeyValue value = column.getValue();
            if (value.isInfMin() || value.isInfMax()) {
                if (!allowInfinite) {
                    throw OtsError.invalid("INF_MIN and INF_MAX are only allowed in a range: '" + column.getName() + "'.");
                }
                continue;
            }
            if (value.isPlaceHolderForAutoIncr()) {
                throw OtsError.invalid("The primary key column '" + column.getName() + "' is not auto-increment.");
            }
            String expected = schema.getType().name();
            String actual = value.getType().name();
            if (!expected.equals(actual)) {
                throw OtsError.invalid("Validate PK type fail. Input: VT_" + actual + ", Meta: VT_" + expected + ".");
            }
            if (value.getType() == PrimaryKeyType.STRING
                    && value.asStringInBytes().length > MAX_PRIMARY_KEY_STRING_BYTES) {
                throw OtsError.invalid("The length of primary key column: '" + column.getName()
                        + "' exceeded the MaxLength:" + MAX_PRIMARY_KEY_STRING_BYTES + " with CurrentLength:"
                        + value.asStringInBytes().length + ".");
            }
        }
    }

    private static OtsInternalApi.ConsumedCapacity consumed(int read, int write) {
        return OtsInternalApi.ConsumedCapacity.newBuilder()
                .setCapacityUnit(OtsInternalApi.CapacityUnit.newBuilder().setRead(read).setWrite(write))
                .build();
    }

    static OtsInternalApi.Error errorOf(OtsError e) {
        return OtsInternalApi.Error.newBuilder().setCode(e.code).setMessage(e.getMessage()).build();
    }
}
