package com.fcminiapp.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.common.session.SessionResolver;
import com.fcminiapp.common.tables.AccessPolicy.Actor;
import com.fcminiapp.common.tables.TableDeclaration;
import com.fcminiapp.kit.Expect;
import com.fcminiapp.kit.internal.FileService;
import com.fcminiapp.kit.internal.ItemCodec;
import com.fcminiapp.kit.internal.QueryService;
import com.fcminiapp.kit.internal.RowService;
import com.fcminiapp.kit.internal.UpdateOps;
import com.fcminiapp.kit.runtime.FunctionRuntime;

import java.util.ArrayList;
import java.util.List;

/**
 * The db function's wire protocol: reads an event ({@code {"sid", "op", ...}}), resolves the session to its uid
 * (the only source of the uid), calls {@link RowService} or {@link FileService} and writes
 * {@code {"data": ...}} (with {@code "next"} for listings). Failures are thrown as {@link ApiException}.
 */
public final class DbActions {

    /** Larger events are refused before parsing. */
    public static final int MAX_EVENT_BYTES = FunctionRuntime.MAX_EVENT_BYTES;

    /** Every op, for the messages that refuse a missing or unknown one. */
    private static final String OPS = "put, get, list, add, query, count, update, remove, uploadPolicy, downloadUrl, "
            + "downloadUrls, listFiles or removeFile";

    private final SessionResolver sessions;
    private final RowService rows;
    private final QueryService queries;
    private final FileService files;

    public DbActions(SessionResolver sessions, RowService rows, QueryService queries, FileService files) {
        this.sessions = sessions;
        this.rows = rows;
        this.queries = queries;
        this.files = files;
    }

    /** Runs one event; {@code body} is the raw JSON text. */
    public ObjectNode handle(byte[] body) {
        if (body != null && body.length > MAX_EVENT_BYTES) {
            throw tooLarge();
        }
        return handle(Json.parseObject(body));
    }

    public ObjectNode handle(ObjectNode event) {
        JsonNode sid = event.get("sid");
        String uid = sessions.require(sid != null && sid.isTextual() ? sid.asText() : null).uid();
        JsonNode op = event.get("op");
        if (op == null || !op.isTextual()) {
            throw ApiException.invalid("op is missing; use " + OPS + ".");
        }
        Actor actor = Actor.user(uid);
        switch (op.asText()) {
            case "get":
                return data(orNull(rows.get(actor, table(event), id(event))));
            case "list":
                return page(rows.list(actor, table(event),
                        limit(event, RowService.DEFAULT_LIST_LIMIT, RowService.MAX_LIST_LIMIT),
                        optString(event, "prefix", ""), optBoolean(event, "reverse"), optString(event, "next", null)));
            case "query":
                return page(queries.query(actor, table(event), event.get("where"), event.get("orderBy"),
                        limit(event, QueryService.DEFAULT_LIMIT, QueryService.MAX_LIMIT),
                        optString(event, "next", null)));
            case "count":
                return data(LongNode.valueOf(queries.count(actor, table(event), event.get("where"))));
            default:
                return write(actor, uid, op.asText(), event);
        }
    }

    /** The row writes, apart from the reads so that neither switch grows past a screen; then the file ops. */
    private ObjectNode write(Actor actor, String uid, String op, ObjectNode event) {
        switch (op) {
            case "put":
                return data(rows.put(actor, table(event), object(event, "obj", true), expect(event),
                        version(event)));
            case "add":
                return data(rows.add(actor, table(event), object(event, "obj", true)));
            case "update":
                return data(rows.update(actor, table(event), id(event), UpdateOps.parse(updateOps(event))));
            case "remove":
                rows.remove(actor, table(event), id(event), version(event));
                return data(NullNode.instance);
            default:
                return fileOp(uid, op, event);
        }
    }

    /** The event's {@code set unset inc push pull version}: the update object the row service reads. */
    private static ObjectNode updateOps(ObjectNode event) {
        ObjectNode ops = JsonNodeFactory.instance.objectNode();
        for (String key : UpdateOps.KEYS) {
            JsonNode value = event.get(key);
            if (value != null && !value.isNull()) {
                ops.set(key, value);
            }
        }
        return ops;
    }

    /** The file ops, apart from the row ops so that neither switch grows past a screen. */
    private ObjectNode fileOp(String uid, String op, ObjectNode event) {
        switch (op) {
            case "uploadPolicy":
                return data(files.uploadPolicy(folder(uid, event, true), optString(event, "path", null),
                        optString(event, "contentType", null), optLong(event, "maxBytes")));
            case "downloadUrl":
                return data(files.downloadUrl(folder(uid, event, false), optString(event, "path", null)));
            case "downloadUrls":
                return data(files.downloadUrls(folder(uid, event, false), optStrings(event, "paths")));
            case "listFiles":
                return page(files.listFiles(folder(uid, event, false), optString(event, "prefix", ""),
                        limit(event, FileService.DEFAULT_LIST_LIMIT, FileService.MAX_LIST_LIMIT),
                        optString(event, "next", null)));
            case "removeFile":
                files.removeFile(folder(uid, event, true), optString(event, "path", null));
                return data(NullNode.instance);
            default:
                throw ApiException.invalid("Unknown op; use " + OPS + ".");
        }
    }

    /**
     * The folder a file op works in: the caller's private one, or with {@code "public": true} a public one
     * ({@code "owner"}'s, to read); uploadPolicy and removeFile write, so only in the caller's own folders.
     */
    private static FileService.Folder folder(String uid, ObjectNode event, boolean write) {
        return FileService.Folder.requested(uid, optBoolean(event, "public"), optString(event, "owner", null), write);
    }

    public static ApiException tooLarge() {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                "The event is over " + MAX_EVENT_BYTES + " bytes; an item is at most 1 MiB, put large data in a file.");
    }

    private static ObjectNode data(JsonNode data) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("data", data);
        return out;
    }

    private static ObjectNode page(RowService.Page page) {
        ObjectNode out = data(page.items);
        out.put("next", page.next);
        return out;
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null ? NullNode.instance : node;
    }

    private TableDeclaration table(ObjectNode event) {
        return rows.table(optString(event, "table", null));
    }

    private static String id(ObjectNode event) {
        return ItemCodec.checkId(event.get("id"), "id");
    }

    private static ObjectNode object(ObjectNode event, String name, boolean required) {
        JsonNode node = event.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiException.invalid(name + " is missing; send the item as an object.");
            }
            return null;
        }
        if (!node.isObject()) {
            throw ApiException.invalid(name + " must be an object.");
        }
        return (ObjectNode) node;
    }

    /** An array of strings, or null when absent; a bad element is named by its index ({@code paths[3]}). */
    private static List<String> optStrings(ObjectNode event, String name) {
        JsonNode node = event.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw ApiException.invalid(name + " must be an array of strings.");
        }
        List<String> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw ApiException.invalid(name + "[" + i + "] must be a string.");
            }
            out.add(node.get(i).asText());
        }
        return out;
    }

    private static Expect expect(ObjectNode event) {
        String expect = optString(event, "expect", null);
        if (expect == null) {
            return Expect.ANY;
        }
        switch (expect) {
            case "absent":
                return Expect.ABSENT;
            case "present":
                return Expect.PRESENT;
            default:
                throw ApiException.invalid("expect must be \"absent\" or \"present\".");
        }
    }

    private static Long version(ObjectNode event) {
        Long version = optLong(event, "version");
        if (version != null && version < 1) {
            throw ApiException.invalid("version must be a whole number of at least 1 (an item's _version).");
        }
        return version;
    }

    private static int limit(ObjectNode event, int defaultLimit, int max) {
        Long limit = optLong(event, "limit");
        if (limit == null) {
            return defaultLimit;
        }
        if (limit < 1 || limit > max) {
            throw ApiException.invalid("limit must be a whole number from 1 to " + max + ".");
        }
        return limit.intValue();
    }

    private static String optString(ObjectNode event, String name, String defaultValue) {
        JsonNode node = event.get(name);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isTextual()) {
            throw ApiException.invalid(name + " must be a string.");
        }
        return node.asText();
    }

    private static boolean optBoolean(ObjectNode event, String name) {
        JsonNode node = event.get(name);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw ApiException.invalid(name + " must be true or false.");
        }
        return node.booleanValue();
    }

    private static Long optLong(ObjectNode event, String name) {
        JsonNode node = event.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw ApiException.invalid(name + " must be a whole number.");
        }
        return node.longValue();
    }
}
