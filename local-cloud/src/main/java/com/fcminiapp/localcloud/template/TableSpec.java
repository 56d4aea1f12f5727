package com.fcminiapp.localcloud.template;

import java.util.Map;

/** One {@code Aliyun::Serverless::TableStore::Table}: its instance, name and primary key (column → type). */
public final class TableSpec {

    private final String instance;
    private final String name;
    private final Map<String, String> primaryKey;

    public TableSpec(String instance, String name, Map<String, String> primaryKey) {
        this.instance = instance;
        this.name = name;
        this.primaryKey = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(primaryKey));
    }

    public String instance() { return instance; }
    public String name() { return name; }
    /** Column name → STRING, INTEGER or BINARY, in key order. */
    public Map<String, String> primaryKey() { return primaryKey; }
}
