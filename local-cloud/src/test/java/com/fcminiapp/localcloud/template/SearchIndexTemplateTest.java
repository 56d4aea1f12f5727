package com.fcminiapp.localcloud.template;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.core.protocol.Search;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.search.DescribeSearchIndexRequest;
import com.alicloud.openservices.tablestore.model.search.FieldSchema;
import com.alicloud.openservices.tablestore.model.search.FieldType;
import com.alicloud.openservices.tablestore.model.search.SearchQuery;
import com.alicloud.openservices.tablestore.model.search.SearchRequest;
import com.alicloud.openservices.tablestore.model.search.query.QueryBuilders;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.tablestore.TablestoreStandIn;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ALIYUN::OTS::SearchIndex} resources read from a template and provisioned after their table. */
class SearchIndexTemplateTest {

    private static final String TEMPLATE = String.join("\n",
            "ROSTemplateFormatVersion: '2015-09-01'",
            "Parameters:",
            "  TablestoreInstance: {Type: String}",
            "Resources:",
            "  GuestbookTable:",
            "    Type: 'ALIYUN::OTS::Table'",
            "    Properties:",
            "      InstanceName: !Ref TablestoreInstance",
            "      TableName: guestbook",
            "      TimeToLive: -1",
            "      MaxVersions: 1",
            "      PrimaryKey: [{Name: uid, Type: STRING}, {Name: id, Type: STRING}]",
            "  GuestbookIndex:",
            "    Type: 'ALIYUN::OTS::SearchIndex'",
            "    DependsOn: GuestbookTable",
            "    Properties:",
            "      InstanceName: {Ref: TablestoreInstance}",
            "      TableName: guestbook",
            "      IndexName: guestbook_index",
            "      FieldSchemas:",
            "        - {FieldName: id, FieldType: KEYWORD, Index: true, EnableSortAndAgg: true}",
            "        - {FieldName: _owner, FieldType: Keyword, EnableSortAndAgg: true}",
            "        - {FieldName: likes, FieldType: Long, EnableSortAndAgg: true}",
            "        - {FieldName: tags, FieldType: FieldType.KEYWORD, IsArray: true, EnableSortAndAgg: false}",
            "      IndexSort:",
            "        Sorters: [{PrimaryKeySort: {SortOrder: ASC}}]",
            "      IndexSetting: {RoutingFields: [uid]}",
            "  OtherInstanceIndex:",
            "    Type: 'ALIYUN::OTS::SearchIndex'",
            "    Properties:",
            "      InstanceName: elsewhere",
            "      TableName: t",
            "      IndexName: t_index",
            "      FieldSchemas: '[{\"FieldName\": \"id\", \"FieldType\": \"KEYWORD\"}]'");

    private final TemplateReader reader = new TemplateReader(Map.of("ALIYUN::Region", "cn-hangzhou"),
            Map.of("TablestoreInstance", "inst"));

    private Path write(Path dir, String text) throws Exception {
        Path file = dir.resolve("template.yml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void readsEachSearchIndexWithItsFieldsSortAndSettingAsACreateRequest(@TempDir Path dir) throws Exception {
        List<SearchIndexSpec> indexes = reader.readSearchIndexes(write(dir, TEMPLATE));

        assertThat(indexes).extracting(SearchIndexSpec::indexName).containsExactly("guestbook_index", "t_index");
        SearchIndexSpec guestbook = indexes.get(0);
        assertThat(guestbook.instance()).isEqualTo("inst");
        assertThat(guestbook.tableName()).isEqualTo("guestbook");
        Search.IndexSchema schema = guestbook.request().getSchema();
        assertThat(schema.getFieldSchemasList()).extracting(Search.FieldSchema::getFieldType).containsExactly(
                Search.FieldType.KEYWORD, Search.FieldType.KEYWORD, Search.FieldType.LONG, Search.FieldType.KEYWORD);
        Search.FieldSchema tags = schema.getFieldSchemas(3);
        assertThat(tags.getIsArray()).isTrue();
        assertThat(tags.getSortAndAgg()).isFalse();
        assertThat(schema.getFieldSchemas(1).getSortAndAgg()).isTrue();
        assertThat(schema.getFieldSchemas(1).hasIndex()).isFalse();
        assertThat(schema.getIndexSort().getSorter(0).getPkSort().getOrder()).isEqualTo(Search.SortOrder.SORT_ORDER_ASC);
        assertThat(schema.getIndexSetting().getRoutingFieldsList()).containsExactly("uid");
        assertThat(indexes.get(1).instance()).isEqualTo("elsewhere");
        assertThat(indexes.get(1).request().getSchema().getFieldSchemas(0).getFieldName()).isEqualTo("id");
    }

    @Test
    void aFieldPropertyROSDoesNotKnowIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path file = write(dir, TEMPLATE.replace("IsArray: true", "Array: true"));
        assertThatThrownBy(() -> reader.readSearchIndexes(file))
                .hasMessageContaining("GuestbookIndex.FieldSchemas[tags]: unknown property Array");
        Path noType = write(dir, TEMPLATE.replace("FieldType: Long, ", ""));
        assertThatThrownBy(() -> reader.readSearchIndexes(noType))
                .hasMessageContaining("GuestbookIndex.FieldSchemas[likes]: FieldType is required");
    }

    @Test
    void theIndexIsProvisionedAfterItsTableOnceAndAnswersTheRealSdk(@TempDir Path dir) throws Exception {
        Path file = write(dir, TEMPLATE);
        CredentialRegistry registry = CredentialRegistry.inMemory();
        CredentialRegistry.Credential owner = registry.createPermanent("LTAI");
        MVStore store = new MVStore.Builder().open();
        try (TablestoreStandIn standIn = new TablestoreStandIn(0, registry, "inst", store).start()) {
            standIn.searchLag(Duration.ZERO);
            reader.readTables(file).stream().filter(t -> t.instance().equals("inst"))
                    .forEach(t -> standIn.provisionTable(t.name(), t.primaryKey()));
            SearchIndexSpec index = reader.readSearchIndexes(file).get(0);
            assertThat(standIn.provisionSearchIndex(index.request())).isTrue();
            SyncClient client = new SyncClient(standIn.endpoint(), owner.accessKeyId, owner.accessKeySecret, "inst");
            try {
                RowPutChange row = new RowPutChange("guestbook", PrimaryKeyBuilder.createPrimaryKeyBuilder()
                        .addPrimaryKeyColumn("uid", PrimaryKeyValue.fromString("*"))
                        .addPrimaryKeyColumn("id", PrimaryKeyValue.fromString("p1")).build());
                row.addColumn("likes", ColumnValue.fromLong(4));
                client.putRow(new PutRowRequest(row));

                assertThat(standIn.provisionSearchIndex(index.request())).as("kept at the next start").isFalse();
                DescribeSearchIndexRequest describe = new DescribeSearchIndexRequest();
                describe.setTableName("guestbook");
                describe.setIndexName("guestbook_index");
                assertThat(client.describeSearchIndex(describe).getSchema().getFieldSchemas())
                        .extracting(FieldSchema::getFieldName, FieldSchema::getFieldType)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("id", FieldType.KEYWORD),
                                org.assertj.core.groups.Tuple.tuple("_owner", FieldType.KEYWORD),
                                org.assertj.core.groups.Tuple.tuple("likes", FieldType.LONG),
                                org.assertj.core.groups.Tuple.tuple("tags", FieldType.KEYWORD));
                SearchQuery query = new SearchQuery();
                query.setQuery(QueryBuilders.range("likes").greaterThan(3L).build());
                assertThat(client.search(new SearchRequest("guestbook", "guestbook_index", query)).getRows())
                        .hasSize(1);
            } finally {
                client.shutdown();
            }
        } finally {
            store.close();
        }
    }

    @Test
    void anIndexOnATableTheInstanceLacksStopsTheStartNamingIt(@TempDir Path dir) throws Exception {
        CredentialRegistry registry = CredentialRegistry.inMemory();
        MVStore store = new MVStore.Builder().open();
        try (TablestoreStandIn standIn = new TablestoreStandIn(0, registry, "inst", store)) {
            SearchIndexSpec index = reader.readSearchIndexes(write(dir, TEMPLATE)).get(0);
            assertThatThrownBy(() -> standIn.provisionSearchIndex(index.request()))
                    .hasMessage("search index guestbook_index of table guestbook: Requested table does not exist.");
        } finally {
            store.close();
        }
    }
}
