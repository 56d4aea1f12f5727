package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.TableStoreException;
import com.alicloud.openservices.tablestore.model.BatchGetRowRequest;
import com.alicloud.openservices.tablestore.model.BatchGetRowResponse;
import com.alicloud.openservices.tablestore.model.BatchWriteRowRequest;
import com.alicloud.openservices.tablestore.model.BatchWriteRowResponse;
import com.alicloud.openservices.tablestore.model.CapacityUnit;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.Condition;
import com.alicloud.openservices.tablestore.model.CreateTableRequest;
import com.alicloud.openservices.tablestore.model.DeleteRowRequest;
import com.alicloud.openservices.tablestore.model.DeleteTableRequest;
import com.alicloud.openservices.tablestore.model.DescribeTableRequest;
import com.alicloud.openservices.tablestore.model.DescribeTableResponse;
import com.alicloud.openservices.tablestore.model.Direction;
import com.alicloud.openservices.tablestore.model.GetRangeRequest;
import com.alicloud.openservices.tablestore.model.GetRangeResponse;
import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.MultiRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeySchema;
import com.alicloud.openservices.tablestore.model.PrimaryKeyType;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.RangeRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.ReservedThroughput;
import com.alicloud.openservices.tablestore.model.ReturnType;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.RowDeleteChange;
import com.alicloud.openservices.tablestore.model.RowExistenceExpectation;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.RowUpdateChange;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.TableMeta;
import com.alicloud.openservices.tablestore.model.TableOptions;
import com.alicloud.openservices.tablestore.model.UpdateRowRequest;
import com.alicloud.openservices.tablestore.model.condition.CompositeColumnValueCondition;
import com.alicloud.openservices.tablestore.model.condition.SingleColumnValueCondition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.fcminiapp.localcloud.standin.tablestore.TablestoreFixture.TABLE;
import static com.fcminiapp.localcloud.standin.tablestore.TablestoreFixture.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TablestoreStandInTest {

    private TablestoreFixture fixture;
    private SyncClient client;

    @BeforeEach
    void start() {
        fixture = new TablestoreFixture();
        client = fixture.client();
        fixture.createTodoTable(client);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    // ---- tables ----

    @Test
    void createdTableIsListedAndDescribedWithItsSchemaAndTimeToLive() {
        TableMeta meta = new TableMeta("events");
        meta.addPrimaryKeyColumn(new PrimaryKeySchema("day", PrimaryKeyType.INTEGER));
        meta.addPrimaryKeyColumn(new PrimaryKeySchema("blob", PrimaryKeyType.BINARY));
        client.createTable(new CreateTableRequest(meta, new TableOptions(86400, 1),
                new ReservedThroughput(new CapacityUnit(0, 0))));

        assertThat(client.listTable().getTableNames()).containsExactly("events", TABLE);
        DescribeTableResponse described = client.describeTable(new DescribeTableRequest("events"));
        assertThat(described.getTableMeta().getPrimaryKeyList()).extracting(PrimaryKeySchema::getName, PrimaryKeySchema::getType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("day", PrimaryKeyType.INTEGER),
                        org.assertj.core.groups.Tuple.tuple("blob", PrimaryKeyType.BINARY));
        assertThat(described.getTableOptions().getTimeToLive()).isEqualTo(86400);
        assertThat(described.getTableOptions().getMaxVersions()).isEqualTo(1);
    }

    @Test
    void creatingAnExistingTableFailsWithObjectAlreadyExist() {
        assertThatThrownBy(() -> fixture.createTodoTable(client))
                .isInstanceOfSatisfying(TableStoreException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo("OTSObjectAlreadyExist");
                    assertThat(e.getHttpStatus()).isEqualTo(409);
                });
    }

    @Test
    void deletedTableIsGoneAndItsRowsWithIt() {
        put("alice", "1", "title", "old");
        client.deleteTable(new DeleteTableRequest(TABLE));

        assertThat(client.listTable().getTableNames()).isEmpty();
        assertThatThrownBy(() -> client.describeTable(new DescribeTableRequest(TABLE)))
                .isInstanceOfSatisfying(TableStoreException.class, e -> assertThat(e.getErrorCode()).isEqualTo("OTSObjectNotExist"));
        fixture.createTodoTable(client);
        assertThat(get("alice", "1")).isNull();
    }

    @Test
    void operationsOnAnUnknownTableFailWithObjectNotExist() {
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria("nope", key("alice", "1"));
        criteria.setMaxVersions(1);
        assertThatThrownBy(() -> client.getRow(new GetRowRequest(criteria)))
                .isInstanceOfSatisfying(TableStoreException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo("OTSObjectNotExist");
                    assertThat(e.getMessage()).isEqualTo("Requested table does not exist.");
                    assertThat(e.getHttpStatus()).isEqualTo(404);
                });
        assertThatThrownBy(() -> client.deleteTable(new DeleteTableRequest("nope")))
                .isInstanceOfSatisfying(TableStoreException.class, e -> assertThat(e.getErrorCode()).isEqualTo("OTSObjectNotExist"));
    }

    // ---- rows ----

    @Test
    void putRowStoresEveryColumnTypeAndGetRowReturnsThem() {
        RowPutChange change = new RowPutChange(TABLE, key("alice", "1"));
        change.addColumn("s", ColumnValue.fromString("héllo"));
        change.addColumn("i", ColumnValue.fromLong(-42));
        change.addColumn("d", ColumnValue.fromDouble(2.5));
        change.addColumn("b", ColumnValue.fromBoolean(true));
        change.addColumn("x", ColumnValue.fromBinary(new byte[] {0, 1, (byte) 0xFF}));
        client.putRow(new PutRowRequest(change));

        Row row = get("alice", "1");
        assertThat(row.getPrimaryKey()).isEqualTo(key("alice", "1"));
        assertThat(row.getLatestColumn("s").getValue().asString()).isEqualTo("héllo");
        assertThat(row.getLatestColumn("i").getValue().asLong()).isEqualTo(-42);
        assertThat(row.getLatestColumn("d").getValue().asDouble()).isEqualTo(2.5);
        assertThat(row.getLatestColumn("b").getValue().asBoolean()).isTrue();
        assertThat(row.getLatestColumn("x").getValue().asBinary()).containsExactly(0, 1, 0xFF);
        assertThat(row.getLatestColumn("s").getTimestamp()).isPositive();
    }

    @Test
    void putRowReplacesTheWholeRow() {
        put("alice", "1", "title", "old");
        RowPutChange change = new RowPutChange(TABLE, key("alice", "1"));
        change.addColumn("done", ColumnValue.fromBoolean(true));
        client.putRow(new PutRowRequest(change));

        Row row = get("alice", "1");
        assertThat(row.contains("title")).isFalse();
        assertThat(row.getLatestColumn("done").getValue().asBoolean()).isTrue();
    }

    @Test
    void getRowOfAMissingRowReturnsNoRow() {
        assertThat(get("alice", "missing")).isNull();
    }

    @Test
    void getRowWithColumnsToGetReturnsOnlyThoseColumns() {
        RowPutChange change = new RowPutChange(TABLE, key("alice", "1"));
        change.addColumn("a", ColumnValue.fromLong(1));
        change.addColumn("b", ColumnValue.fromLong(2));
        client.putRow(new PutRowRequest(change));

        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(TABLE, key("alice", "1"));
        criteria.setMaxVersions(1);
        criteria.addColumnsToGet("b");
        Row row = client.getRow(new GetRowRequest(criteria)).getRow();
        assertThat(row.getColumns()).extracting(Column::getName).containsExactly("b");
    }

    @Test
    void updateRowPutsAndDeletesColumnsKeepingOneVersionEach() {
        put("alice", "1", "title", "old");
        RowUpdateChange first = new RowUpdateChange(TABLE, key("alice", "1"));
        first.put("title", ColumnValue.fromString("new"));
        first.put("count", ColumnValue.fromLong(1));
        client.updateRow(new UpdateRowRequest(first));
        RowUpdateChange second = new RowUpdateChange(TABLE, key("alice", "1"));
        second.deleteColumns("count");
        second.put("title", ColumnValue.fromString("newer"));
        client.updateRow(new UpdateRowRequest(second));

        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(TABLE, key("alice", "1"));
        criteria.setMaxVersions(10);
        Row row = client.getRow(new GetRowRequest(criteria)).getRow();
        assertThat(row.getColumn("title")).hasSize(1);
        assertThat(row.getLatestColumn("title").getValue().asString()).isEqualTo("newer");
        assertThat(row.contains("count")).isFalse();
    }

    @Test
    void updateRowOnAMissingRowCreatesIt() {
        RowUpdateChange change = new RowUpdateChange(TABLE, key("bob", "7"));
        change.put("title", ColumnValue.fromString("fresh"));
        client.updateRow(new UpdateRowRequest(change));

        assertThat(get("bob", "7").getLatestColumn("title").getValue().asString()).isEqualTo("fresh");
    }

    @Test
    void deleteRowRemovesTheRow() {
        put("alice", "1", "title", "old");
        client.deleteRow(new DeleteRowRequest(new RowDeleteChange(TABLE, key("alice", "1"))));
        assertThat(get("alice", "1")).isNull();
    }

    @Test
    void putRowCanReturnThePrimaryKey() {
        RowPutChange change = new RowPutChange(TABLE, key("alice", "1"));
        change.addColumn("title", ColumnValue.fromString("x"));
        change.setReturnType(ReturnType.RT_PK);
        assertThat(client.putRow(new PutRowRequest(change)).getRow().getPrimaryKey()).isEqualTo(key("alice", "1"));
    }

    @Test
    void wrongPrimaryKeySchemaIsRefusedAsParameterInvalid() {
        PrimaryKey onlyUid = PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("uid", PrimaryKeyValue.fromString("alice")).build();
        PrimaryKey wrongType = PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("uid", PrimaryKeyValue.fromString("alice"))
                .addPrimaryKeyColumn("id", PrimaryKeyValue.fromLong(1)).build();
        PrimaryKey wrongName = PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("uid", PrimaryKeyValue.fromString("alice"))
                .addPrimaryKeyColumn("key", PrimaryKeyValue.fromString("1")).build();
        for (PrimaryKey wrong : List.of(onlyUid, wrongType, wrongName)) {
            assertThatThrownBy(() -> client.putRow(new PutRowRequest(new RowPutChange(TABLE, wrong))))
                    .isInstanceOfSatisfying(TableStoreException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo("OTSParameterInvalid");
                        assertThat(e.getHttpStatus()).isEqualTo(400);
                    });
        }
    }

    @Test
    void cellOverTwoMegabytesIsRefusedAsParameterInvalid() {
        RowPutChange change = new RowPutChange(TABLE, key("alice", "big"));
        change.addColumn("blob", ColumnValue.fromBinary(new byte[TableEngine.MAX_CELL_BYTES + 1]));
        assertThatThrownBy(() -> client.putRow(new PutRowRequest(change)))
                .isInstanceOfSatisfying(TableStoreException.class, e -> assertThat(e.getErrorCode()).isEqualTo("OTSParameterInvalid"));
        assertThat(get("alice", "big")).isNull();
    }

    // ---- conditions ----

    @Test
    void putRowWithExpectNotExistSucceedsWhenRowIsAbsent() {
        RowPutChange change = new RowPutChange(TABLE, key("alice", "1"));
        change.setCondition(new Condition(RowExistenceExpectation.EXPECT_NOT_EXIST));
        change.addColumn("title", ColumnValue.fromString("first"));
        client.putRow(new PutRowRequest(change));
        assertThat(get("alice", "1").getLatestColumn("title").getValue().asString()).isEqualTo("first");
    }

    @Test
    void putRowWithExpectNotExistFailsWhenRowExists() {
        put("alice", "1", "title", "first");
        RowPutChange change = new RowPutChange(TABLE, key("alice", "1"));
        change.setCondition(new Condition(RowExistenceExpectation.EXPECT_NOT_EXIST));
        change.addColumn("title", ColumnValue.fromString("second"));
        assertConditionFails(() -> client.putRow(new PutRowRequest(change)));
        assertThat(get("alice", "1").getLatestColumn("title").getValue().asString()).isEqualTo("first");
    }

    @Test
    void putRowWithExpectExistSucceedsWhenRowExists() {
        put("alice", "1", "title", "first");
        RowPutChange change = new RowPutChange(TABLE, key("alice", "1"));
        change.setCondition(new Condition(RowExistenceExpectation.EXPECT_EXIST));
        change.addColumn("title", ColumnValue.fromString("second"));
        client.putRow(new PutRowRequest(change));
        assertThat(get("alice", "1").getLatestColumn("title").getValue().asString()).isEqualTo("second");
    }

    @Test
    void updateRowWithExpectExistFailsWhenRowIsAbsent() {
        RowUpdateChange change = new RowUpdateChange(TABLE, key("alice", "missing"));
        change.setCondition(new Condition(RowExistenceExpectation.EXPECT_EXIST));
        change.put("title", ColumnValue.fromString("x"));
        assertConditionFails(() -> client.updateRow(new UpdateRowRequest(change)));
        assertThat(get("alice", "missing")).isNull();
    }

    @Test
    void deleteRowWithExpectExistFailsWhenRowIsAbsent() {
        RowDeleteChange change = new RowDeleteChange(TABLE, key("alice", "missing"));
        change.setCondition(new Condition(RowExistenceExpectation.EXPECT_EXIST));
        assertConditionFails(() -> client.deleteRow(new DeleteRowRequest(change)));
    }

    @Test
    void columnConditionComparesTheStoredValue() {
        putVersion("alice", "1", 3);
        assertThat(updateVersionIf(SingleColumnValueCondition.CompareOperator.EQUAL, 2)).isFalse();
        assertThat(updateVersionIf(SingleColumnValueCondition.CompareOperator.NOT_EQUAL, 3)).isFalse();
        assertThat(updateVersionIf(SingleColumnValueCondition.CompareOperator.GREATER_THAN, 3)).isFalse();
        assertThat(updateVersionIf(SingleColumnValueCondition.CompareOperator.LESS_THAN, 3)).isFalse();
        assertThat(updateVersionIf(SingleColumnValueCondition.CompareOperator.GREATER_EQUAL, 4)).isFalse();
        assertThat(updateVersionIf(SingleColumnValueCondition.CompareOperator.LESS_EQUAL, 2)).isFalse();
        assertThat(versionOf("alice", "1")).isEqualTo(3);

        assertThat(updateVersionIf(SingleColumnValueCondition.CompareOperator.EQUAL, 3)).isTrue();
        assertThat(updateVersionIf(SingleColumnValueCondition.CompareOperator.NOT_EQUAL, 4)).isTrue();
        assertThat(updateVersionIf(SingleColumnValueCondition.CompareOperator.GREATER_THAN, 3)).isTrue();
        assertThat(updateVersionIf(SingleColumnValueCondition.CompareOperator.GREATER_EQUAL, 3)).isTrue();
        assertThat(updateVersionIf(SingleColumnValueCondition.CompareOperator.LESS_THAN, 8)).isTrue();
        assertThat(updateVersionIf(SingleColumnValueCondition.CompareOperator.LESS_EQUAL, 9)).isTrue();
        assertThat(versionOf("alice", "1")).isEqualTo(9);
    }

    @Test
    void columnConditionOnAMissingColumnFollowsPassIfMissing() {
        put("alice", "1", "title", "x");
        SingleColumnValueCondition strict = new SingleColumnValueCondition("_version",
                SingleColumnValueCondition.CompareOperator.EQUAL, ColumnValue.fromLong(1));
        strict.setPassIfMissing(false);
        RowUpdateChange refused = new RowUpdateChange(TABLE, key("alice", "1"));
        refused.put("title", ColumnValue.fromString("y"));
        Condition refusedCondition = new Condition(RowExistenceExpectation.IGNORE);
        refusedCondition.setColumnCondition(strict);
        refused.setCondition(refusedCondition);
        assertConditionFails(() -> client.updateRow(new UpdateRowRequest(refused)));

        SingleColumnValueCondition lenient = new SingleColumnValueCondition("_version",
                SingleColumnValueCondition.CompareOperator.EQUAL, ColumnValue.fromLong(1));
        lenient.setPassIfMissing(true);
        RowUpdateChange accepted = new RowUpdateChange(TABLE, key("alice", "1"));
        accepted.put("title", ColumnValue.fromString("z"));
        Condition acceptedCondition = new Condition(RowExistenceExpectation.IGNORE);
        acceptedCondition.setColumnCondition(lenient);
        accepted.setCondition(acceptedCondition);
        client.updateRow(new UpdateRowRequest(accepted));
        assertThat(get("alice", "1").getLatestColumn("title").getValue().asString()).isEqualTo("z");
    }

    @Test
    void compositeColumnConditionCombinesItsParts() {
        putVersion("alice", "1", 5);
        CompositeColumnValueCondition between = new CompositeColumnValueCondition(CompositeColumnValueCondition.LogicOperator.AND);
        between.addCondition(new SingleColumnValueCondition("_version", SingleColumnValueCondition.CompareOperator.GREATER_THAN, ColumnValue.fromLong(4)));
        between.addCondition(new SingleColumnValueCondition("_version", SingleColumnValueCondition.CompareOperator.LESS_THAN, ColumnValue.fromLong(6)));
        CompositeColumnValueCondition outside = new CompositeColumnValueCondition(CompositeColumnValueCondition.LogicOperator.NOT);
        outside.addCondition(between);

        RowUpdateChange refused = new RowUpdateChange(TABLE, key("alice", "1"));
        refused.put("_version", ColumnValue.fromLong(100));
        Condition refusedCondition = new Condition(RowExistenceExpectation.EXPECT_EXIST);
        refusedCondition.setColumnCondition(outside);
        refused.setCondition(refusedCondition);
        assertConditionFails(() -> client.updateRow(new UpdateRowRequest(refused)));

        RowUpdateChange accepted = new RowUpdateChange(TABLE, key("alice", "1"));
        accepted.put("_version", ColumnValue.fromLong(6));
        Condition acceptedCondition = new Condition(RowExistenceExpectation.EXPECT_EXIST);
        acceptedCondition.setColumnCondition(between);
        accepted.setCondition(acceptedCondition);
        client.updateRow(new UpdateRowRequest(accepted));
        assertThat(versionOf("alice", "1")).isEqualTo(6);
    }

    // ---- ranges ----

    @Test
    void getRangeForwardPagesInPrimaryKeyOrderWithNextStartKey() {
        for (String id : List.of("c", "a", "e", "b", "d")) {
            put("alice", id, "title", id);
        }
        put("bob", "a", "title", "other user");
        put("alic", "z", "title", "prefix user");

        List<String> seen = new ArrayList<>();
        PrimaryKey start = rangeKey("alice", PrimaryKeyValue.INF_MIN);
        PrimaryKey end = rangeKey("alice", PrimaryKeyValue.INF_MAX);
        int pages = 0;
        while (start != null) {
            GetRangeResponse page = range(start, end, Direction.FORWARD, 2);
            page.getRows().forEach(r -> seen.add(r.getPrimaryKey().getPrimaryKeyColumn("id").getValue().asString()));
            start = page.getNextStartPrimaryKey();
            pages++;
        }
        assertThat(seen).containsExactly("a", "b", "c", "d", "e");
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void getRangeBackwardPagesInReverseOrderWithNextStartKey() {
        for (String id : List.of("c", "a", "e", "b", "d")) {
            put("alice", id, "title", id);
        }
        put("bob", "a", "title", "other user");

        List<String> seen = new ArrayList<>();
        PrimaryKey start = rangeKey("alice", PrimaryKeyValue.INF_MAX);
        PrimaryKey end = rangeKey("alice", PrimaryKeyValue.INF_MIN);
        GetRangeResponse first = range(start, end, Direction.BACKWARD, 3);
        first.getRows().forEach(r -> seen.add(r.getPrimaryKey().getPrimaryKeyColumn("id").getValue().asString()));
        assertThat(first.getNextStartPrimaryKey()).isEqualTo(key("alice", "b"));
        GetRangeResponse second = range(first.getNextStartPrimaryKey(), end, Direction.BACKWARD, 3);
        second.getRows().forEach(r -> seen.add(r.getPrimaryKey().getPrimaryKeyColumn("id").getValue().asString()));
        assertThat(second.getNextStartPrimaryKey()).isNull();
        assertThat(seen).containsExactly("e", "d", "c", "b", "a");
    }

    @Test
    void getRangeStartIsInclusiveAndEndExclusive() {
        for (String id : List.of("a", "b", "c", "d")) {
            put("alice", id, "title", id);
        }
        GetRangeResponse response = range(key("alice", "b"), key("alice", "d"), Direction.FORWARD, 100);
        assertThat(response.getRows()).extracting(r -> r.getPrimaryKey().getPrimaryKeyColumn("id").getValue().asString())
                .containsExactly("b", "c");
        assertThat(response.getNextStartPrimaryKey()).isNull();
    }

    @Test
    void getRangeOrdersIntegerKeysNumerically() {
        TableMeta meta = new TableMeta("numbers");
        meta.addPrimaryKeyColumn(new PrimaryKeySchema("n", PrimaryKeyType.INTEGER));
        client.createTable(new CreateTableRequest(meta, new TableOptions(-1, 1), new ReservedThroughput(new CapacityUnit(0, 0))));
        for (long n : new long[] {10, -5, 0, 3, Long.MIN_VALUE, Long.MAX_VALUE}) {
            client.putRow(new PutRowRequest(new RowPutChange("numbers", PrimaryKeyBuilder.createPrimaryKeyBuilder()
                    .addPrimaryKeyColumn("n", PrimaryKeyValue.fromLong(n)).build())));
        }
        RangeRowQueryCriteria criteria = new RangeRowQueryCriteria("numbers");
        criteria.setInclusiveStartPrimaryKey(PrimaryKeyBuilder.createPrimaryKeyBuilder().addPrimaryKeyColumn("n", PrimaryKeyValue.INF_MIN).build());
        criteria.setExclusiveEndPrimaryKey(PrimaryKeyBuilder.createPrimaryKeyBuilder().addPrimaryKeyColumn("n", PrimaryKeyValue.INF_MAX).build());
        criteria.setMaxVersions(1);
        assertThat(client.getRange(new GetRangeRequest(criteria)).getRows())
                .extracting(r -> r.getPrimaryKey().getPrimaryKeyColumn("n").getValue().asLong())
                .containsExactly(Long.MIN_VALUE, -5L, 0L, 3L, 10L, Long.MAX_VALUE);
    }

    // ---- batches ----

    @Test
    void batchWriteRowReportsEachRowsConditionIndependently() {
        put("alice", "exists", "title", "x");
        BatchWriteRowRequest batch = new BatchWriteRowRequest();
        RowPutChange fresh = new RowPutChange(TABLE, key("alice", "new"));
        fresh.setCondition(new Condition(RowExistenceExpectation.EXPECT_NOT_EXIST));
        fresh.addColumn("title", ColumnValue.fromString("created"));
        RowPutChange clash = new RowPutChange(TABLE, key("alice", "exists"));
        clash.setCondition(new Condition(RowExistenceExpectation.EXPECT_NOT_EXIST));
        clash.addColumn("title", ColumnValue.fromString("clobbered"));
        RowUpdateChange update = new RowUpdateChange(TABLE, key("alice", "exists"));
        update.put("extra", ColumnValue.fromLong(1));
        RowDeleteChange delete = new RowDeleteChange(TABLE, key("alice", "gone"));
        batch.addRowChange(fresh);
        batch.addRowChange(clash);
        batch.addRowChange(update);
        batch.addRowChange(delete);

        BatchWriteRowResponse response = client.batchWriteRow(batch);

        assertThat(response.isAllSucceed()).isFalse();
        assertThat(response.getFailedRows()).hasSize(1);
        BatchWriteRowResponse.RowResult failed = response.getFailedRows().get(0);
        assertThat(failed.getIndex()).isEqualTo(1);
        assertThat(failed.getError().getCode()).isEqualTo("OTSConditionCheckFail");
        assertThat(response.getSucceedRows()).hasSize(3);
        assertThat(get("alice", "new").getLatestColumn("title").getValue().asString()).isEqualTo("created");
        Row existing = get("alice", "exists");
        assertThat(existing.getLatestColumn("title").getValue().asString()).isEqualTo("x");
        assertThat(existing.getLatestColumn("extra").getValue().asLong()).isEqualTo(1);
    }

    @Test
    void batchGetRowReturnsPresentAndMissingRows() {
        put("alice", "1", "title", "one");
        MultiRowQueryCriteria criteria = new MultiRowQueryCriteria(TABLE);
        criteria.addRow(key("alice", "1"));
        criteria.addRow(key("alice", "2"));
        criteria.setMaxVersions(1);
        BatchGetRowRequest request = new BatchGetRowRequest();
        request.addMultiRowQueryCriteria(criteria);

        BatchGetRowResponse response = client.batchGetRow(request);

        assertThat(response.isAllSucceed()).isTrue();
        List<BatchGetRowResponse.RowResult> rows = response.getBatchGetRowResult(TABLE);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getRow().getLatestColumn("title").getValue().asString()).isEqualTo("one");
        assertThat(rows.get(1).getRow()).isNull();
    }

    // ---- helpers ----

    private void put(String uid, String id, String column, String value) {
        RowPutChange change = new RowPutChange(TABLE, key(uid, id));
        change.addColumn(column, ColumnValue.fromString(value));
        client.putRow(new PutRowRequest(change));
    }

    private void putVersion(String uid, String id, long version) {
        RowPutChange change = new RowPutChange(TABLE, key(uid, id));
        change.addColumn("_version", ColumnValue.fromLong(version));
        client.putRow(new PutRowRequest(change));
    }

    private long versionOf(String uid, String id) {
        return get(uid, id).getLatestColumn("_version").getValue().asLong();
    }

    /** Sets _version to {@code value} if the stored _version compares to it with {@code operator}. */
    private boolean updateVersionIf(SingleColumnValueCondition.CompareOperator operator, long value) {
        RowUpdateChange change = new RowUpdateChange(TABLE, key("alice", "1"));
        change.put("_version", ColumnValue.fromLong(value));
        Condition condition = new Condition(RowExistenceExpectation.EXPECT_EXIST);
        condition.setColumnCondition(new SingleColumnValueCondition("_version", operator, ColumnValue.fromLong(value)));
        change.setCondition(condition);
        try {
            client.updateRow(new UpdateRowRequest(change));
            return true;
        } catch (TableStoreException e) {
            assertThat(e.getErrorCode()).isEqualTo("OTSConditionCheckFail");
            return false;
        }
    }

    private Row get(String uid, String id) {
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(TABLE, key(uid, id));
        criteria.setMaxVersions(1);
        return client.getRow(new GetRowRequest(criteria)).getRow();
    }

    private static PrimaryKey rangeKey(String uid, PrimaryKeyValue id) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("uid", PrimaryKeyValue.fromString(uid))
                .addPrimaryKeyColumn("id", id)
                .build();
    }

    private GetRangeResponse range(PrimaryKey start, PrimaryKey end, Direction direction, int limit) {
        RangeRowQueryCriteria criteria = new RangeRowQueryCriteria(TABLE);
        criteria.setInclusiveStartPrimaryKey(start);
        criteria.setExclusiveEndPrimaryKey(end);
        criteria.setDirection(direction);
        criteria.setLimit(limit);
        criteria.setMaxVersions(1);
        return client.getRange(new GetRangeRequest(criteria));
    }

    private static void assertConditionFails(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TableStoreException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo("OTSConditionCheckFail");
            assertThat(e.getMessage()).isEqualTo("Condition check failed.");
            assertThat(e.getHttpStatus()).isEqualTo(403);
        });
    }
}
