package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.LocalCloud;
import com.fcminiapp.localcloud.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's data endpoints on local-cloud running the real function jars (template.yml with a second data
 * table): users logged in through the session function are listed by name, rows are browsed, edited through the
 * db function (the client reads exactly the edit) and deleted, files listed, downloaded and deleted, the state
 * exported; every endpoint refuses a request without the token or addressed to another host.
 */
class ConsoleDataIT {

    /** Exact with decimals, so a test sees 2.50 as the wire carries it. */
    static final ObjectMapper JSON = JsonMapper.builder().nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).build();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path dir;
    static LocalCloud cloud;
    static ObjectNode ready;

    @BeforeAll
    static void start() throws Exception {
        cloud = TwoTableCloud.start(dir, dir.resolve("data"));
        ready = cloud.readyInfo();
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    // ---- users ----

    @Test
    void usersListsEveryLoggedInUserByNameWithSessionExpiriesAndNoSessionId() throws Exception {
        String alice = unique("alice");
        String bob = unique("bob");
        JsonNode a = login(alice);
        JsonNode b = login(bob);
        db(a, "{\"op\":\"put\",\"obj\":{\"id\":\"t1\",\"title\":\"milk\"}}");
        HttpResponse<String> answer = admin("GET", "/_admin/users", null);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(answer.body()).doesNotContain(a.path("sessionId").asText()).doesNotContain(b.path("sessionId").asText());
        JsonNode users = JSON.readTree(answer.body()).path("users");
        JsonNode aliceRow = find(users, "name", alice);
        assertThat(aliceRow.path("uid").asText()).isEqualTo(a.path("userId").asText());
        assertThat(aliceRow.path("sessions").get(0).path("expiresAt").asText()).isEqualTo(a.path("expiresAt").asText());
        assertThat(aliceRow.path("rowCount").asInt()).isEqualTo(1);
        assertThat(aliceRow.path("fileCount").asInt()).isEqualTo(0);
        assertThat(find(users, "name", bob).path("uid").asText()).isEqualTo(b.path("userId").asText());
    }

    @Test
    void tablesListsTheDataTablesButNotTheSessionTable() throws Exception {
        assertThat(json(admin("GET", "/_admin/tables", null)).path("tables").toString())
                .isEqualTo("[\"todo_list\",\"notes\"]");
    }

    // ---- refusals ----

    @ParameterizedTest
    @ValueSource(strings = {"/_admin/users", "/_admin/tables", "/_admin/tables/todo_list/rows", "/_admin/files",
            "/_admin/tables/todo_list/rows/u/i", "/_admin/files/content?key=users/u/a.txt"})
    void everyDataEndpointRefusesARequestWithoutTheTokenOrWithAWrongOne(String path) throws Exception {
        HttpResponse<String> none = send(HttpRequest.newBuilder(uri(path)).GET());
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.body()).contains("AccessDenied").contains("X-Local-Cloud-Token");
        HttpResponse<String> wrong = send(HttpRequest.newBuilder(uri(path)).header("X-Local-Cloud-Token", "x" + token())
                .GET());
        assertThat(wrong.statusCode()).isEqualTo(403);
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "192.168.1.20"})
    void everyDataEndpointRefusesARequestAddressedToAnotherHostEvenWithTheToken(String host) throws Exception {
        for (String path : new String[] {"/_admin/users", "/_admin/tables/todo_list/rows", "/_admin/files"}) {
            Map<String, String> headers = new LinkedHashMap<>();
            int adminPort = URI.create(cloud.adminUrl()).getPort();
            headers.put("Host", host + ":" + adminPort);
            headers.put("X-Local-Cloud-Token", token());
            RawHttp.Response r = RawHttp.send(new InetSocketAddress("127.0.0.1", adminPort), "GET", path,
                    headers, new byte[0]);
            assertThat(r.status).as(path).isEqualTo(403);
            assertThat(r.body).contains("loopback").doesNotContain("\"rows\"").doesNotContain("\"users\"");
        }
    }

    @Test
    void aRowEditOrExportWithoutJsonContentTypeIsRefused() throws Exception {
        JsonNode a = login(unique("carol"));
        db(a, "{\"op\":\"put\",\"obj\":{\"id\":\"x\",\"n\":1}}");
        for (String path : new String[] {rowPath("todo_list", a, "x"), "/_admin/export"}) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)).header("X-Local-Cloud-Token", token())
                    .header("Content-Type", "text/plain")
                    .method(path.endsWith("export") ? "POST" : "PUT",
                            HttpRequest.BodyPublishers.ofString("{\"item\":{\"n\":2}}")));
            assertThat(r.statusCode()).as(path).isEqualTo(415);
        }
        assertThat(db(a, "{\"op\":\"get\",\"id\":\"x\"}").path("n").asInt()).isEqualTo(1);
    }

    // ---- rows ----

    @Test
    void rowsServesLimit100AndRefuses0And101AndAStrangerToken() throws Exception {
        assertThat(admin("GET", "/_admin/tables/todo_list/rows?limit=100", null).statusCode()).isEqualTo(200);
        for (String limit : new String[] {"0", "101", "ten"}) {
            HttpResponse<String> r = admin("GET", "/_admin/tables/todo_list/rows?limit=" + limit, null);
            assertThat(r.statusCode()).as(limit).isEqualTo(400);
            assertThat(r.body()).contains("INVALID_ARGUMENT").contains("limit must be");
        }
        HttpResponse<String> token = admin("GET", "/_admin/tables/todo_list/rows?next=bm90LWEtdG9rZW4", null);
        assertThat(token.statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/_admin/tables/no_such/rows", null).statusCode()).isEqualTo(404);
    }

    @Test
    void rowsOfOneUserComePageByPageInIdOrderUntilNextIsNull() throws Exception {
        JsonNode a = login(unique("dave"));
        for (String id : new String[] {"c", "a", "b"}) {
            db(a, "{\"op\":\"put\",\"table\":\"notes\",\"obj\":{\"id\":\"" + id + "\",\"text\":\"" + id + "\"}}");
        }
        String uid = a.path("userId").asText();
        StringBuilder seen = new StringBuilder();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = json(admin("GET", "/_admin/tables/notes/rows?limit=2&uid=" + enc(uid)
                    + (next == null ? "" : "&next=" + enc(next)), null));
            page.path("rows").forEach(r -> seen.append(r.path("uid").asText().equals(uid) ? r.path("id").asText() : "?"));
            next = page.path("next").isNull() ? null : page.path("next").asText();
            pages++;
        } while (next != null && pages < 5);
        assertThat(seen.toString()).isEqualTo("abc");
        assertThat(pages).isEqualTo(2);
    }

    @Test
    void anEditedRowIsReadBackByTheDbFunctionExactlyWithItsVersionRaised() throws Exception {
        JsonNode a = login(unique("erin"));
        db(a, "{\"op\":\"put\",\"obj\":{\"id\":\"t1\",\"title\":\"milk\",\"done\":false}}");
        String edit = "{\"item\":{\"id\":\"t1\",\"title\":\"lait frais ☕ 牛奶\",\"done\":true,\"qty\":2,"
                + "\"price\":1.25,\"tags\":[\"a\",{\"deep\":[1,2.50,null]}],\"meta\":{\"z\":1,\"a\":\"ü\"}}}";
        HttpResponse<String> put = admin("PUT", rowPath("todo_list", a, "t1"), edit);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        JsonNode stored = json(put);
        assertThat(stored.path("version").asInt()).isEqualTo(2);
        assertThat(stored.path("item").path("title").asText()).isEqualTo("lait frais ☕ 牛奶");

        // the db function keeps a decimal's value, not its trailing zeros (2.50 reads back as 2.5), for console
        // edits as for clients
        JsonNode read = db(a, "{\"op\":\"get\",\"id\":\"t1\"}");
        assertThat(read.path("_version").asInt()).isEqualTo(2);
        ObjectNode fields = read.deepCopy();
        fields.remove("_version");
        fields.remove("_updatedAt");
        assertThat(fields.remove("_createdAt")).as("set on create").isNotNull();
        assertThat(fields.toString()).isEqualTo("{\"id\":\"t1\",\"done\":true,\"meta\":{\"z\":1,\"a\":\"ü\"},"
                + "\"price\":1.25,\"qty\":2,\"tags\":[\"a\",{\"deep\":[1,2.5,null]}],\"title\":\"lait frais ☕ 牛奶\"}");
        assertThat(json(admin("GET", rowPath("todo_list", a, "t1"), null)).path("item"))
                .isEqualTo(stored.path("item"));
    }

    @Test
    void anEditBreakingTheDbFunctionsRulesIsRefusedWithItsMessageAndChangesNothing() throws Exception {
        JsonNode a = login(unique("fay"));
        db(a, "{\"op\":\"put\",\"obj\":{\"id\":\"t1\",\"title\":\"milk\"}}");
        HttpResponse<String> bad = admin("PUT", rowPath("todo_list", a, "t1"), "{\"item\":{\"bad-name\":1}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("INVALID_ARGUMENT").contains("\\\"bad-name\\\" is not allowed");
        HttpResponse<String> reserved = admin("PUT", rowPath("todo_list", a, "t1"), "{\"item\":{\"_secret\":9}}");
        assertThat(reserved.statusCode()).isEqualTo(400);
        assertThat(reserved.body()).contains("reserved");
        HttpResponse<String> stale = admin("PUT", rowPath("todo_list", a, "t1"), "{\"item\":{\"t\":1},\"version\":7}");
        assertThat(stale.statusCode()).isEqualTo(409);
        HttpResponse<String> renamed = admin("PUT", rowPath("todo_list", a, "t1"), "{\"item\":{\"id\":\"t2\"}}");
        assertThat(renamed.statusCode()).isEqualTo(400);
        JsonNode read = db(a, "{\"op\":\"get\",\"id\":\"t1\"}");
        assertThat(read.path("title").asText()).isEqualTo("milk");
        assertThat(read.path("_version").asInt()).isEqualTo(1);
    }

    @Test
    void aDeletedRowIsGoneForTheClientAndASecondDeleteIsNotFound() throws Exception {
        JsonNode a = login(unique("gil"));
        db(a, "{\"op\":\"put\",\"obj\":{\"id\":\"t/1\",\"title\":\"slash id\"}}");
        HttpResponse<String> delete = send(HttpRequest.newBuilder(uri(rowPath("todo_list", a, "t/1")))
                .header("X-Local-Cloud-Token", token()).DELETE());
        assertThat(delete.statusCode()).as(delete.body()).isEqualTo(200);
        assertThat(db(a, "{\"op\":\"get\",\"id\":\"t/1\"}").isNull()).isTrue();
        assertThat(admin("DELETE", rowPath("todo_list", a, "t/1"), null).statusCode()).isEqualTo(404);
    }

    // ---- files ----

    @Test
    void aUsersFileIsListedDownloadedAsAnAttachmentAndDeleted() throws Exception {
        JsonNode a = login(unique("hal"));
        byte[] bytes = {0, 1, 2, (byte) 0xff, '<', 'b', '>'};
        upload(a, "pics/x.bin", "image/png", bytes);
        String uid = a.path("userId").asText();
        JsonNode files = json(admin("GET", "/_admin/files?uid=" + enc(uid), null)).path("files");
        assertThat(files.size()).isEqualTo(1);
        assertThat(files.get(0).path("path").asText()).isEqualTo("pics/x.bin");
        assertThat(files.get(0).path("key").asText()).isEqualTo("users/" + uid + "/pics/x.bin");
        assertThat(files.get(0).path("size").asInt()).isEqualTo(7);
        assertThat(files.get(0).path("contentType").asText()).isEqualTo("image/png");

        String content = "/_admin/files/content?key=" + enc("users/" + uid + "/pics/x.bin");
        HttpResponse<byte[]> got = HTTP.send(HttpRequest.newBuilder(uri(content))
                .header("X-Local-Cloud-Token", token()).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(bytes);
        assertThat(got.headers().firstValue("Content-Disposition")).hasValue("attachment");
        assertThat(got.headers().firstValue("Content-Type")).hasValue("application/octet-stream");

        assertThat(admin("DELETE", "/_admin/files?key=" + enc("users/" + uid + "/pics/x.bin"), null).statusCode())
                .isEqualTo(200);
        assertThat(json(admin("GET", "/_admin/files?uid=" + enc(uid), null)).path("files").size()).isZero();
        assertThat(admin("DELETE", "/_admin/files?key=" + enc("users/" + uid + "/pics/x.bin"), null).statusCode())
                .isEqualTo(404);
        assertThat(admin("GET", "/_admin/files/content?key=" + enc("../etc/passwd"), null).statusCode())
                .isEqualTo(400);
    }

    // ---- export ----

    @Test
    void anExportHoldsWhatClientsWroteByUserName() throws Exception {
        String name = unique("ivy");
        JsonNode a = login(name);
        db(a, "{\"op\":\"put\",\"table\":\"notes\",\"obj\":{\"id\":\"n1\",\"text\":\"hé\",\"nested\":{\"k\":[1]}}}");
        upload(a, "docs/readme.txt", "text/markdown", "# hi".getBytes(StandardCharsets.UTF_8));
        Path out = dir.resolve("export-" + UUID.randomUUID());
        JsonNode answer = json(admin("POST", "/_admin/export", "{\"dir\":\"" + out + "\"}"));
        assertThat(answer.path("dir").asText()).isEqualTo(out.toString());
        String notes = Files.readString(out.resolve("tables/notes.json"));
        assertThat(notes).contains("  \"" + name + "\": [\n    {\n      \"id\": \"n1\",\n      \"nested\": {\n"
                + "        \"k\": [\n          1\n        ]\n      },\n      \"text\": \"hé\"\n    }\n  ]").endsWith("}\n");
        assertThat(Files.readString(out.resolve("files/" + name + "/docs/readme.txt"))).isEqualTo("# hi");
        assertThat(JSON.readTree(out.resolve("files.json").toFile()).path(name).path("docs/readme.txt")
                .path("contentType").asText()).isEqualTo("text/markdown");
        HttpResponse<String> again = admin("POST", "/_admin/export", "{\"dir\":\"" + out + "\"}");
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("not empty");
    }

    // ---- helpers ----

    static String unique(String name) {
        return name + UUID.randomUUID().toString().substring(0, 8);
    }

    static JsonNode login(String name) throws IOException {
        return SeedClients.login(cloud, name);
    }

    /** The db function invoked with the login's STS key, signed as @alicloud/fc2 signs it; answers its data. */
    static JsonNode db(JsonNode login, String event) throws IOException {
        return SeedClients.db(cloud, login, (ObjectNode) JSON.readTree(event));
    }

    /** Uploads through the db function's upload form, as my.uploadFile would. */
    static void upload(JsonNode login, String path, String type, byte[] bytes) throws IOException {
        SeedClients.upload(cloud, login, path, type, bytes);
    }

    static String rowPath(String table, JsonNode login, String id) {
        return "/_admin/tables/" + table + "/rows/" + enc(login.path("userId").asText()) + "/" + enc(id);
    }

    static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String token() {
        return ready.path("adminToken").asText();
    }

    /** {@code path} on the admin origin (READY's adminUrl): the console's data API is never on the FC endpoint. */
    static URI uri(String path) {
        return URI.create(cloud.adminUrl() + path);
    }

    /** An admin request with the token, and JSON when it has a body. */
    static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("X-Local-Cloud-Token", token());
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return send(request);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode find(JsonNode users, String field, String value) {
        for (JsonNode user : users) {
            if (user.path(field).asText().equals(value)) {
                return user;
            }
        }
        throw new AssertionError("no user with " + field + " " + value + " in " + users);
    }
}
