package com.fcminiapp.kit;

import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.config.ConfigException;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.kit.internal.RowService;
import com.fcminiapp.kit.testing.KitTestCloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The kit on declared tables: a shared table's rows in its one shared partition with server authority (whatever its
 * mode), created with {@code _owner} = the uid named; add, query, count and the wire's update object; a private
 * table's query confined to the uid named.
 */
class KitSharedRowsTest {

    static final String DECLARATION = "{\"notices\":{\"mode\":\"server-write\",\"indexes\":{\"_createdAt\":\"integer\","
            + "\"level\":\"integer\"}},\"secrets\":{\"mode\":\"server-only\"},"
            + "\"todo\":{\"indexes\":{\"done\":\"boolean\"}},\"unused\":{\"mode\":\"creator-write\"}}";
    static final KitTestCloud cloud = KitTestCloud.declared(DECLARATION, "notices", "secrets", "todo");
    static TestHandler handler;

    @BeforeAll
    static void start() {
        handler = TestHandler.of(cloud.env(), cloud.clock(), kit -> {
            Table notices = kit.table("notices");
            return (caller, input) -> notices.rowsOf(caller).add((ObjectNode) input);
        });
        cloud.initialize(handler);
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    private static Table table(String name) {
        return handler.kit().table(name);
    }

    private static ObjectNode json(String text) {
        return Json.parseObject(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCallersAddOnAServerWriteTableLandsInTheSharedPartitionOwnedByTheCaller() {
        String sid = cloud.login("poster");
        JsonNode answer = cloud.invoke(handler, cloud.event(sid, "{\"text\":\"hello\",\"level\":2}"));
        String id = answer.at("/data/id").asText();
        ObjectNode viaOther = table("notices").rowsOf(cloud.uid("reader")).get(id);
        assertThat(viaOther.get("_owner").asText()).isEqualTo(cloud.uid("poster"));
        assertThat(viaOther.get("text").asText()).isEqualTo("hello");
        assertThat(viaOther.get("_createdAt").asLong()).isEqualTo(cloud.clock().millis());
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria("notices", RowService.key("*", id));
        criteria.setMaxVersions(1);
        Row row = cloud.admin().getRow(new GetRowRequest(criteria)).getRow();
        assertThat(row.getLatestColumn("_owner").getValue().asString()).isEqualTo(cloud.uid("poster"));
        assertThat(table("notices").mode()).isEqualTo("server-write");
        assertThat(table("todo").mode()).isEqualTo("private");
    }

    @Test
    void serverAuthorityDoesEveryOpOnAServerOnlyTable() {
        Rows rows = table("secrets").rowsOf("2088000000000001");
        rows.put(json("{\"id\":\"k\",\"v\":1}"));
        ObjectNode updated = rows.update("k", json("{\"inc\":{\"v\":2},\"push\":{\"log\":[\"x\"]}}"));
        assertThat(updated.get("v").asLong()).isEqualTo(3);
        assertThat(updated.get("log").toString()).isEqualTo("[\"x\"]");
        assertThat(rows.increment("k", "v", 10)).isEqualTo(13);
        assertThat(rows.list(10, "k", false, null).items()).hasSize(1);
        assertThat(table("secrets").rowsOf("2088000000000002").get("k").get("_owner").asText())
                .isEqualTo("2088000000000001");
        rows.remove("k", null);
        assertThat(rows.get("k")).isNull();
        assertThat(table("secrets").scan(10, null).items()).isEmpty();
    }

    @Test
    void queryAndCountOnASharedTableSeeEveryRowInOrder() {
        Rows rows = table("notices").rowsOf("2088000000000003");
        List<String> ids = new ArrayList<>();
        for (int level = 0; level < 5; level++) {
            ids.add(rows.add(json("{\"level\":" + level + ",\"kind\":\"q\"}")).get("id").asText());
        }
        Page page = rows.query(json("{\"level\":{\"gte\":2}}"), Json.parseObject("{\"o\":[[\"level\",\"desc\"]]}"
                .getBytes(StandardCharsets.UTF_8)).get("o"), 2, null);
        assertThat(page.items()).extracting(i -> i.get("id").asText()).containsExactly(ids.get(4), ids.get(3));
        Page rest = rows.query(json("{\"level\":{\"gte\":2}}"), null, 2, page.next());
        assertThat(rest.items()).extracting(i -> i.get("id").asText()).containsExactly(ids.get(2));
        assertThat(rest.next()).isNull();
        assertThat(table("notices").rowsOf("2088000000000009").count(json("{\"level\":{\"lt\":2}}")))
                .isGreaterThanOrEqualTo(2);
        assertThatThrownBy(() -> rows.query(json("{\"kind\":\"q\"}"), null, 10, null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("kind");
                });
    }

    @Test
    void aPrivateTablesQueryThroughTheKitSeesOnlyTheUidNamed() {
        table("todo").rowsOf("2088000000000011").add(json("{\"done\":true}"));
        table("todo").rowsOf("2088000000000012").add(json("{\"done\":true}"));
        assertThat(table("todo").rowsOf("2088000000000011").count(json("{\"done\":true}"))).isEqualTo(1);
        assertThat(table("todo").rowsOf("2088000000000012").query(null, null, 10, null).items()).hasSize(1);
    }

    @Test
    void anAppTableTheDeclarationLacksStopsTheInitializer() {
        Map<String, String> env = cloud.env();
        env.put("APP_TABLES", "notices,missing");
        TestHandler refused = TestHandler.of(env, cloud.clock(), kit -> (caller, input) -> null);
        assertThatThrownBy(() -> refused.initialize(cloud.context())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("APP_TABLES names missing, which DATA_TABLES does not declare");
    }
}
