package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.search.CreateSearchIndexRequest;
import com.alicloud.openservices.tablestore.model.search.FieldSchema;
import com.alicloud.openservices.tablestore.model.search.FieldType;
import com.alicloud.openservices.tablestore.model.search.IndexSchema;
import com.alicloud.openservices.tablestore.model.search.SearchQuery;
import com.alicloud.openservices.tablestore.model.search.SearchRequest;
import com.alicloud.openservices.tablestore.model.search.SearchResponse;
import com.alicloud.openservices.tablestore.model.search.query.Query;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The search tests' table (the product's: uid, id) and its index, written and searched through the real SDK. */
final class SearchFixture {

    static final String TABLE = TablestoreFixture.TABLE;
    static final String INDEX = "todo_list_index";

    private SearchFixture() {
    }

    /**
     * The index the design gives a private table: id and uid KEYWORD (sortable), title KEYWORD, likes LONG, score
     * DOUBLE, done BOOLEAN (all sortable), tags KEYWORD array, note KEYWORD not sortable, hidden not indexed.
     */
    static IndexSchema schema() {
        IndexSchema schema = new IndexSchema();
        schema.setFieldSchemas(List.of(
                sortable("id", FieldType.KEYWORD), sortable("uid", FieldType.KEYWORD),
                sortable("title", FieldType.KEYWORD), sortable("likes", FieldType.LONG),
                sortable("score", FieldType.DOUBLE), sortable("done", FieldType.BOOLEAN),
                new FieldSchema("tags", FieldType.KEYWORD).setIsArray(true).setEnableSortAndAgg(false),
                new FieldSchema("note", FieldType.KEYWORD).setEnableSortAndAgg(false),
                new FieldSchema("hidden", FieldType.KEYWORD).setIndex(false)));
        return schema;
    }

    static FieldSchema sortable(String name, FieldType type) {
        return new FieldSchema(name, type).setIndex(true).setEnableSortAndAgg(true);
    }

    static void createIndex(SyncClient client) {
        CreateSearchIndexRequest request = new CreateSearchIndexRequest(TABLE, INDEX);
        request.setIndexSchema(schema());
        client.createSearchIndex(request);
    }

    /** Puts row (uid, id) with {@code columns} (String, Long, Integer, Double or Boolean values). */
    static void put(SyncClient client, String uid, String id, Map<String, Object> columns) {
        RowPutChange change = new RowPutChange(TABLE, TablestoreFixture.key(uid, id));
        columns.forEach((name, value) -> change.addColumn(name, value(value)));
        client.putRow(new PutRowRequest(change));
    }

    static ColumnValue value(Object value) {
        if (value instanceof String) {
            return ColumnValue.fromString((String) value);
        }
        if (value instanceof Integer || value instanceof Long) {
            return ColumnValue.fromLong(((Number) value).longValue());
        }
        if (value instanceof Double) {
            return ColumnValue.fromDouble((Double) value);
        }
        return ColumnValue.fromBoolean((Boolean) value);
    }

    static SearchResponse search(SyncClient client, Query query, SearchQuery searchQuery) {
        searchQuery.setQuery(query);
        return client.search(new SearchRequest(TABLE, INDEX, searchQuery));
    }

    static SearchResponse search(SyncClient client, Query query) {
        SearchQuery searchQuery = new SearchQuery();
        searchQuery.setLimit(100);
        return search(client, query, searchQuery);
    }

    /** The ids of the rows a search answered, in its order. */
    static List<String> ids(SearchResponse response) {
        return response.getRows().stream().map(SearchFixture::id).collect(Collectors.toList());
    }

    static String id(Row row) {
        return row.getPrimaryKey().getPrimaryKeyColumn("id").getValue().asString();
    }
}
