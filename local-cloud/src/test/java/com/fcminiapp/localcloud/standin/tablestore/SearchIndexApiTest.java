package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.TableStoreException;
import com.alicloud.openservices.tablestore.model.CapacityUnit;
import com.alicloud.openservices.tablestore.model.CreateTableRequest;
import com.alicloud.openservices.tablestore.model.DeleteTableRequest;
import com.alicloud.openservices.tablestore.model.PrimaryKeySchema;
import com.alicloud.openservices.tablestore.model.PrimaryKeyType;
import com.alicloud.openservices.tablestore.model.ReservedThroughput;
import com.alicloud.openservices.tablestore.model.TableMeta;
import com.alicloud.openservices.tablestore.model.TableOptions;
import com.alicloud.openservices.tablestore.model.search.CreateSearchIndexRequest;
import com.alicloud.openservices.tablestore.model.search.DeleteSearchIndexRequest;
import com.alicloud.openservices.tablestore.model.search.DescribeSearchIndexRequest;
import com.alicloud.openservices.tablestore.model.search.DescribeSearchIndexResponse;
import com.alicloud.openservices.tablestore.model.search.FieldSchema;
import com.alicloud.openservices.tablestore.model.search.FieldType;
import com.alicloud.openservices.tablestore.model.search.IndexSchema;
import com.alicloud.openservices.tablestore.model.search.ListSearchIndexRequest;
import com.alicloud.openservices.tablestore.model.search.SearchIndexInfo;
import com.alicloud.openservices.tablestore.model.search.SearchQuery;
import com.alicloud.openservices.tablestore.model.search.SyncStat;
import com.alicloud.openservices.tablestore.model.search.query.QueryBuilders;
import com.alicloud.openservices.tablestore.model.search.sort.FieldSort;
import com.alicloud.openservices.tablestore.model.search.sort.Sort;
import com.alicloud.openservices.tablestore.model.search.sort.SortMode;
import com.alicloud.openservices.tablestore.model.search.sort.SortOrder;
import com.fcminiapp.localcloud.ram.RamRoles;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static com.fcminiapp.localcloud.standin.tablestore.SearchFixture.INDEX;
import static com.fcminiapp.localcloud.standin.tablestore.SearchFixture.TABLE;
import static com.fcminiapp.localcloud.standin.tablestore.SearchFixture.ids;
import static com.fcminiapp.localcloud.standin.tablestore.SearchFixture.put;
import static com.fcminiapp.localcloud.standin.tablestore.SearchFixture.search;
import static com.fcminiapp.localcloud.standin.tablestore.SearchQueryTest.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CreateSearchIndex, DescribeSearchIndex, ListSearchIndex and DeleteSearchIndex through the real SDK. */
class SearchIndexApiTest {

    private TablestoreFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private SyncClient start() {
        fixture = new TablestoreFixture();
        fixture.standIn.searchLag(Duration.ZERO);
        SyncClient client = fixture.client();
        fixture.createTodoTable(client);
        return client;
    }

    private static DescribeSearchIndexResponse describe(SyncClient client, String table, String index) {
        DescribeSearchIndexRequest request = new DescribeSearchIndexRequest();
        request.setTableName(table);
        request.setIndexName(index);
        return client.describeSearchIndex(request);
    }

    private static List<String> list(SyncClient client, String table) {
        ListSearchIndexRequest request = new ListSearchIndexRequest();
        request.setTableName(table);
        return client.listSearchIndex(request).getIndexInfos().stream().map(SearchIndexInfo::getIndexName)
                .collect(Collectors.toList());
    }

    @Test
    void aCreatedIndexIsDescribedWithItsSchemaAndSyncStatAndListed() {
        SyncClient client = start();
        SearchFixture.createIndex(client);

        DescribeSearchIndexResponse described = describe(client, TABLE, INDEX);
        List<FieldSchema> fields = described.getSchema().getFieldSchemas();
        assertThat(fields).extracting(FieldSchema::getFieldName)
                .containsExactly("id", "uid", "title", "likes", "score", "done", "tags", "note", "hidden");
        FieldSchema tags = fields.get(6);
        assertThat(tags.getFieldType()).isEqualTo(FieldType.KEYWORD);
        assertThat(tags.isArray()).isTrue();
        assertThat(tags.isEnableSortAndAgg()).isFalse();
        assertThat(fields.get(3).isEnableSortAndAgg()).isTrue();
        assertThat(fields.get(8).isIndex()).isFalse();
        assertThat(described.getSyncStat().getSyncPhase()).isEqualTo(SyncStat.SyncPhase.INCR);
        assertThat(described.getCreateTime()).isPositive();
        assertThat(list(client, TABLE)).containsExactly(INDEX);
    }

    @Test
    void aDeletedIndexIsGoneAndCanBeCreatedAgain() {
        SyncClient client = start();
        SearchFixture.createIndex(client);
        DeleteSearchIndexRequest delete = new DeleteSearchIndexRequest();
        delete.setTableName(TABLE);
        delete.setIndexName(INDEX);
        client.deleteSearchIndex(delete);

        assertThat(list(client, TABLE)).isEmpty();
        assertNotExist(() -> describe(client, TABLE, INDEX), "Requested search index does not exist");
        assertNotExist(() -> client.deleteSearchIndex(delete), "Requested search index does not exist");
        SearchFixture.createIndex(client);
        assertThat(list(client, TABLE)).containsExactly(INDEX);
    }

    @Test
    void anIndexOnAMissingTableOrTwiceTheSameNameIsRefused() {
        SyncClient client = start();
        CreateSearchIndexRequest missing = new CreateSearchIndexRequest("nope", INDEX);
        missing.setIndexSchema(SearchFixture.schema());
        assertNotExist(() -> client.createSearchIndex(missing), "Requested table does not exist.");

        SearchFixture.createIndex(client);
        assertThatThrownBy(() -> SearchFixture.createIndex(client)).isInstanceOfSatisfying(TableStoreException.class,
                e -> {
                    assertThat(e.getErrorCode()).isEqualTo("OTSObjectAlreadyExist");
                    assertThat(e.getHttpStatus()).isEqualTo(409);
                });
    }

    @Test
    void fieldTypesLocalCloudDoesNotEmulateAreRefusedSayingSo() {
        SyncClient client = start();
        for (FieldType type : List.of(FieldType.TEXT, FieldType.NESTED, FieldType.GEO_POINT, FieldType.DATE)) {
            CreateSearchIndexRequest request = new CreateSearchIndexRequest(TABLE, "i_" + type.name().toLowerCase());
            IndexSchema schema = new IndexSchema();
            schema.setFieldSchemas(List.of(new FieldSchema("f", type)));
            request.setIndexSchema(schema);
            assertInvalid(() -> client.createSearchIndex(request),
                    "local-cloud does not emulate field type " + type.name() + " (field [f])");
        }
        assertThat(list(client, TABLE)).isEmpty();
    }

    @Test
    void aPrimaryKeyFieldMustHaveItsColumnsType() {
        SyncClient client = start();
        CreateSearchIndexRequest request = new CreateSearchIndexRequest(TABLE, "bad");
        IndexSchema schema = new IndexSchema();
        schema.setFieldSchemas(List.of(new FieldSchema("uid", FieldType.LONG)));
        request.setIndexSchema(schema);
        assertInvalid(() -> client.createSearchIndex(request),
                "Field [uid] of type LONG does not match the primary key column's type STRING.");
    }

    @Test
    void aTableWithATimeToLiveOrSeveralVersionsGetsNoIndex() {
        SyncClient client = start();
        for (TableOptions options : List.of(new TableOptions(86400, 1), new TableOptions(-1, 3))) {
            String table = options.getTimeToLive() == -1 ? "versions" : "ttl";
            TableMeta meta = new TableMeta(table);
            meta.addPrimaryKeyColumn(new PrimaryKeySchema("id", PrimaryKeyType.STRING));
            client.createTable(new CreateTableRequest(meta, options, new ReservedThroughput(new CapacityUnit(0, 0))));
            CreateSearchIndexRequest request = new CreateSearchIndexRequest(table, "i");
            IndexSchema schema = new IndexSchema();
            schema.setFieldSchemas(List.of(new FieldSchema("id", FieldType.KEYWORD)));
            request.setIndexSchema(schema);
            assertInvalid(() -> client.createSearchIndex(request), "operation is denied as table");
        }
    }

    @Test
    void deletingATableDeletesItsIndexes() {
        SyncClient client = start();
        SearchFixture.createIndex(client);
        client.deleteTable(new DeleteTableRequest(TABLE));
        fixture.createTodoTable(client);

        assertThat(list(client, TABLE)).isEmpty();
        assertNotExist(() -> describe(client, TABLE, INDEX), "Requested search index does not exist");
    }

    @Test
    void anArrayFieldThatEnablesSortingSortsByItsModesElement() {
        SyncClient client = start();
        CreateSearchIndexRequest request = new CreateSearchIndexRequest(TABLE, INDEX);
        IndexSchema schema = new IndexSchema();
        schema.setFieldSchemas(List.of(new FieldSchema("nums", FieldType.LONG).setIsArray(true)
                .setEnableSortAndAgg(true)));
        request.setIndexSchema(schema);
        client.createSearchIndex(request);
        put(client, "u", "a", Map.of("nums", "[5, 1]"));
        put(client, "u", "b", Map.of("nums", "[4]"));
        put(client, "u", "c", Map.of("nums", "[2, 3]"));

        // ascending by the smallest element, descending by the largest, unless a mode says otherwise
        assertThat(ids(sorted(client, SortOrder.ASC, null))).containsExactly("a", "c", "b");
        assertThat(ids(sorted(client, SortOrder.DESC, null))).containsExactly("a", "b", "c");
        assertThat(ids(sorted(client, SortOrder.ASC, SortMode.MAX))).containsExactly("c", "b", "a");
        assertThat(ids(sorted(client, SortOrder.ASC, SortMode.AVG))).containsExactly("c", "a", "b");
    }

    private static com.alicloud.openservices.tablestore.model.search.SearchResponse sorted(SyncClient client,
            SortOrder order, SortMode mode) {
        FieldSort sort = new FieldSort("nums", order);
        if (mode != null) {
            sort.setMode(mode);
        }
        SearchQuery query = new SearchQuery();
        query.setSort(new Sort(List.of(sort)));
        return search(client, QueryBuilders.matchAll().build(), query);
    }

    @Test
    void indexesSurviveARestartAndAreRebuiltFromTheRows(@TempDir Path dir) {
        String file = dir.resolve("tablestore.mv.db").toString();
        fixture = new TablestoreFixture(file, Clock.systemUTC());
        fixture.standIn.searchLag(Duration.ZERO);
        SyncClient client = fixture.client();
        fixture.createTodoTable(client);
        SearchFixture.createIndex(client);
        put(client, "alice", "1", Map.of("likes", 7));
        put(client, "alice", "2", Map.of("likes", 8));

        fixture.standIn.close();
        fixture.dataStore.close();
        fixture.dataStore = TablestoreFixture.openData(file);
        fixture.standIn = new TablestoreStandIn(0, fixture.registry, TablestoreFixture.INSTANCE, fixture.dataStore)
                .start();
        fixture.standIn.searchLag(Duration.ZERO);
        SyncClient reopened = fixture.client();

        assertThat(list(reopened, TABLE)).containsExactly(INDEX);
        assertThat(describe(reopened, TABLE, INDEX).getSchema().getFieldSchemas()).hasSize(9);
        assertThat(ids(search(reopened, QueryBuilders.term("likes", 8L).build()))).containsExactly("2");
    }

    @Test
    void aKeyWhoseRoleLacksOtsSearchIsDeniedTheSearchOnTheTablesArn() {
        SyncClient owner = start();
        SearchFixture.createIndex(owner);
        String readOnly = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"ots:GetRow\","
                + "\"ots:PutRow\",\"ots:DescribeSearchIndex\"],\"Resource\":\"acs:ots:*:*:instance/miniapp/table/todo_list\"}]}";
        String searcher = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ots:Search\","
                + "\"Resource\":\"acs:ots:*:*:instance/miniapp/table/todo_list\"}]}";
        fixture.standIn.authorizeWith(new RamRoles().put("acs:ram::1:role/reader", List.of(readOnly))
                .put("acs:ram::1:role/searcher", List.of(searcher)), "cn-hangzhou", "1");
        CredentialRegistry.Credential reader = fixture.registry.issueTemporary("acs:ram::1:role/reader", "r", null,
                Duration.ofHours(1));
        CredentialRegistry.Credential allowed = fixture.registry.issueTemporary("acs:ram::1:role/searcher", "s",
                null, Duration.ofHours(1));
        SyncClient denied = fixture.client(reader.accessKeyId, reader.accessKeySecret, TablestoreFixture.INSTANCE,
                reader.securityToken);

        assertThat(describe(denied, TABLE, INDEX).getSchema().getFieldSchemas()).hasSize(9);
        assertThatThrownBy(() -> search(denied, QueryBuilders.matchAll().build()))
                .isInstanceOfSatisfying(TableStoreException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo("OTSNoPermissionAccess");
                    assertThat(e.getHttpStatus()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("ots:Search on acs:ots:cn-hangzhou:1:instance/miniapp/table/"
                            + "todo_list is not allowed");
                });
        SyncClient searching = fixture.client(allowed.accessKeyId, allowed.accessKeySecret,
                TablestoreFixture.INSTANCE, allowed.securityToken);
        assertThat(search(searching, QueryBuilders.matchAll().build()).getRows()).isEmpty();
    }

    private static void assertNotExist(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TableStoreException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo("OTSObjectNotExist");
            assertThat(e.getHttpStatus()).isEqualTo(404);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
