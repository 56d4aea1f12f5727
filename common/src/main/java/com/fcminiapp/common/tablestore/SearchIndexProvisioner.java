package com.fcminiapp.common.tablestore;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.TableStoreException;
import com.alicloud.openservices.tablestore.model.search.CreateSearchIndexRequest;
import com.alicloud.openservices.tablestore.model.search.DescribeSearchIndexRequest;
import com.alicloud.openservices.tablestore.model.search.FieldSchema;
import com.alicloud.openservices.tablestore.model.search.IndexSchema;
import com.alicloud.openservices.tablestore.model.search.ListSearchIndexRequest;
import com.alicloud.openservices.tablestore.model.search.SearchIndexInfo;
import com.fcminiapp.common.tables.TableDeclaration;

import java.util.List;

/**
 * Creates a declared table's search index at initialize when it is missing (SEARCH_INDEX_AUTO_CREATE), and checks an
 * existing one holds every declared field with its type: a query on a field the index lacks would fail for every
 * caller, so the function refuses to start instead, saying what to change. One ListSearchIndex per table, one
 * DescribeSearchIndex per existing index: quick, and idempotent across instances starting together.
 */
public final class SearchIndexProvisioner {

    private final SyncClient client;

    public SearchIndexProvisioner(SyncClient client) {
        this.client = client;
    }

    /**
     * Makes sure the declared table {@code t} (which exists) has its search index holding the declared fields.
     *
     * @return true when the index was created now
     * @throws IllegalStateException naming table, index and field when an existing index lacks a declared field
     */
    public boolean ensureIndex(TableDeclaration t) {
        String table = t.name();
        String index = t.searchIndexName();
        IndexSchema schema = t.indexSchema();
        if (exists(table, index)) {
            IndexSchema stored = client.describeSearchIndex(describe(table, index)).getSchema();
            checkFields(table, index, schema, stored);
            return false;
        }
        CreateSearchIndexRequest create = new CreateSearchIndexRequest(table, index);
        create.setIndexSchema(schema);
        try {
            client.createSearchIndex(create);
            return true;
        } catch (TableStoreException e) {
            // another instance created it first: check it as an existing one
            if (TablestoreErrors.OBJECT_ALREADY_EXIST.equals(e.getErrorCode())) {
                checkFields(table, index, schema, client.describeSearchIndex(describe(table, index)).getSchema());
                return false;
            }
            throw e;
        }
    }

    private boolean exists(String table, String index) {
        ListSearchIndexRequest list = new ListSearchIndexRequest();
        list.setTableName(table);
        List<SearchIndexInfo> infos = client.listSearchIndex(list).getIndexInfos();
        return infos != null && infos.stream().anyMatch(i -> index.equals(i.getIndexName()));
    }

    private static DescribeSearchIndexRequest describe(String table, String index) {
        DescribeSearchIndexRequest describe = new DescribeSearchIndexRequest();
        describe.setTableName(table);
        describe.setIndexName(index);
        return describe;
    }

    /** Every declared field must be in the stored index with the same type and array-ness; extra fields are fine. */
    static void checkFields(String table, String index, IndexSchema declared, IndexSchema stored) {
        List<FieldSchema> have = stored == null || stored.getFieldSchemas() == null ? List.of()
                : stored.getFieldSchemas();
        for (FieldSchema want : declared.getFieldSchemas()) {
            FieldSchema found = have.stream().filter(f -> want.getFieldName().equals(f.getFieldName()))
                    .findFirst().orElse(null);
            if (found == null || found.getFieldType() != want.getFieldType()
                    || Boolean.TRUE.equals(found.isArray()) != Boolean.TRUE.equals(want.isArray())) {
                String what = found == null ? "lacks the declared field " : "holds another type for the field ";
                throw new IllegalStateException("Tablestore table " + table + ": its search index " + index + " "
                        + what + want.getFieldName() + " (declared " + want.getFieldType()
                        + (Boolean.TRUE.equals(want.isArray()) ? " array" : "") + "); delete the index " + index
                        + " so that it is created again from the declaration (DATA_TABLES), or change the declaration"
                        + " to match it");
            }
        }
    }
}
