package com.fcminiapp.localcloud.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.fcapi.AdminGuard;
import com.fcminiapp.localcloud.fcapi.AdminRoutes;
import com.fcminiapp.localcloud.fcapi.FcApiServer;
import com.fcminiapp.localcloud.fcapi.FcError;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's data endpoints under {@code /_admin/}: users, tables and their rows, files, export. Parses the
 * request, calls {@link ConsoleData} or {@link Snapshots}, answers JSON that is never cached; errors are FcErrors.
 */
public final class AdminDataRoutes implements AdminRoutes {

    private static final Pattern ROWS = Pattern.compile("/_admin/tables/([^/]+)/rows/?");
    private static final Pattern ROW = Pattern.compile("/_admin/tables/([^/]+)/rows/([^/]+)/([^/]+)");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

    private final ConsoleData data;
    private final Snapshots snapshots;
    private final Path dataDir;
    private final UsersTable usersTable;
    private final java.util.function.Supplier<ObjectNode> instances;

    /**
     * {@code dataDir}: where exports go when no folder is named ({@code <data>/exports/<UTC time>}); {@code instances}
     * answers {@code GET /_admin/instances} (FcApiServer's counts).
     */
    public AdminDataRoutes(ConsoleData data, Snapshots snapshots, Path dataDir, UsersTable usersTable,
                           java.util.function.Supplier<ObjectNode> instances) {
        this.data = data;
        this.snapshots = snapshots;
        this.dataDir = dataDir;
        this.usersTable = usersTable;
        this.instances = instances;
    }

    @Override
    public boolean handles(String path) {
        return List.of("/_admin/users", "/_admin/instances", "/_admin/tables", "/_admin/files", "/_admin/files/content", "/_admin/export")
                .contains(path) || path.startsWith("/_admin/tables/");
    }

    @Override
    public void serve(HttpExchange exchange, String requestId, String path, AdminGuard guard)
            throws IOException, FcError {
        String method = exchange.getRequestMethod();
        Map<String, List<String>> query = FcApiServer.parseQuery(exchange.getRequestURI().getRawQuery());
        Matcher m;
        if (path.equals("/_admin/users")) {
            allow(method, "GET");
            ObjectNode out = object();
            out.set("users", data.users());
            // the users table (phone masked, live sessions, a pending deletion): what issue 20's session keeps
            out.put("usersTableName", usersTable.name()).set("usersTable", usersTable.rows());
            answer(exchange, requestId, out);
        } else if (path.equals("/_admin/instances")) {
            allow(method, "GET");
            answer(exchange, requestId, instances.get());
        } else if (path.equals("/_admin/tables")) {
            allow(method, "GET");
            ObjectNode out = object();
            data.dataTables().forEach(out.putArray("tables")::add);
            answer(exchange, requestId, out);
        } else if ((m = ROWS.matcher(path)).matches()) {
            allow(method, "GET");
            answer(exchange, requestId, data.rows(segment(m, 1), param(query, "uid"), limit(query),
                    param(query, "next")));
        } else if ((m = ROW.matcher(path)).matches()) {
            row(exchange, requestId, guard, segment(m, 1), segment(m, 2), segment(m, 3));
        } else if (path.equals("/_admin/files")) {
            files(exchange, requestId, guard, query);
        } else if (path.equals("/_admin/files/content")) {
            allow(method, "GET");
            byte[] bytes = data.fileContent(param(query, "key"));
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.getResponseHeaders().set("Content-Disposition", "attachment");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            send(exchange, requestId, bytes);
        } else if (path.equals("/_admin/export")) {
            allow(method, "POST");
            guard.checkWrite(exchange);
            JsonNode body = body(exchange, false);
            String dir = body.path("dir").asText("");
            Path target = dir.isEmpty() ? dataDir.resolve("exports").resolve(STAMP.format(Instant.now()))
                    : Path.of(dir);
            answer(exchange, requestId, object().put("dir", snapshots.export(target).toString()));
        } else {
            throw new FcError(404, "PathNotFound", "No such API: " + method + " " + path);
        }
    }

    private void row(HttpExchange exchange, String requestId, AdminGuard guard, String table, String uid, String id)
            throws IOException, FcError {
        switch (exchange.getRequestMethod()) {
            case "GET":
                answer(exchange, requestId, data.row(table, uid, id));
                break;
            case "PUT": {
                guard.checkWrite(exchange);
                JsonNode body = body(exchange, true);
                answer(exchange, requestId, data.putRow(table, uid, id, body.path("item"), body.get("version")));
                break;
            }
            case "DELETE":
                data.deleteRow(table, uid, id);
                answer(exchange, requestId, object().put("uid", uid).put("id", id).put("removed", true));
                break;
            default:
                throw new FcError(405, "MethodNotAllowed", "GET, PUT or DELETE a row.");
        }
    }

    private void files(HttpExchange exchange, String requestId, AdminGuard guard, Map<String, List<String>> query)
            throws IOException, FcError {
        if ("DELETE".equals(exchange.getRequestMethod())) {
            String key = param(query, "key");
            data.deleteFile(key);
            answer(exchange, requestId, object().put("key", key).put("removed", true));
            return;
        }
        allow(exchange.getRequestMethod(), "GET");
        answer(exchange, requestId, data.files(param(query, "uid"), param(query, "next")));
    }

    static void allow(String method, String allowed) throws FcError {
        if (!method.equals(allowed)) {
            throw new FcError(405, "MethodNotAllowed", "Use " + allowed + " here.");
        }
    }

    static String segment(Matcher m, int group) throws FcError {
        String value = FcApiServer.decode(m.group(group));
        if (value.isEmpty()) {
            throw ConsoleData.invalid("An empty path segment; give the table, uid and id.");
        }
        return value;
    }

    private static String param(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.get(0).isEmpty() ? null : values.get(0);
    }

    private static int limit(Map<String, List<String>> query) throws FcError {
        String limit = param(query, "limit");
        if (limit == null) {
            return ConsoleData.DEFAULT_LIMIT;
        }
        try {
            return Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw ConsoleData.invalid("limit must be a number from 1 to " + ConsoleData.MAX_LIMIT + ".");
        }
    }

    static JsonNode body(HttpExchange exchange, boolean required) throws IOException, FcError {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new FcError(413, "PAYLOAD_TOO_LARGE", "The request body is over " + MAX_BODY_BYTES + " bytes.");
        }
        if (bytes.length == 0 && !required) {
            return object();
        }
        try {
            JsonNode body = ItemJson.MAPPER.readTree(bytes);
            if (body != null && body.isObject()) {
                return body;
            }
        } catch (IOException e) {
            // answered below
        }
        throw ConsoleData.invalid("The body must be a JSON object" + (required ? ", e.g. {\"item\": {...}}." : "."));
    }

    static ObjectNode object() {
        return ItemJson.MAPPER.createObjectNode();
    }

    static void answer(HttpExchange exchange, String requestId, JsonNode body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        send(exchange, requestId, ItemJson.write(body));
    }

    private static void send(HttpExchange exchange, String requestId, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("x-fc-request-id", requestId);
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
