package com.fcminiapp.localcloud.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The db function's {@code DATA_TABLES} as the console shows it: a JSON declaration (table → mode, rules, indexes;
 * key order = table order) or a legacy comma-separated list of names (all {@code private}, nothing declared).
 * local-cloud depends on no project module, so this reads the declaration's shape only; the functions' own parser
 * is what judges it (a value it cannot read is shown with the reason, and no tables).
 */
public final class DataTables {

    /** One declared table: its name, mode, rules ({@code null} unless mode rules) and indexed fields → type. */
    public static final class Table {
        public final String name;
        public final String mode;
        public final ObjectNode rules;
        public final ObjectNode indexes;

        Table(String name, String mode, ObjectNode rules, ObjectNode indexes) {
            this.name = name;
            this.mode = mode;
            this.rules = rules;
            this.indexes = indexes;
        }
    }

    /** How the value was given: {@code declaration}, {@code legacy} or {@code invalid}. */
    public final String source;
    /** Why an invalid value could not be read; null otherwise. */
    public final String problem;
    public final List<Table> tables;

    private DataTables(String source, String problem, List<Table> tables) {
        this.source = source;
        this.problem = problem;
        this.tables = List.copyOf(tables);
    }

    /** Reads {@code value}; unset or blank is the legacy default, {@code todo_list}. */
    public static DataTables parse(String value) {
        String text = value == null || value.isBlank() ? "todo_list" : value.trim();
        if (!text.startsWith("{")) {
            List<Table> tables = Arrays.stream(text.split(",")).map(String::trim).filter(t -> !t.isEmpty())
                    .map(t -> new Table(t, "private", null, ItemJson.MAPPER.createObjectNode()))
                    .collect(Collectors.toList());
            return new DataTables("legacy", null, tables);
        }
        JsonNode root;
        try {
            root = ItemJson.MAPPER.readTree(text);
        } catch (IOException e) {
            return new DataTables("invalid", "DATA_TABLES is not valid JSON", List.of());
        }
        List<Table> tables = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            JsonNode table = entry.getValue();
            if (!table.isObject()) {
                return new DataTables("invalid", "table " + entry.getKey() + " is not a JSON object", List.of());
            }
            JsonNode rules = table.get("rules");
            JsonNode indexes = table.get("indexes");
            tables.add(new Table(entry.getKey(), table.path("mode").asText("private"),
                    rules instanceof ObjectNode ? (ObjectNode) rules : null,
                    indexes instanceof ObjectNode ? (ObjectNode) indexes : ItemJson.MAPPER.createObjectNode()));
        }
        return new DataTables("declaration", null, tables);
    }

    public List<String> names() {
        return tables.stream().map(t -> t.name).collect(Collectors.toList());
    }
}
