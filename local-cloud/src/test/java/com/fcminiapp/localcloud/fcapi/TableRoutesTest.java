package com.fcminiapp.localcloud.fcapi;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.core.protocol.Search;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fcminiapp.localcloud.admin.ConsoleTables;
import com.fcminiapp.localcloud.admin.DataTables;
import com.fcminiapp.localcloud.admin.TableRoutes;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.tablestore.TablestoreStandIn;
import com.fcminiapp.localcloud.testing.RawHttp;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's table endpoints: each declared table's mode, rules, indexes and search index, a query run as a
 * chosen user through the db function (its event and its answer or refusal relayed), and the search lag.
 */
class TableRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DECLARATION = "{\"guestbook\":{\"mode\":\"creator-write\",\"indexes\":"
            + "{\"_createdAt\":\"integer\",\"likes\":\"integer\"}},\"lists\":{\"mode\":\"rules\",\"rules\":"
            + "{\"read\":\"doc._owner == auth.uid\",\"create\":\"true\"},\"indexes\":{\"_owner\":\"string\"}},"
            + "\"notices\":{\"mode\":\"server-write\"}}";

    @RegisterExtension
    static final ApiFixture api = new ApiFixture();

    private static final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private static final MVStore store = new MVStore.Builder().open();
    private static TablestoreStandIn tablestore;
    private static SyncClient client;

    @BeforeAll
    static void routes() {
        CredentialRegistry registry = CredentialRegistry.inMemory();
        CredentialRegistry.Credential owner = registry.createPermanent("LTAI");
        tablestore = new TablestoreStandIn(0, registry, "inst", store).start();
        tablestore.provisionTable("session", Map.of("id", "STRING"));
        tablestore.provisionTable("guestbook", Map.of("uid", "STRING", "id", "STRING"));
        tablestore.provisionSearchIndex(Search.CreateSearchIndexRequest.newBuilder().setTableName("guestbook")
                .setIndexName("guestbook_index").setSchema(Search.IndexSchema.newBuilder()
                        .addFieldSchemas(Search.FieldSchema.newBuilder().setFieldName("likes")
                                .setFieldType(Search.FieldType.LONG).setSortAndAgg(true))).build());
        client = new SyncClient(tablestore.endpoint(), owner.accessKeyId, owner.accessKeySecret, "inst");
        ConsoleTables tables = new ConsoleTables(DataTables.parse(DECLARATION), client, "session", event -> {
            JsonNode parsed = read(new String(event, StandardCharsets.UTF_8));
            events.add(parsed);
            String answer = parsed.path("where").has("secret")
                    ? "{\"error\":{\"code\":\"PERMISSION_DENIED\",\"message\":\"query on lists: the read rule"
                    + " doc._owner == auth.uid does not cover it\"}}"
                    : "{\"data\":[{\"id\":\"p1\",\"likes\":3}],\"next\":\"tok\"}";
            return answer.getBytes(StandardCharsets.UTF_8);
        }, Clock.systemUTC());
        api.server.adminRoutes(new TableRoutes(tables, tablestore));
    }

    @AfterAll
    static void stop() {
        client.shutdown();
        tablestore.close();
        store.close();
    }

    @BeforeEach
    void clear() {
        events.clear();
        tablestore.searchLag(TablestoreStandIn.DEFAULT_SEARCH_LAG);
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RawHttp.Response post(String path, String body) throws Exception {
        Map<String, String> headers = ApiFixture.adminHeaders(api.adminHost(), api.server.adminToken());
        headers.put("Content-Type", "application/json");
        return api.adminRequest("POST", path, headers, body);
    }

    @Test
    void eachDeclaredTableShowsItsModeRulesIndexesAndSearchIndex() throws Exception {
        RawHttp.Response r = api.adminGet("/_admin/data-tables");

        assertThat(r.status).isEqualTo(200);
        JsonNode body = read(r.body);
        assertThat(body.path("source").asText()).isEqualTo("declaration");
        JsonNode guestbook = body.path("tables").get(0);
        assertThat(guestbook.path("name").asText()).isEqualTo("guestbook");
        assertThat(guestbook.path("mode").asText()).isEqualTo("creator-write");
        assertThat(guestbook.path("indexes").path("likes").asText()).isEqualTo("integer");
        assertThat(guestbook.path("searchIndex").path("name").asText()).isEqualTo("guestbook_index");
        assertThat(guestbook.path("searchIndex").path("fields").get(0).toString())
                .isEqualTo("{\"name\":\"likes\",\"type\":\"LONG\",\"array\":false,\"sortable\":true}");
        JsonNode lists = body.path("tables").get(1);
        assertThat(lists.path("rules").path("read").asText()).isEqualTo("doc._owner == auth.uid");
        assertThat(lists.path("searchIndex").isNull()).isTrue();
        assertThat(body.path("tables").get(2).path("mode").asText()).isEqualTo("server-write");
    }

    @Test
    void aQueryRunsAsTheChosenUserThroughTheDbFunctionsQueryOp() throws Exception {
        RawHttp.Response r = post("/_admin/data-tables/guestbook/query", "{\"user\":\"u-alice\",\"where\":"
                + "{\"likes\":{\"gte\":1}},\"orderBy\":[[\"likes\",\"desc\"]],\"limit\":5,\"next\":null}");

        assertThat(r.status).isEqualTo(200);
        assertThat(read(r.body).toString()).isEqualTo("{\"data\":[{\"id\":\"p1\",\"likes\":3}],\"next\":\"tok\"}");
        JsonNode event = events.get(0);
        assertThat(event.path("op").asText()).isEqualTo("query");
        assertThat(event.path("table").asText()).isEqualTo("guestbook");
        assertThat(event.path("where").toString()).isEqualTo("{\"likes\":{\"gte\":1}}");
        assertThat(event.path("orderBy").toString()).isEqualTo("[[\"likes\",\"desc\"]]");
        assertThat(event.path("limit").asInt()).isEqualTo(5);
        assertThat(event.has("next")).isFalse();
        assertThat(event.has("user")).isFalse();
        assertThat(event.path("sid").asText()).hasSizeGreaterThan(20);
    }

    @Test
    void aRefusalComesBackWithItsCodeAndMessage() throws Exception {
        RawHttp.Response r = post("/_admin/data-tables/lists/query", "{\"user\":\"u-bob\",\"where\":{\"secret\":1}}");

        assertThat(r.status).isEqualTo(403);
        JsonNode body = read(r.body);
        assertThat(body.path("ErrorCode").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(body.path("ErrorMessage").asText()).contains("does not cover it");
    }

    @Test
    void aTableNotDeclaredOrAQueryWithoutUserIsRefusedBeforeTheDbFunction() throws Exception {
        assertThat(post("/_admin/data-tables/nope/query", "{\"user\":\"u\"}").status).isEqualTo(400);
        RawHttp.Response noUser = post("/_admin/data-tables/guestbook/query", "{\"where\":{}}");
        assertThat(noUser.status).isEqualTo(400);
        assertThat(read(noUser.body).path("ErrorMessage").asText()).contains("Give the uid of the user");
        assertThat(events).isEmpty();
    }

    @Test
    void aQueryNeedsJsonAndTheToken() throws Exception {
        Map<String, String> plain = ApiFixture.adminHeaders(api.adminHost(), api.server.adminToken());
        assertThat(api.adminRequest("POST", "/_admin/data-tables/guestbook/query", plain, "{\"user\":\"u\"}").status)
                .isEqualTo(415);
        Map<String, String> noToken = ApiFixture.adminHeaders(api.adminHost(), null);
        noToken.put("Content-Type", "application/json");
        assertThat(api.adminRequest("POST", "/_admin/data-tables/guestbook/query", noToken, "{\"user\":\"u\"}")
                .status).isEqualTo(403);
        assertThat(events).isEmpty();
    }

    @Test
    void theSearchLagIsReadAndSetAtRunTime() throws Exception {
        assertThat(read(api.adminGet("/_admin/search-lag").body).path("ms").asLong()).isEqualTo(1000);

        RawHttp.Response set = post("/_admin/search-lag", "{\"ms\":0}");
        assertThat(set.status).isEqualTo(200);
        assertThat(read(set.body).path("ms").asLong()).isZero();
        assertThat(tablestore.searchLag()).isEqualTo(Duration.ZERO);
        assertThat(post("/_admin/search-lag", "{\"ms\":3600000}").status).isEqualTo(200);
        for (String bad : List.of("{\"ms\":-1}", "{\"ms\":3600001}", "{\"ms\":1.5}", "{\"ms\":\"10\"}", "{}")) {
            assertThat(post("/_admin/search-lag", bad).status).as(bad).isEqualTo(400);
        }
        assertThat(tablestore.searchLag()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aLegacyListIsEveryTablePrivateWithNothingDeclared() {
        DataTables legacy = DataTables.parse(" todo_list, notes ,");
        assertThat(legacy.source).isEqualTo("legacy");
        assertThat(legacy.names()).containsExactly("todo_list", "notes");
        assertThat(legacy.tables).allSatisfy(t -> {
            assertThat(t.mode).isEqualTo("private");
            assertThat(t.rules).isNull();
            assertThat(t.indexes.size()).isZero();
        });
        assertThat(DataTables.parse(null).names()).containsExactly("todo_list");
        DataTables broken = DataTables.parse("{\"a\":");
        assertThat(broken.source).isEqualTo("invalid");
        assertThat(broken.problem).isEqualTo("DATA_TABLES is not valid JSON");
        assertThat(broken.tables).isEmpty();
        assertThat(DataTables.parse(DECLARATION).names()).containsExactly("guestbook", "lists", "notices");
    }
}
