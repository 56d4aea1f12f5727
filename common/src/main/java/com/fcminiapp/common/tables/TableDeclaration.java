package com.fcminiapp.common.tables;

import com.alicloud.openservices.tablestore.model.search.FieldSchema;
import com.alicloud.openservices.tablestore.model.search.IndexSchema;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One declared data table: its name, access mode, rules ({@code rules} mode only) and indexed fields, from which
 * its search index {@code <name>_index} is made. Immutable; made by {@link TablesDeclaration}.
 */
public final class TableDeclaration {

    /** The primary key columns, indexed on every table. */
    public static final String ID = "id";
    public static final String UID = "uid";

    private final String name;
    private final AccessMode mode;
    private final Map<String, FieldType> indexes;
    private final Map<RuleOp, Rule> rules;
    private final List<List<RuleDnf.Literal>> readDnf;

    TableDeclaration(String name, AccessMode mode, Map<String, FieldType> declaredIndexes, Map<RuleOp, Rule> rules) {
        this.name = Objects.requireNonNull(name, "name");
        this.mode = Objects.requireNonNull(mode, "mode");
        Map<String, FieldType> all = new LinkedHashMap<>();
        all.put(ID, FieldType.STRING);
        if (mode == AccessMode.PRIVATE) {
            all.put(UID, FieldType.STRING);
        }
        all.putAll(declaredIndexes);
        this.indexes = Collections.unmodifiableMap(all);
        EnumMap<RuleOp, Rule> copy = new EnumMap<>(RuleOp.class);
        copy.putAll(rules);
        this.rules = Collections.unmodifiableMap(copy);
        Rule read = copy.get(RuleOp.READ);
        this.readDnf = read == null ? List.of() : RuleDnf.of(read.expr());
    }

    public String name() {
        return name;
    }

    public AccessMode mode() {
        return mode;
    }

    /** Whether rows are shared (partition {@code uid = "*"}, with {@code _owner}): every mode but private. */
    public boolean shared() {
        return mode != AccessMode.PRIVATE;
    }

    /**
     * Every field of the search index, in index order: {@code id} (string), {@code uid} (string, private tables
     * only: the partition key, which no query names) and the declared fields.
     */
    public Map<String, FieldType> indexes() {
        return indexes;
    }

    /** The type {@code field} is indexed with, or null when it is not indexed. */
    public FieldType indexType(String field) {
        return indexes.get(field);
    }

    /** The rule of {@code op} on a rules table; null when absent (the op is denied) or not a rules table. */
    public Rule rule(RuleOp op) {
        return rules.get(op);
    }

    /** The name of the table's search index. */
    public String searchIndexName() {
        return name + "_index";
    }

    /**
     * The search index's schema (design §1): {@code id} KEYWORD, {@code uid} KEYWORD on a private table, each
     * declared field by type (string KEYWORD, integer LONG, number DOUBLE, boolean BOOLEAN, all sortable;
     * string[] an unsortable KEYWORD array). No index sort: the service's default, primary key order.
     */
    public IndexSchema indexSchema() {
        IndexSchema schema = new IndexSchema();
        for (Map.Entry<String, FieldType> e : indexes.entrySet()) {
            schema.addFieldSchema(fieldSchema(e.getKey(), e.getValue()));
        }
        return schema;
    }

    private static FieldSchema fieldSchema(String field, FieldType type) {
        FieldSchema schema = new FieldSchema(field, searchType(type)).setIndex(true);
        // an array has no one value to sort or aggregate on
        return type == FieldType.STRING_ARRAY ? schema.setEnableSortAndAgg(false).setIsArray(true)
                : schema.setEnableSortAndAgg(true);
    }

    private static com.alicloud.openservices.tablestore.model.search.FieldType searchType(FieldType type) {
        switch (type) {
            case INTEGER:
                return com.alicloud.openservices.tablestore.model.search.FieldType.LONG;
            case NUMBER:
                return com.alicloud.openservices.tablestore.model.search.FieldType.DOUBLE;
            case BOOLEAN:
                return com.alicloud.openservices.tablestore.model.search.FieldType.BOOLEAN;
            default:
                return com.alicloud.openservices.tablestore.model.search.FieldType.KEYWORD;
        }
    }

    /** The read rule's disjuncts (empty when there is no read rule). */
    List<List<RuleDnf.Literal>> readDnf() {
        return readDnf;
    }

    @Override
    public String toString() {
        return "TableDeclaration{" + name + ", " + mode.wireName() + ", indexes=" + indexes.keySet() + "}";
    }
}
