package com.fcminiapp.localcloud.admin;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.TableStoreException;
import com.alicloud.openservices.tablestore.model.search.DescribeSearchIndexRequest;
import com.alicloud.openservices.tablestore.model.search.FieldSchema;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.fcapi.FcError;

import java.time.Clock;
import java.util.List;

/**
 * The console's view of the declared data tables: each one's mode, rules and declared indexes beside the search
 * index the Tablestore stand-in holds for it ({@code <table>_index}), and a query run as a chosen user through the
 * db function's own {@code query} op (its rules apply, as for that user's client).
 */
public final class ConsoleTables {

    /** The design's index name for a declared table. */
    static final String INDEX_SUFFIX = "_index";

    private final DataTables declared;
    private final SyncClient tables;
    private final DbFunctionCaller db;

    /**
     * @param declared the db function's {@code DATA_TABLES}
     * @param tables   a client of the Tablestore stand-in (owner key)
     * @param db       runs an event through the db function as a user
     */
    ConsoleTables(DataTables declared, SyncClient tables, DbFunctionCaller db) {
        this.declared = declared;
        this.tables = tables;
        this.db = db;
    }

    /**
     * @param sessionTable where the db function looks sessions up (a query's caller gets one for its duration)
     * @param invoker      runs an event through the db function
     */
    public ConsoleTables(DataTables declared, SyncClient tables, String sessionTable, DbFunctionCaller.Invoker invoker,
            Clock clock) {
        this(declared, tables, new DbFunctionCaller(tables, sessionTable, invoker, clock));
    }

    /** {@code {"source", "problem"?, "tables": [{"name", "mode", "rules", "indexes", "searchIndex"}]}}. */
    public ObjectNode describe() throws FcError {
        ObjectNode out = ItemJson.MAPPER.createObjectNode().put("source", declared.source);
        if (declared.problem != null) {
            out.put("problem", declared.problem);
        }
        ArrayNode list = out.putArray("tables");
        for (DataTables.Table table : declared.tables) {
            ObjectNode shown = list.addObject().put("name", table.name).put("mode", table.mode);
            shown.set("rules", table.rules);
            shown.set("indexes", table.indexes);
            shown.set("searchIndex", searchIndex(table.name));
        }
        return out;
    }

    /** The stand-in's {@code <table>_index}: name and fields, or null when there is none. */
    private JsonNode searchIndex(String table) throws FcError {
        DescribeSearchIndexRequest request = new DescribeSearchIndexRequest();
        request.setTableName(table);
        request.setIndexName(table + INDEX_SUFFIX);
        List<FieldSchema> fields = ConsoleData.tablestore(() -> {
            try {
                return tables.describeSearchIndex(request).getSchema().getFieldSchemas();
            } catch (TableStoreException e) {
                if ("OTSObjectNotExist".equals(e.getErrorCode())) {
                    return null;
                }
                throw e;
            }
        });
        if (fields == null) {
            return null;
        }
        ObjectNode index = ItemJson.MAPPER.createObjectNode().put("name", table + INDEX_SUFFIX);
        ArrayNode shown = index.putArray("fields");
        for (FieldSchema field : fields) {
            shown.addObject().put("name", field.getFieldName()).put("type", field.getFieldType().name())
                    .put("array", Boolean.TRUE.equals(field.isArray()))
                    .put("sortable", Boolean.TRUE.equals(field.isEnableSortAndAgg()));
        }
        return index;
    }

    /**
     * Runs {@code {"op": "query", "table", "where"?, "orderBy"?, "limit"?, "next"?}} as {@code user} and answers
     * the db function's {@code {"data", "next"}}; its refusal comes back as an FcError with its code and message.
     */
    public ObjectNode query(String table, JsonNode request) throws FcError {
        if (!declared.names().contains(table)) {
            throw ConsoleData.invalid("Table " + table + " is not in the db function's DATA_TABLES.");
        }
        JsonNode user = request.get("user");
        if (user == null || !user.isTextual() || user.asText().isEmpty()) {
            throw ConsoleData.invalid("Give the uid of the user to query as: {\"user\": \"<uid>\", ...}.");
        }
        ObjectNode event = ItemJson.MAPPER.createObjectNode().put("op", "query").put("table", table);
        for (String key : List.of("where", "orderBy", "limit", "next")) {
            JsonNode value = request.get(key);
            if (value != null && !value.isNull()) {
                event.set(key, value);
            }
        }
        JsonNode answer = db.callWhole(user.asText(), event);
        ObjectNode out = ItemJson.MAPPER.createObjectNode();
        out.set("data", answer.path("data"));
        out.set("next", answer.has("next") ? answer.get("next") : ItemJson.MAPPER.nullNode());
        return out;
    }
}
