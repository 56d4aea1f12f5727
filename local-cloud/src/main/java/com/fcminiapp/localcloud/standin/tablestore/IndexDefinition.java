package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.core.protocol.OtsInternalApi;
import com.alicloud.openservices.tablestore.core.protocol.Search;
import com.aliyun.ots.thirdparty.com.google.protobuf.InvalidProtocolBufferException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One search index: its table, name, schema (with the service's defaults filled in) and creation time. Kept as a
 * {@code DescribeSearchIndexResponse} (schema + create_time), the shape it is described in.
 */
final class IndexDefinition {

    private static final Pattern INDEX_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Set<Search.FieldType> EMULATED = Set.of(Search.FieldType.KEYWORD, Search.FieldType.LONG,
            Search.FieldType.DOUBLE, Search.FieldType.BOOLEAN);

    final String table;
    final String name;
    final Search.IndexSchema schema;
    /** Epoch ms of the stand-in's clock when it was created: rows already in the table appear in it after the lag. */
    final long createdAt;
    final Map<String, IndexField> fields;

    private IndexDefinition(String table, String name, Search.IndexSchema schema, long createdAt) {
        this.table = table;
        this.name = name;
        this.schema = schema;
        this.createdAt = createdAt;
        Map<String, IndexField> byName = new LinkedHashMap<>();
        for (Search.FieldSchema field : schema.getFieldSchemasList()) {
            byName.put(field.getFieldName(), new IndexField(field));
        }
        this.fields = Collections.unmodifiableMap(byName);
    }

    /** A new index as CreateSearchIndex asks for it, checked against its table as the service checks it. */
    static IndexDefinition create(Search.CreateSearchIndexRequest request, OtsInternalApi.DescribeTableResponse table,
            long now) {
        if (!INDEX_NAME.matcher(request.getIndexName()).matches()) {
            throw OtsError.invalid("Invalid index name: '" + request.getIndexName() + "'.");
        }
        OtsInternalApi.TableOptions options = table.getTableOptions();
        if (options.getTimeToLive() != -1) {
            throw OtsError.invalid("operation is denied as table TTL exists.");
        }
        if (options.getMaxVersions() != 1) {
            throw OtsError.invalid("operation is denied as table max versions is larger than 1.");
        }
        if (request.hasSourceIndexName() || (request.hasTimeToLive() && request.getTimeToLive() != -1)) {
            throw notEmulated("a source index or an index time to live");
        }
        Search.IndexSchema.Builder schema = Search.IndexSchema.newBuilder();
        if (request.getSchema().getFieldSchemasCount() == 0) {
            throw OtsError.invalid("The index schema must have at least one field.");
        }
        Map<String, Search.FieldSchema> seen = new LinkedHashMap<>();
        for (Search.FieldSchema field : request.getSchema().getFieldSchemasList()) {
            Search.FieldSchema checked = checkedField(field, table.getTableMeta());
            if (seen.put(checked.getFieldName(), checked) != null) {
                throw OtsError.invalid("Duplicated field name in index schema: [" + checked.getFieldName() + "].");
            }
            schema.addFieldSchemas(checked);
        }
        schema.setIndexSetting(request.getSchema().hasIndexSetting() ? request.getSchema().getIndexSetting()
                : Search.IndexSetting.newBuilder().setNumberOfShards(1).build());
        IndexDefinition draft = new IndexDefinition(request.getTableName(), request.getIndexName(), schema.build(), now);
        if (request.getSchema().hasIndexSort()) {
            SearchSort.checkIndexSort(request.getSchema().getIndexSort(), draft);
            schema.setIndexSort(request.getSchema().getIndexSort());
        }
        return new IndexDefinition(request.getTableName(), request.getIndexName(), schema.build(), now);
    }

    /** The field with the service's defaults made explicit; types this stand-in does not emulate are refused. */
    private static Search.FieldSchema checkedField(Search.FieldSchema field, OtsInternalApi.TableMeta table) {
        String name = field.getFieldName();
        if (name.isEmpty()) {
            throw OtsError.invalid("A field schema needs a field name.");
        }
        if (!field.hasFieldType()) {
            throw OtsError.invalid("Field [" + name + "] needs a field type.");
        }
        if (!EMULATED.contains(field.getFieldType())) {
            throw notEmulated("field type " + field.getFieldType() + " (field [" + name + "]); it emulates KEYWORD,"
                    + " LONG, DOUBLE and BOOLEAN, each optionally an array");
        }
        if (field.hasAnalyzer() || field.getFieldSchemasCount() > 0 || field.getIsVirtualField()
                || field.getSourceFieldNamesCount() > 0 || field.hasVectorOptions() || field.hasJsonType()) {
            throw notEmulated("analyzers, nested, virtual, vector and JSON fields (field [" + name + "])");
        }
        for (OtsInternalApi.PrimaryKeySchema key : table.getPrimaryKeyList()) {
            if (key.getName().equals(name)) {
                checkPrimaryKeyField(field, key);
            }
        }
        return field.toBuilder()
                .setIndex(!field.hasIndex() || field.getIndex())
                .setSortAndAgg(field.getSortAndAgg())
                .setStore(!field.hasStore() || field.getStore())
                .setIsArray(field.getIsArray())
                .build();
    }

    private static void checkPrimaryKeyField(Search.FieldSchema field, OtsInternalApi.PrimaryKeySchema key) {
        boolean fits = key.getType() == OtsInternalApi.PrimaryKeyType.STRING
                ? field.getFieldType() == Search.FieldType.KEYWORD
                : key.getType() == OtsInternalApi.PrimaryKeyType.INTEGER && field.getFieldType() == Search.FieldType.LONG;
        if (!fits || field.getIsArray()) {
            throw OtsError.invalid("Field [" + field.getFieldName() + "] of type " + field.getFieldType()
                    + (field.getIsArray() ? " (array)" : "") + " does not match the primary key column's type "
                    + key.getType() + ".");
        }
    }

    static OtsError notEmulated(String what) {
        return OtsError.invalid("local-cloud does not emulate " + what + ".");
    }

    /** The field {@code fieldName} of this index, or the service's refusal of a field the schema does not have. */
    IndexField field(String fieldName) {
        IndexField field = fields.get(fieldName);
        if (field == null) {
            throw OtsError.invalid("Field [" + fieldName + "] does not exist in the schema of search index ["
                    + name + "] of table [" + table + "].");
        }
        return field;
    }

    byte[] toBytes() {
        return Search.DescribeSearchIndexResponse.newBuilder()
                .setSchema(schema)
                .setCreateTime(createdAt * 1000)
                .build().toByteArray();
    }

    static IndexDefinition fromBytes(String table, String name, byte[] bytes) {
        try {
            Search.DescribeSearchIndexResponse stored = Search.DescribeSearchIndexResponse.parseFrom(bytes);
            return new IndexDefinition(table, name, stored.getSchema(), stored.getCreateTime() / 1000);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored search index is corrupt: " + table + "/" + name, e);
        }
    }
}
