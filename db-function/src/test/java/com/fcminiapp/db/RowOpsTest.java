package com.fcminiapp.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.kit.internal.ItemCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static com.fcminiapp.db.DbFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

class RowOpsTest {

    @RegisterExtension
    static final DbFixture fx = new DbFixture();

    static String code(ObjectNode answer) {
        return answer.path("error").path("code").asText(null);
    }

    @Test
    void putCreatesVersionOneAndGetReturnsTheItemWithItsMetadata() {
        DbFixture.User u = fx.newUser("a");
        ObjectNode put = fx.invoke(u.event("put", "{\"obj\":{\"id\":\"t1\",\"title\":\"milk\",\"done\":false}}"));
        assertThat(put).isEqualTo(json("{\"data\":{\"id\":\"t1\",\"_version\":1}}"));
        ObjectNode got = fx.invoke(u.event("get", "{\"id\":\"t1\"}"));
        JsonNode item = got.get("data");
        assertThat(item.get("id").asText()).isEqualTo("t1");
        assertThat(item.get("title").asText()).isEqualTo("milk");
        assertThat(item.get("done").booleanValue()).isFalse();
        assertThat(item.get("_version").asLong()).isEqualTo(1);
        assertThat(item.get("_updatedAt").asLong()).isEqualTo(fx.clock.millis());
    }

    @Test
    void putReplacesTheWholeItemAndIncrementsTheVersion() {
        DbFixture.User u = fx.newUser("a");
        fx.invoke(u.event("put", "{\"obj\":{\"id\":\"t\",\"a\":1,\"b\":2}}"));
        ObjectNode second = fx.invoke(u.event("put", "{\"obj\":{\"id\":\"t\",\"a\":3}}"));
        assertThat(second.at("/data/_version").asLong()).isEqualTo(2);
        JsonNode item = fx.invoke(u.event("get", "{\"id\":\"t\"}")).get("data");
        assertThat(item.get("a").asLong()).isEqualTo(3);
        assertThat(item.has("b")).isFalse();
    }

    @Test
    void getOfAMissingItemIsNull() {
        DbFixture.User u = fx.newUser("a");
        ObjectNode answer = fx.invoke(u.event("get", "{\"id\":\"nothing\"}"));
        assertThat(answer).isEqualTo(json("{\"data\":null}"));
    }

    @Test
    void putExpectAbsentOnAnExistingItemIsConflict() {
        DbFixture.User u = fx.newUser("a");
        assertThat(fx.invoke(u.event("put", "{\"obj\":{\"id\":\"x\"},\"expect\":\"absent\"}")).at("/data/_version").asLong())
                .isEqualTo(1);
        assertThat(code(fx.invoke(u.event("put", "{\"obj\":{\"id\":\"x\"},\"expect\":\"absent\"}")))).isEqualTo("CONFLICT");
    }

    @Test
    void putExpectPresentOnAMissingItemIsNotFound() {
        DbFixture.User u = fx.newUser("a");
        assertThat(code(fx.invoke(u.event("put", "{\"obj\":{\"id\":\"x\"},\"expect\":\"present\"}")))).isEqualTo("NOT_FOUND");
        assertThat(fx.invoke(u.event("get", "{\"id\":\"x\"}")).get("data").isNull()).isTrue();
    }

    @Test
    void putWithAStaleVersionIsConflictAndWithTheCurrentOneSucceeds() {
        DbFixture.User u = fx.newUser("a");
        fx.invoke(u.event("put", "{\"obj\":{\"id\":\"x\",\"n\":1}}"));
        fx.invoke(u.event("put", "{\"obj\":{\"id\":\"x\",\"n\":2}}"));
        assertThat(code(fx.invoke(u.event("put", "{\"obj\":{\"id\":\"x\",\"n\":3},\"version\":1}")))).isEqualTo("CONFLICT");
        assertThat(fx.invoke(u.event("put", "{\"obj\":{\"id\":\"x\",\"n\":3},\"version\":2}")).at("/data/_version").asLong())
                .isEqualTo(3);
    }

    @Test
    void putWithAVersionOnAMissingItemIsNotFound() {
        DbFixture.User u = fx.newUser("a");
        assertThat(code(fx.invoke(u.event("put", "{\"obj\":{\"id\":\"x\"},\"version\":1}")))).isEqualTo("NOT_FOUND");
    }

    @Test
    void anItemReadWithGetCanBePutBackAndTheServerKeepsItsOwnVersion() {
        DbFixture.User u = fx.newUser("a");
        fx.invoke(u.event("put", "{\"obj\":{\"id\":\"r\",\"title\":\"one\"}}"));
        ObjectNode item = (ObjectNode) fx.invoke(u.event("get", "{\"id\":\"r\"}")).get("data");
        item.put("title", "two");
        item.put("_version", 99);
        item.put("_updatedAt", 1);

        ObjectNode put = fx.invoke(u.event("put", "{\"obj\":" + item + ",\"version\":1}"));

        assertThat(put.at("/data/_version").asLong()).as(put.toString()).isEqualTo(2);
        ObjectNode stored = (ObjectNode) fx.invoke(u.event("get", "{\"id\":\"r\"}")).get("data");
        assertThat(stored.get("title").asText()).isEqualTo("two");
        assertThat(stored.get("_version").asLong()).isEqualTo(2);
        assertThat(stored.get("_updatedAt").asLong()).isGreaterThan(1);
    }

    @Test
    void putRefusesReservedAndMalformedFields() {
        DbFixture.User u = fx.newUser("a");
        for (String obj : List.of("{\"id\":\"x\",\"uid\":\"someone\"}", "{\"id\":\"x\",\"_rev\":9}",
                "{\"id\":\"x\",\"_secret\":1}", "{\"id\":\"x\",\"1abc\":1}", "{\"id\":\"x\",\"a-b\":1}",
                "{\"id\":\"x\",\"" + "a".repeat(65) + "\":1}", "{\"id\":1}", "{\"title\":\"no id\"}",
                "{\"id\":\"\"}", "{\"id\":\"" + "i".repeat(257) + "\"}", "{\"id\":\"a\\u0000b\"}",
                "{\"id\":\"a\\nb\"}")) {
            ObjectNode answer = fx.invoke(u.event("put", "{\"obj\":" + obj + "}"));
            assertThat(code(answer)).as(obj).isEqualTo("INVALID_ARGUMENT");
        }
        assertThat(code(fx.invoke(u.event("put", "{\"obj\":[1]}")))).isEqualTo("INVALID_ARGUMENT");
        assertThat(code(fx.invoke(u.event("put", "{}")))).isEqualTo("INVALID_ARGUMENT");
        assertThat(code(fx.invoke(u.event("put", "{\"obj\":{\"id\":\"x\"},\"expect\":\"maybe\"}")))).isEqualTo("INVALID_ARGUMENT");
        assertThat(code(fx.invoke(u.event("put", "{\"obj\":{\"id\":\"x\"},\"version\":\"1\"}")))).isEqualTo("INVALID_ARGUMENT");
        assertThat(code(fx.invoke(u.event("put", "{\"obj\":{\"id\":\"x\"},\"version\":0}")))).isEqualTo("INVALID_ARGUMENT");
        assertThat(code(fx.invoke(u.event("put", "{\"obj\":{\"id\":\"x\"},\"expect\":\"absent\",\"version\":1}"))))
                .isEqualTo("INVALID_ARGUMENT");
        assertThat(fx.invoke(u.event("list", "{}")).get("data")).isEmpty();
    }

    @Test
    void anIdOf256CharactersIsAcceptedAndNullFieldsAreNotStored() {
        DbFixture.User u = fx.newUser("a");
        String id = "\uD83D\uDE00".repeat(256);
        fx.invoke(u.event("put", JsonNodeFactory.instance.objectNode().set("obj",
                JsonNodeFactory.instance.objectNode().put("id", id).putNull("gone"))));
        JsonNode item = fx.invoke(u.event("get", JsonNodeFactory.instance.objectNode().put("id", id))).get("data");
        assertThat(item.get("id").asText()).isEqualTo(id);
        assertThat(item.has("gone")).isFalse();
    }

    @Test
    void updateSetsAndUnsetsFieldsAndReturnsTheItemAfter() {
        DbFixture.User u = fx.newUser("a");
        fx.invoke(u.event("put", "{\"obj\":{\"id\":\"t\",\"a\":1,\"b\":\"x\",\"c\":true}}"));
        ObjectNode answer = fx.invoke(u.event("update",
                "{\"id\":\"t\",\"set\":{\"a\":2,\"d\":{\"k\":[1]},\"c\":null},\"unset\":[\"b\"]}"));
        JsonNode item = answer.get("data");
        assertThat(item.get("a").asLong()).isEqualTo(2);
        assertThat(item.get("d")).isEqualTo(json("{\"k\":[1]}"));
        assertThat(item.has("b")).isFalse();
        assertThat(item.has("c")).isFalse();
        assertThat(item.get("_version").asLong()).isEqualTo(2);
        assertThat(fx.invoke(u.event("get", "{\"id\":\"t\"}")).get("data")).isEqualTo(item);
    }

    @Test
    void updateOfAMissingItemIsNotFoundAndWithAStaleVersionConflict() {
        DbFixture.User u = fx.newUser("a");
        assertThat(code(fx.invoke(u.event("update", "{\"id\":\"none\",\"set\":{\"a\":1}}")))).isEqualTo("NOT_FOUND");
        fx.invoke(u.event("put", "{\"obj\":{\"id\":\"t\"}}"));
        assertThat(code(fx.invoke(u.event("update", "{\"id\":\"t\",\"set\":{\"a\":1},\"version\":7}")))).isEqualTo("CONFLICT");
        assertThat(fx.invoke(u.event("update", "{\"id\":\"t\",\"set\":{\"a\":1},\"version\":1}")).at("/data/_version").asLong())
                .isEqualTo(2);
    }

    @Test
    void updateRefusesTheKeyReservedNamesAndContradictions() {
        DbFixture.User u = fx.newUser("a");
        fx.invoke(u.event("put", "{\"obj\":{\"id\":\"t\"}}"));
        for (String fields : List.of("{\"id\":\"t\",\"set\":{\"id\":\"other\"}}", "{\"id\":\"t\",\"set\":{\"uid\":\"x\"}}",
                "{\"id\":\"t\",\"set\":{\"_version\":5}}", "{\"id\":\"t\",\"unset\":[\"_updatedAt\"]}",
                "{\"id\":\"t\",\"unset\":[\"id\"]}", "{\"id\":\"t\",\"unset\":\"a\"}", "{\"id\":\"t\",\"unset\":[1]}",
                "{\"id\":\"t\",\"set\":[1]}", "{\"id\":\"t\",\"set\":{\"a\":1},\"unset\":[\"a\"]}", "{\"set\":{\"a\":1}}")) {
            assertThat(code(fx.invoke(u.event("update", fields)))).as(fields).isEqualTo("INVALID_ARGUMENT");
        }
        assertThat(fx.invoke(u.event("get", "{\"id\":\"t\"}")).at("/data/_version").asLong()).isEqualTo(1);
    }

    @Test
    void removeDeletesAndAMissingItemIsFineWithoutAVersion() {
        DbFixture.User u = fx.newUser("a");
        fx.invoke(u.event("put", "{\"obj\":{\"id\":\"t\"}}"));
        assertThat(fx.invoke(u.event("remove", "{\"id\":\"t\"}"))).isEqualTo(json("{\"data\":null}"));
        assertThat(fx.invoke(u.event("get", "{\"id\":\"t\"}")).get("data").isNull()).isTrue();
        assertThat(fx.invoke(u.event("remove", "{\"id\":\"t\"}"))).isEqualTo(json("{\"data\":null}"));
    }

    @Test
    void removeWithAVersionIsNotFoundWhenMissingAndConflictWhenStale() {
        DbFixture.User u = fx.newUser("a");
        assertThat(code(fx.invoke(u.event("remove", "{\"id\":\"t\",\"version\":1}")))).isEqualTo("NOT_FOUND");
        fx.invoke(u.event("put", "{\"obj\":{\"id\":\"t\"}}"));
        fx.invoke(u.event("put", "{\"obj\":{\"id\":\"t\"}}"));
        assertThat(code(fx.invoke(u.event("remove", "{\"id\":\"t\",\"version\":1}")))).isEqualTo("CONFLICT");
        assertThat(fx.invoke(u.event("get", "{\"id\":\"t\"}")).get("data").isNull()).isFalse();
        assertThat(fx.invoke(u.event("remove", "{\"id\":\"t\",\"version\":2}"))).isEqualTo(json("{\"data\":null}"));
        assertThat(fx.invoke(u.event("get", "{\"id\":\"t\"}")).get("data").isNull()).isTrue();
    }

    @Test
    void listPagesInIdOrderWithTokensUntilNull() {
        DbFixture.User u = fx.newUser("a");
        for (int i = 0; i < 25; i++) {
            fx.invoke(u.event("put", "{\"obj\":{\"id\":\"k" + String.format("%02d", i) + "\",\"n\":" + i + "}}"));
        }
        List<String> ids = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            ObjectNode fields = json("{\"limit\":10}");
            if (next != null) {
                fields.put("next", next);
            }
            ObjectNode page = fx.invoke(u.event("list", fields));
            page.get("data").forEach(item -> ids.add(item.get("id").asText()));
            assertThat(page.has("next")).isTrue();
            next = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (next != null);
        assertThat(pages).isEqualTo(3);
        assertThat(ids).hasSize(25).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void listDefaultsToTenAndAnExactPageEndsWithNull() {
        DbFixture.User u = fx.newUser("a");
        for (int i = 0; i < 10; i++) {
            fx.invoke(u.event("put", "{\"obj\":{\"id\":\"k" + i + "\"}}"));
        }
        ObjectNode page = fx.invoke(u.event("list", "{}"));
        assertThat(page.get("data")).hasSize(10);
        assertThat(page.get("next").isNull()).isTrue();
    }

    @Test
    void listFiltersByPrefixAndReverses() {
        DbFixture.User u = fx.newUser("a");
        for (String id : List.of("a1", "b1", "b2", "b3", "c1", "b", "ba")) {
            fx.invoke(u.event("put", "{\"obj\":{\"id\":\"" + id + "\"}}"));
        }
        assertThat(ids(fx.invoke(u.event("list", "{\"prefix\":\"b\"}")))).containsExactly("b", "b1", "b2", "b3", "ba");
        assertThat(ids(fx.invoke(u.event("list", "{\"prefix\":\"b\",\"reverse\":true}"))))
                .containsExactly("ba", "b3", "b2", "b1", "b");
        ObjectNode first = fx.invoke(u.event("list", "{\"prefix\":\"b\",\"reverse\":true,\"limit\":2}"));
        assertThat(ids(first)).containsExactly("ba", "b3");
        ObjectNode second = fx.invoke(u.event("list", json("{\"prefix\":\"b\",\"reverse\":true,\"limit\":2}")
                .put("next", first.get("next").asText())));
        assertThat(ids(second)).containsExactly("b2", "b1");
        ObjectNode third = fx.invoke(u.event("list", json("{\"prefix\":\"b\",\"reverse\":true,\"limit\":2}")
                .put("next", second.get("next").asText())));
        assertThat(ids(third)).containsExactly("b");
        assertThat(third.get("next").isNull()).isTrue();
        assertThat(ids(fx.invoke(u.event("list", "{\"reverse\":true,\"limit\":3}")))).containsExactly("c1", "ba", "b3");
    }

    @Test
    void listReturnsAHundredItemsAPageAndRefusesMore() {
        DbFixture.User u = fx.newUser("a");
        for (int i = 0; i < 101; i++) {
            fx.invoke(u.event("put", "{\"obj\":{\"id\":\"i" + String.format("%03d", i) + "\"}}"));
        }
        ObjectNode page = fx.invoke(u.event("list", "{\"limit\":100}"));
        assertThat(page.get("data")).hasSize(100);
        assertThat(page.get("next").isTextual()).isTrue();
        ObjectNode last = fx.invoke(u.event("list", json("{\"limit\":100}").put("next", page.get("next").asText())));
        assertThat(ids(last)).containsExactly("i100");
        for (String bad : List.of("{\"limit\":101}", "{\"limit\":0}", "{\"limit\":\"5\"}", "{\"limit\":1.5}",
                "{\"reverse\":\"yes\"}", "{\"prefix\":5}", "{\"next\":\"not-a-token\"}", "{\"next\":12}")) {
            assertThat(code(fx.invoke(u.event("list", bad)))).as(bad).isEqualTo("INVALID_ARGUMENT");
        }
    }

    @Test
    void aTokenOfOneListingIsRefusedByAnother() {
        DbFixture.User u = fx.newUser("a");
        for (int i = 0; i < 3; i++) {
            fx.invoke(u.event("put", "{\"obj\":{\"id\":\"p" + i + "\"}}"));
        }
        String next = fx.invoke(u.event("list", "{\"limit\":1}")).get("next").asText();
        for (String other : List.of("{\"limit\":1,\"reverse\":true}", "{\"limit\":1,\"prefix\":\"q\"}",
                "{\"limit\":1,\"table\":\"notes\"}")) {
            assertThat(code(fx.invoke(u.event("list", json(other).put("next", next))))).as(other)
                    .isEqualTo("INVALID_ARGUMENT");
        }
    }

    @Test
    void tablesAreSeparateAndAnUnknownTableIsRefused() {
        DbFixture.User u = fx.newUser("a");
        fx.invoke(u.event("put", "{\"obj\":{\"id\":\"n1\"},\"table\":\"notes\"}"));
        assertThat(fx.invoke(u.event("get", "{\"id\":\"n1\"}")).get("data").isNull()).isTrue();
        assertThat(fx.invoke(u.event("get", "{\"id\":\"n1\",\"table\":\"notes\"}")).get("data").isNull()).isFalse();
        for (String table : List.of("session", "other", "todo_list;x", "")) {
            assertThat(code(fx.invoke(u.event("get", json("{\"id\":\"n1\"}").put("table", table))))).as(table)
                    .isEqualTo("INVALID_ARGUMENT");
        }
        assertThat(code(fx.invoke(u.event("get", "{\"id\":\"n1\",\"table\":1}")))).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void unknownOrMissingOpAndMalformedJsonAreInvalidArgument() {
        DbFixture.User u = fx.newUser("a");
        assertThat(code(fx.invoke(u.event("drop", "{}")))).isEqualTo("INVALID_ARGUMENT");
        ObjectNode noOp = json("{}").put("sid", u.sid);
        assertThat(code(fx.invoke(noOp))).isEqualTo("INVALID_ARGUMENT");
        assertThat(code(fx.invoke("{\"sid\":".getBytes(StandardCharsets.UTF_8), fx.context()))).isEqualTo("INVALID_ARGUMENT");
        assertThat(code(fx.invoke("[]".getBytes(StandardCharsets.UTF_8), fx.context()))).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void anItemOfExactlyOneMebibytePassesAndOneByteMoreIsTooLarge() {
        DbFixture.User u = fx.newUser("a");
        ObjectNode obj = JsonNodeFactory.instance.objectNode().put("id", "big").put("s", "");
        int overhead = Json.write(obj).length;
        obj.put("s", "x".repeat(ItemCodec.MAX_ITEM_BYTES - overhead));
        assertThat(Json.write(obj).length).isEqualTo(1024 * 1024);
        ObjectNode ok = fx.invoke(u.event("put", JsonNodeFactory.instance.objectNode().set("obj", obj)));
        assertThat(ok.at("/data/_version").asLong()).isEqualTo(1);
        assertThat(fx.invoke(u.event("get", "{\"id\":\"big\"}")).at("/data/s").asText()).hasSize(ItemCodec.MAX_ITEM_BYTES - overhead);

        ObjectNode tooBig = obj.deepCopy().put("id", "bi2").put("s", "x".repeat(ItemCodec.MAX_ITEM_BYTES - overhead + 1));
        assertThat(Json.write(tooBig).length).isEqualTo(1024 * 1024 + 1);
        assertThat(code(fx.invoke(u.event("put", JsonNodeFactory.instance.objectNode().set("obj", tooBig)))))
                .isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(fx.invoke(u.event("get", "{\"id\":\"bi2\"}")).get("data").isNull()).isTrue();
        // an update that would take the item one byte over is refused and changes nothing
        assertThat(code(fx.invoke(u.event("update", "{\"id\":\"big\",\"set\":{\"t\":1}}")))).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(fx.invoke(u.event("get", "{\"id\":\"big\"}")).at("/data/_version").asLong()).isEqualTo(1);
    }

    @Test
    void anEventOverSixMebibytesIsTooLarge() {
        byte[] event = ("{\"sid\":\"x\",\"op\":\"get\",\"pad\":\"" + "p".repeat(DbActions.MAX_EVENT_BYTES) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(code(fx.invoke(event, fx.context()))).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void aTablestoreOutageIsUpstreamUnavailable() {
        DbFixture.User u = fx.newUser("a");
        ObjectNode put = u.event("put", "{\"obj\":{\"id\":\"t\"}}");
        fx.tablestore.faults().fail();
        try {
            ObjectNode answer = fx.invoke(put);
            assertThat(code(answer)).isEqualTo("UPSTREAM_UNAVAILABLE");
            assertThat(answer.at("/error/message").asText()).doesNotContain("Exception");
        } finally {
            fx.tablestore.faults().clear();
        }
    }

    static List<String> ids(ObjectNode page) {
        List<String> ids = new ArrayList<>();
        page.get("data").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }
}
