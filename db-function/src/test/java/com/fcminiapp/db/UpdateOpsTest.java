package com.fcminiapp.db;

import com.alicloud.openservices.tablestore.model.ColumnType;
import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.config.ConfigException;
import com.fcminiapp.kit.internal.RowService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.fcminiapp.db.DbFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * update's inc, push and pull through the db function, the server-managed _owner and _createdAt, and indexed fields
 * keeping their declared type through every op; a bad declaration or an index older than it stops the initializer.
 */
class UpdateOpsTest {

    static final String DECLARATION = "{"
            + "\"posts\":{\"mode\":\"creator-write\",\"indexes\":{\"_owner\":\"string\",\"_createdAt\":\"integer\","
            + "\"likes\":\"integer\",\"tags\":\"string[]\",\"score\":\"number\",\"title\":\"string\",\"open\":\"boolean\"}},"
            + "\"notes\":{}}";

    @RegisterExtension
    static final DbFixture fx = new DbFixture(DECLARATION);

    static String code(ObjectNode answer) {
        return answer.path("error").path("code").asText(null);
    }

    static String add(DbFixture.User u, String obj) {
        ObjectNode answer = fx.invoke(u.event("add", "{\"table\":\"posts\",\"obj\":" + obj + "}"));
        assertThat(code(answer)).as(answer.toString()).isNull();
        return answer.at("/data/id").asText();
    }

    static ObjectNode update(DbFixture.User u, String id, String ops) {
        return fx.invoke(u.event("update", json("{\"table\":\"posts\",\"id\":\"" + id + "\"," + ops.substring(1))));
    }

    static JsonNode get(DbFixture.User u, String id) {
        return fx.invoke(u.event("get", "{\"table\":\"posts\",\"id\":\"" + id + "\"}")).get("data");
    }

    @Test
    void twentyConcurrentIncrementsOfOneAddTwentyAndEachBumpsTheVersion() throws Exception {
        DbFixture.User u = fx.newUser("inc");
        String id = add(u, "{\"likes\":3}");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ObjectNode>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return update(u, id, "{\"inc\":{\"likes\":1}}");
                }));
            }
            start.countDown();
            List<Long> values = new ArrayList<>();
            for (Future<ObjectNode> answer : answers) {
                ObjectNode a = answer.get(60, TimeUnit.SECONDS);
                assertThat(code(a)).as(a.toString()).isNull();
                values.add(a.at("/data/likes").asLong());
            }
            assertThat(values).containsExactlyInAnyOrderElementsOf(rangeClosed(4, 23));
        } finally {
            pool.shutdownNow();
        }
        JsonNode after = get(u, id);
        assertThat(after.get("likes").asLong()).isEqualTo(23);
        assertThat(after.get("_version").asLong()).isEqualTo(21);
    }

    private static List<Long> rangeClosed(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void incCountsAMissingFieldAsZeroAndTheAnswerIsTheRowAfterTheUpdate() {
        DbFixture.User u = fx.newUser("inc2");
        String id = add(u, "{\"title\":\"hi\",\"tags\":[\"a\"]}");
        ObjectNode answer = update(u, id, "{\"inc\":{\"likes\":-2,\"views\":5},\"set\":{\"title\":\"yo\"},"
                + "\"push\":{\"tags\":[\"b\",\"c\"]}}");
        assertThat(code(answer)).as(answer.toString()).isNull();
        JsonNode row = answer.get("data");
        assertThat(row.get("likes").asLong()).isEqualTo(-2);
        assertThat(row.get("views").asLong()).isEqualTo(5);
        assertThat(row.get("title").asText()).isEqualTo("yo");
        assertThat(row.get("tags").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
        assertThat(row.get("_version").asLong()).isEqualTo(2);
        assertThat(get(u, id)).isEqualTo(row);
    }

    @Test
    void pushAppendsAndPullRemovesEveryEqualValueUnderTheVersionCheck() {
        DbFixture.User u = fx.newUser("pp");
        String id = add(u, "{\"tags\":[\"a\",\"b\",\"a\"],\"items\":[1,{\"k\":2},3]}");
        ObjectNode pulled = update(u, id, "{\"pull\":{\"tags\":[\"a\"],\"items\":[{\"k\":2},3.0]},\"version\":1}");
        assertThat(pulled.at("/data/tags").toString()).isEqualTo("[\"b\"]");
        assertThat(pulled.at("/data/items").toString()).isEqualTo("[1]");
        ObjectNode pushed = update(u, id, "{\"push\":{\"fresh\":[true],\"tags\":[\"z\"]}}");
        assertThat(pushed.at("/data/fresh").toString()).isEqualTo("[true]");
        assertThat(pushed.at("/data/tags").toString()).isEqualTo("[\"b\",\"z\"]");
        assertThat(pushed.at("/data/_version").asLong()).isEqualTo(3);
        assertThat(code(update(u, id, "{\"push\":{\"tags\":[\"y\"]},\"version\":1}"))).isEqualTo("CONFLICT");
        assertThat(get(u, id).get("tags").toString()).isEqualTo("[\"b\",\"z\"]");
    }

    @Test
    void aFieldNamedTwiceAnIncOfANonIntegerAndAPushOnANonArrayAreInvalidAndChangeNothing() {
        DbFixture.User u = fx.newUser("bad");
        String id = add(u, "{\"name\":\"x\",\"ratio\":1.5,\"likes\":1}");
        for (String ops : List.of("{\"set\":{\"likes\":2},\"inc\":{\"likes\":1}}", "{\"inc\":{\"a\":1},\"push\":{\"a\":[1]}}",
                "{\"unset\":[\"a\"],\"pull\":{\"a\":[1]}}", "{\"inc\":{\"name\":1}}", "{\"inc\":{\"ratio\":1}}",
                "{\"inc\":{\"likes\":1.5}}", "{\"push\":{\"name\":[1]}}", "{\"push\":{\"likes\":[1]}}",
                "{\"inc\":{\"score\":1}}", "{\"push\":{\"tags\":[1]}}", "{\"inc\":{\"_version\":1}}",
                "{\"pull\":{\"a\":1}}", "{\"inc\":[1]}")) {
            ObjectNode answer = update(u, id, ops);
            assertThat(code(answer)).as(ops).isEqualTo("INVALID_ARGUMENT");
        }
        assertThat(update(u, id, "{\"inc\":{\"name\":1}}").at("/error/message").asText()).contains("name");
        assertThat(get(u, id).get("_version").asLong()).isEqualTo(1);
    }

    @Test
    void ownerAndCreatedAtAreTheServersAndAReplacingPutKeepsThem() {
        DbFixture.User u = fx.newUser("own");
        DbFixture.User other = fx.newUser("forger");
        long created = fx.clock.millis();
        ObjectNode put = fx.invoke(u.event("put", "{\"table\":\"posts\",\"obj\":{\"id\":\"p1\",\"_owner\":\""
                + other.uid + "\",\"_createdAt\":5,\"title\":\"t\"}}"));
        assertThat(code(put)).as(put.toString()).isNull();
        fx.clock.advance(java.time.Duration.ofSeconds(3));
        JsonNode row = get(u, "p1");
        assertThat(row.get("_owner").asText()).isEqualTo(u.uid);
        assertThat(row.get("_createdAt").asLong()).isEqualTo(created);
        assertThat(code(fx.invoke(u.event("put", json("{\"table\":\"posts\",\"obj\":" + row.toString() + "}")))))
                .isNull();
        JsonNode replaced = get(u, "p1");
        assertThat(replaced.get("_owner").asText()).isEqualTo(u.uid);
        assertThat(replaced.get("_createdAt").asLong()).isEqualTo(created);
        assertThat(replaced.get("_updatedAt").asLong()).isEqualTo(created + 3000);
        assertThat(code(update(u, "p1", "{\"set\":{\"_owner\":\"" + other.uid + "\"}}"))).isEqualTo("INVALID_ARGUMENT");
        assertThat(code(update(other, "p1", "{\"set\":{\"title\":\"mine\"}}"))).isEqualTo("PERMISSION_DENIED");
        assertThat(get(u, "p1").get("title").asText()).isEqualTo("t");
    }

    @Test
    void indexedFieldsAreStoredAsTheirDeclaredTypeAndRefuseValuesOfAnother() {
        DbFixture.User u = fx.newUser("types");
        String id = add(u, "{\"likes\":2,\"score\":3,\"tags\":[\"x\"],\"title\":\"t\",\"open\":true}");
        Row row = stored("posts", id);
        assertThat(row.getLatestColumn("likes").getValue().getType()).isEqualTo(ColumnType.INTEGER);
        assertThat(row.getLatestColumn("score").getValue().getType()).isEqualTo(ColumnType.DOUBLE);
        assertThat(row.getLatestColumn("tags").getValue().asString()).isEqualTo("[\"x\"]");
        assertThat(row.getLatestColumn("_owner").getValue().asString()).isEqualTo(u.uid);
        assertThat(get(u, id).get("score").toString()).isEqualTo("3");
        for (String obj : List.of("{\"likes\":\"2\"}", "{\"likes\":2.5}", "{\"score\":\"1\"}", "{\"tags\":\"x\"}",
                "{\"tags\":[1]}", "{\"title\":3}", "{\"open\":\"yes\"}", "{\"score\":9007199254740993}")) {
            ObjectNode refused = fx.invoke(u.event("add", "{\"table\":\"posts\",\"obj\":" + obj + "}"));
            assertThat(code(refused)).as(obj).isEqualTo("INVALID_ARGUMENT");
            String field = obj.substring(2, obj.indexOf('"', 2));
            assertThat(refused.at("/error/message").asText()).as(obj).contains(field);
            assertThat(code(update(u, id, "{\"set\":" + obj + "}"))).as(obj).isEqualTo("INVALID_ARGUMENT");
        }
        assertThat(get(u, id).get("_version").asLong()).isEqualTo(1);
        ObjectNode set = update(u, id, "{\"set\":{\"score\":4.25,\"likes\":7.0}}");
        assertThat(set.at("/data/score").asDouble()).isEqualTo(4.25);
        assertThat(stored("posts", id).getLatestColumn("likes").getValue().getType()).isEqualTo(ColumnType.INTEGER);
    }

    private static Row stored(String table, String id) {
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(table, RowService.key("*", id));
        criteria.setMaxVersions(1);
        return fx.admin.getRow(new GetRowRequest(criteria)).getRow();
    }

    @Test
    void aBadDeclarationStopsTheInitializerNamingDataTablesAndTheTable() {
        Map<String, String> env = new HashMap<>(fx.env);
        env.put("DATA_TABLES", "{\"posts\":{\"mode\":\"rules\",\"rules\":{\"read\":\"doc.x ==\"}}}");
        DbHandler handler = new DbHandler(env, fx.clock);
        assertThatThrownBy(() -> handler.initialize(fx.context())).isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("DATA_TABLES", "table \"posts\"", "read rule", "position");
    }

    @Test
    void anExistingIndexWithoutADeclaredFieldStopsTheInitializerSayingHowToFix() {
        Map<String, String> env = new HashMap<>(fx.env);
        env.put("DATA_TABLES", DECLARATION.replace("\"open\":\"boolean\"", "\"open\":\"boolean\",\"rank\":\"integer\""));
        DbHandler handler = new DbHandler(env, fx.clock);
        assertThatThrownBy(() -> handler.initialize(fx.context())).hasMessageContainingAll("posts", "posts_index",
                "rank", "delete the index");
        env.put("SEARCH_INDEX_AUTO_CREATE", "false");
        DbHandler unchecked = new DbHandler(env, fx.clock);
        unchecked.initialize(fx.context());
        DbFixture.User u = fx.newUser("idx");
        assertThat(code(DbFixture.invoke(unchecked, com.fcminiapp.common.json.Json.write(u.event("count",
                "{\"table\":\"notes\"}")), fx.context()))).isNull();
    }
}
