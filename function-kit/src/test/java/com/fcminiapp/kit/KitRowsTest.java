package com.fcminiapp.kit;

import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tables through the kit: the caller's partition, another user's on purpose, a scan of all, atomic increments. */
class KitRowsTest {

    static final KitTestCloud cloud = KitTestCloud.start("scores", "scanned");
    static TestHandler handler;

    /** The caller's rows of "scores": input {"op": "put"|"get"|"list"|"inc", ...}. */
    static AppFunction scores(Kit kit) {
        Table scores = kit.table("scores");
        return (caller, input) -> {
            Rows rows = scores.rowsOf(caller);
            switch (input.get("op").asText()) {
                case "put":
                    return rows.put((ObjectNode) input.get("obj"));
                case "get":
                    return rows.get(input.get("id").asText());
                case "list":
                    return rows.list(100, null, false, null).items();
                case "inc":
                    return rows.increment(input.get("id").asText(), "points", 1);
                default:
                    throw AppErrors.invalid("unknown op");
            }
        };
    }

    @BeforeAll
    static void start() {
        handler = TestHandler.of(cloud.env(), cloud.clock(), KitRowsTest::scores);
        cloud.initialize(handler);
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    private static JsonNode call(String user, String input) {
        return cloud.invoke(handler, cloud.event(cloud.login(user), input));
    }

    private static Rows rowsOf(String user) {
        return handler.kit().table("scores").rowsOf(cloud.uid(user));
    }

    private static ObjectNode json(String text) {
        return Json.parseObject(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Row stored(String table, String uid, String id) {
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(table, RowService.key(uid, id));
        criteria.setMaxVersions(1);
        Row row = cloud.admin().getRow(new GetRowRequest(criteria)).getRow();
        return row == null || row.isEmpty() ? null : row;
    }

    @Test
    void aCallersRowsLiveInTheSessionUsersPartitionOnly() {
        JsonNode put = call("alice", "{\"op\":\"put\",\"obj\":{\"id\":\"a\",\"uid\":\"x\"}}");
        JsonNode putOk = call("alice", "{\"op\":\"put\",\"obj\":{\"id\":\"a\",\"n\":1}}");

        assertThat(put.at("/error/code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(putOk.get("data").toString()).isEqualTo("{\"id\":\"a\",\"_version\":1}");
        assertThat(stored("scores", cloud.uid("alice"), "a")).isNotNull();
        assertThat(stored("scores", cloud.uid("bob"), "a")).isNull();
        assertThat(call("bob", "{\"op\":\"get\",\"id\":\"a\"}").get("data").isNull()).isTrue();
    }

    @Test
    void rowsOfAnotherUidReachThatUsersPartitionAndNoOther() {
        rowsOf("carol").put(json("{\"id\":\"gift\",\"points\":5}"));

        JsonNode carols = call("carol", "{\"op\":\"list\"}");
        JsonNode daves = call("dave", "{\"op\":\"list\"}");

        assertThat(carols.get("data")).hasSize(1);
        assertThat(carols.at("/data/0/id").asText()).isEqualTo("gift");
        assertThat(carols.at("/data/0/points").asLong()).isEqualTo(5);
        assertThat(daves.get("data")).isEmpty();
        assertThat(stored("scores", cloud.uid("carol"), "gift")).isNotNull();
        assertThat(stored("scores", cloud.uid("dave"), "gift")).isNull();
    }

    @Test
    void aScanPagesEveryUsersRowsInKeyOrderEachWithItsOwnerNeverStored() {
        Table scanned = handler.kit().table("scanned");
        List<String> expected = new ArrayList<>();
        for (String user : List.of("u1", "u2", "u3")) {
            for (String id : List.of("b", "a", "c\u00e9")) {
                scanned.rowsOf(cloud.uid(user)).put(json("{\"id\":\"" + id + "\",\"by\":\"" + user + "\"}"));
                expected.add(cloud.uid(user) + "/" + id);
            }
        }
        expected.sort(null);

        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String next = null;
        do {
            Page page = scanned.scan(2, next);
            sizes.add(page.items().size());
            for (ObjectNode item : page.items()) {
                seen.add(item.get("_owner").asText() + "/" + item.get("id").asText());
                assertThat(cloud.uid(item.get("by").asText())).isEqualTo(item.get("_owner").asText());
            }
            next = page.next();
        } while (next != null);

        assertThat(seen).isEqualTo(expected);
        assertThat(sizes).containsExactly(2, 2, 2, 2, 1);
        Row row = stored("scanned", cloud.uid("u1"), "a");
        assertThat(row.getColumns()).extracting(c -> c.getName()).doesNotContain("_owner");
    }

    @Test
    void aScanRefusesALimitOutOfRangeAndATokenOfAnotherListing() {
        Table scanned = handler.kit().table("scanned");
        String listToken = new com.fcminiapp.kit.internal.PageToken("rows:scanned", "", false, "a").encode();

        for (int limit : new int[] {0, 101}) {
            assertThatThrownBy(() -> scanned.scan(limit, null)).isInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
        assertThatThrownBy(() -> scanned.scan(10, listToken)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> scanned.scan(10, "!!")).isInstanceOf(ApiException.class);
        assertThat(scanned.scan(100, null).items()).allSatisfy(i -> assertThat(i.has("_owner")).isTrue());
    }

    @Test
    void twentyConcurrentIncrementsAllCountAndBumpTheVersionEachTime() throws Exception {
        String sid = cloud.login("racer");
        int n = 20;
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                answers.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return cloud.invoke(handler, cloud.event(sid, "{\"op\":\"inc\",\"id\":\"daily\"}"));
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<Long> values = new ArrayList<>();
            for (Future<JsonNode> answer : answers) {
                JsonNode got = answer.get(60, TimeUnit.SECONDS);
                assertThat(got.has("data")).as(got.toString()).isTrue();
                values.add(got.get("data").asLong());
            }
            assertThat(values.stream().sorted().collect(Collectors.toList()))
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, n).boxed().collect(Collectors.toList()));
        } finally {
            pool.shutdownNow();
        }
        ObjectNode item = rowsOf("racer").get("daily");
        assertThat(item.get("points").asLong()).isEqualTo(20);
        assertThat(item.get("_version").asLong()).isEqualTo(20);
    }

    @Test
    void anIncrementCountsAMissingRowOrFieldAsZeroAndKeepsTheOtherFields() {
        Rows rows = rowsOf("counter");
        rows.put(json("{\"id\":\"titled\",\"title\":\"x\"}"));
        rows.put(json("{\"id\":\"ten\",\"points\":10}"));
        cloud.clock().advance(java.time.Duration.ofSeconds(5));

        long created = rows.increment("new", "points", 5);
        long fromMissingField = rows.increment("titled", "points", -2);
        long fromTen = rows.increment("ten", "points", 3);

        assertThat(created).isEqualTo(5);
        assertThat(fromMissingField).isEqualTo(-2);
        assertThat(fromTen).isEqualTo(13);
        assertThat(rows.get("new").toString()).isEqualTo("{\"id\":\"new\",\"_createdAt\":" + cloud.clock().millis()
                + ",\"points\":5,\"_version\":1,\"_updatedAt\":" + cloud.clock().millis() + "}");
        assertThat(rows.get("titled").get("title").asText()).isEqualTo("x");
        assertThat(rows.get("titled").get("_version").asLong()).isEqualTo(2);
        assertThat(rows.get("ten").get("_version").asLong()).isEqualTo(2);
    }

    @Test
    void anIncrementOfATextFieldOrAReservedNameIsInvalid() {
        Rows rows = rowsOf("badinc");
        rows.put(json("{\"id\":\"t\",\"points\":\"many\",\"ratio\":0.5}"));

        for (String field : List.of("points", "ratio", "_version", "uid", "1x")) {
            assertThatThrownBy(() -> rows.increment("t", field, 1)).as(field).isInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
        assertThat(rows.get("t").get("_version").asLong()).isEqualTo(1);
        assertThat(rows.get("t").get("points").asText()).isEqualTo("many");
    }

    @Test
    void putUpdateRemoveAndListFollowTheDbFunctionsRules() {
        Rows rows = rowsOf("rules");
        rows.put(json("{\"id\":\"k1\",\"a\":1}"), Expect.ABSENT, null);

        assertThatThrownBy(() -> rows.put(json("{\"id\":\"k1\"}"), Expect.ABSENT, null))
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(ErrorCode.CONFLICT));
        assertThatThrownBy(() -> rows.put(json("{\"id\":\"none\"}"), Expect.PRESENT, null))
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> rows.update("k1", json("{\"a\":2}"), null, 5L))
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(ErrorCode.CONFLICT));
        ObjectNode after = rows.update("k1", json("{\"b\":true}"), List.of("a"), 1L);
        assertThat(after.get("b").asBoolean()).isTrue();
        assertThat(after.has("a")).isFalse();
        assertThat(after.get("_version").asLong()).isEqualTo(2);
        rows.put(json("{\"id\":\"k2\"}"));
        rows.put(json("{\"id\":\"j1\"}"));
        Page first = rows.list(1, "k", true, null);
        Page second = rows.list(1, "k", true, first.next());
        assertThat(first.items()).extracting(i -> i.get("id").asText()).containsExactly("k2");
        assertThat(second.items()).extracting(i -> i.get("id").asText()).containsExactly("k1");
        assertThat(second.next()).isNull();
        assertThatThrownBy(() -> rows.remove("k1", 1L))
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(ErrorCode.CONFLICT));
        rows.remove("k1", 2L);
        rows.remove("gone", null);
        assertThat(rows.get("k1")).isNull();
        assertThat(JsonNodeFactory.instance.arrayNode().addAll(rows.list(10, "", false, null).items()).size())
                .isEqualTo(2);
    }
}
