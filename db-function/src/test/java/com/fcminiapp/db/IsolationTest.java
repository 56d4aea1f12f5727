package com.fcminiapp.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.kit.internal.PageToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static com.fcminiapp.db.DbFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * User A names user B's ids, paths, tables, uid and tokens in every field of every op: A only ever sees and changes
 * A's own rows and files, and B's are exactly as before.
 */
class IsolationTest {

    static DbFixture fx;
    static DbFixture.User a;
    static DbFixture.User b;
    static String bRowsToken;
    static String bFilesToken;
    static List<JsonNode> bRowsBefore;
    static byte[] bSecret = "B's secret".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void start() throws Exception {
        fx = new DbFixture();
        a = fx.newUser("alice");
        b = fx.newUser("bob");
        for (String table : List.of("todo_list", "notes")) {
            for (String id : List.of("b1", "b2", "b3", "shared")) {
                fx.invoke(b.event("put", json("{\"obj\":{\"owner\":\"B\"}}").put("table", table)
                        .set("obj", json("{\"owner\":\"B\"}").put("id", id))));
            }
        }
        fx.invoke(a.event("put", "{\"obj\":{\"id\":\"shared\",\"owner\":\"A\"}}"));
        fx.invoke(a.event("put", "{\"obj\":{\"id\":\"zz\",\"owner\":\"A\"}}"));
        bRowsToken = fx.invoke(b.event("list", "{\"limit\":1}")).get("next").asText();
        for (String path : List.of("secret.txt", "docs/x.txt", "docs/y.txt")) {
            JsonNode form = fx.invoke(b.event("uploadPolicy", json("{}").put("path", path))).get("data");
            assertThat(FileOpsTest.upload(form, bSecret).statusCode()).isEqualTo(200);
        }
        JsonNode form = fx.invoke(a.event("uploadPolicy", "{\"path\":\"mine.txt\"}")).get("data");
        assertThat(FileOpsTest.upload(form, "A".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        bFilesToken = fx.invoke(b.event("listFiles", "{\"limit\":1}")).get("next").asText();
        bRowsBefore = snapshotOfB();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    static List<JsonNode> snapshotOfB() {
        List<JsonNode> out = new ArrayList<>();
        for (String table : List.of("todo_list", "notes")) {
            out.add(fx.invoke(b.event("list", json("{\"limit\":100}").put("table", table))).get("data"));
        }
        out.add(fx.invoke(b.event("listFiles", "{\"limit\":100}")).get("data"));
        return out;
    }

    /** A's answer: either refused as a bad argument, or holding nothing of B's. */
    static void assertConfined(ObjectNode answer, String what) {
        assertConfined(answer, what, null);
    }

    /** As above; {@code echoed} (what A sent, which the answer may repeat) is not held against it. */
    static void assertConfined(ObjectNode answer, String what, String echoed) {
        String text = echoed == null ? answer.toString() : answer.toString().replace("\"path\":\"" + echoed + "\"", "");
        // B's uid may appear only as A's own words echoed inside A's folder (users/<A>/users/<B>/…)
        String withoutAsFolder = text.replace("users/" + a.uid + "/users/" + b.uid, "")
                .replace("users%2F" + a.uid + "%2Fusers%2F" + b.uid, "");
        assertThat(withoutAsFolder).as(what).doesNotContain("\"owner\":\"B\"").doesNotContain(b.uid);
        if (answer.has("error")) {
            assertThat(answer.at("/error/code").asText()).as(what)
                    .isIn("INVALID_ARGUMENT", "NOT_FOUND", "CONFLICT");
        }
    }

    @Test
    void aCannotReadBsRowsByIdTableUidOrToken() {
        List<String> hostileIds = List.of("b1", "../b1", b.uid + "/b1", b.uid, "b1\u0000", "*", "b%31");
        for (String id : hostileIds) {
            for (String table : List.of("todo_list", "notes")) {
                ObjectNode event = a.event("get", json("{}").put("id", id).put("table", table).put("uid", b.uid)
                        .put("userId", b.uid));
                ObjectNode answer = fx.invoke(event);
                assertConfined(answer, "get " + id);
                if (answer.has("data")) {
                    assertThat(answer.get("data").isNull()).as(id).isTrue();
                }
            }
        }
        JsonNode shared = fx.invoke(a.event("get", json("{\"id\":\"shared\"}").put("uid", b.uid))).get("data");
        assertThat(shared.get("owner").asText()).isEqualTo("A");
        for (String table : List.of("session", "todo_list," + "notes", b.uid, "../todo_list")) {
            assertConfined(fx.invoke(a.event("get", json("{\"id\":\"b1\"}").put("table", table))), "table " + table);
        }
    }

    @Test
    void aListingShowsOnlyAsRowsWhateverTheTokenPrefixOrUid() {
        ObjectNode all = fx.invoke(a.event("list", json("{\"limit\":100}").put("uid", b.uid)));
        assertThat(RowOpsTest.ids(all)).containsExactly("shared", "zz");
        ObjectNode withBsToken = fx.invoke(a.event("list", json("{\"limit\":1}").put("next", bRowsToken)));
        assertConfined(withBsToken, "list with B's token");
        withBsToken.path("data").forEach(item -> assertThat(item.get("owner").asText()).isEqualTo("A"));
        for (String prefix : List.of("b", b.uid, "", "\uDBFF\uDFFF")) {
            for (boolean reverse : new boolean[] {false, true}) {
                ObjectNode answer = fx.invoke(a.event("list", json("{}").put("prefix", prefix).put("reverse", reverse)));
                assertConfined(answer, "list prefix " + prefix);
            }
        }
        // a forged token naming B's uid in every field still lists A's partition
        String forged = new PageToken("rows:todo_list", "", false, "a").encode();
        ObjectNode forgedAnswer = fx.invoke(a.event("list", json("{}").put("next", forged).put("uid", b.uid)));
        assertThat(RowOpsTest.ids(forgedAnswer)).containsExactly("shared", "zz");
    }

    @Test
    void aCannotChangeBsRowsThroughAnyWriteOp() {
        for (String id : List.of("b1", "b2")) {
            assertConfined(fx.invoke(a.event("update", json("{\"set\":{\"owner\":\"A!\"}}").put("id", id).put("uid", b.uid))),
                    "update");
            assertConfined(fx.invoke(a.event("remove", json("{}").put("id", id).put("uid", b.uid))), "remove");
            assertConfined(fx.invoke(a.event("remove", json("{\"version\":1}").put("id", id))), "remove version");
            assertConfined(fx.invoke(a.event("put", json("{\"expect\":\"present\"}").put("uid", b.uid)
                    .set("obj", json("{\"owner\":\"A!\"}").put("id", id)))), "put present");
            assertConfined(fx.invoke(a.event("put", json("{\"version\":1}")
                    .set("obj", json("{\"owner\":\"A!\"}").put("id", id)))), "put version");
            assertConfined(fx.invoke(a.event("put", json("{}")
                    .set("obj", json("{\"owner\":\"A!\"}").put("id", id).put("uid", b.uid)))), "put obj.uid");
            assertConfined(fx.invoke(a.event("update", json("{}").put("id", "shared")
                    .set("set", json("{}").put("uid", b.uid)))), "update set.uid");
        }
        assertThat(snapshotOfB()).isEqualTo(bRowsBefore);
        // A's own writes to ids B also uses land in A's partition only
        fx.invoke(a.event("put", "{\"obj\":{\"id\":\"b3\",\"owner\":\"A\"}}"));
        fx.invoke(a.event("remove", "{\"id\":\"b3\"}"));
        assertThat(snapshotOfB()).isEqualTo(bRowsBefore);
    }

    @Test
    void aCannotReachBsFilesThroughAnyPathPrefixOrToken() throws Exception {
        String bDir = "users/" + b.uid;
        List<String> hostile = List.of("../" + b.uid + "/secret.txt", "%2e%2e/" + b.uid + "/secret.txt",
                "/" + bDir + "/secret.txt", bDir + "/secret.txt", "..\\" + b.uid + "\\secret.txt",
                "docs/../../" + b.uid + "/secret.txt", "%252e%252e/" + b.uid + "/secret.txt", "secret.txt");
        for (String path : hostile) {
            ObjectNode link = fx.invoke(a.event("downloadUrl", json("{}").put("path", path).put("uid", b.uid)));
            assertConfined(link, "downloadUrl " + path);
            if (link.has("data")) {
                assertThat(java.net.URI.create(link.at("/data/url").asText()).getPath())
                        .startsWith("/" + DbFixture.BUCKET + "/users/" + a.uid + "/");
                assertThat(FileOpsTest.download(link.at("/data/url").asText()).statusCode()).isEqualTo(404);
            }
            // in a batch beside A's own file, with B named as uid and owner: the same folder, A's
            ObjectNode links = fx.invoke(FileOpsTest.urlsEvent(a, List.of("mine.txt", path)).put("uid", b.uid)
                    .put("userId", b.uid).put("owner", b.uid));
            assertConfined(links, "downloadUrls " + path, path);
            if (links.has("data")) {
                assertThat(java.net.URI.create(links.at("/data/1/url").asText()).getPath())
                        .startsWith("/" + DbFixture.BUCKET + "/users/" + a.uid + "/");
                assertThat(FileOpsTest.download(links.at("/data/1/url").asText()).statusCode()).isEqualTo(404);
                assertThat(FileOpsTest.download(links.at("/data/0/url").asText()).body())
                        .isEqualTo("A".getBytes(StandardCharsets.UTF_8));
            }
            ObjectNode form = fx.invoke(a.event("uploadPolicy", json("{}").put("path", path).put("uid", b.uid)));
            assertConfined(form, "uploadPolicy " + path, path);
            if (form.has("data")) {
                assertThat(form.at("/data/fields/key").asText()).startsWith("users/" + a.uid + "/");
            }
            assertConfined(fx.invoke(a.event("removeFile", json("{}").put("path", path).put("uid", b.uid))),
                    "removeFile " + path);
        }
        for (String prefix : List.of("../" + b.uid, "%2e%2e/", bDir, "", "docs/")) {
            ObjectNode listing = fx.invoke(a.event("listFiles", json("{}").put("prefix", prefix).put("uid", b.uid)));
            assertConfined(listing, "listFiles " + prefix);
            listing.path("data").forEach(f -> assertThat(f.get("path").asText()).isEqualTo("mine.txt"));
        }
        ObjectNode withBsToken = fx.invoke(a.event("listFiles", json("{\"limit\":1}").put("next", bFilesToken)));
        assertConfined(withBsToken, "listFiles with B's token");
        withBsToken.path("data").forEach(f -> assertThat(f.get("path").asText()).isEqualTo("mine.txt"));
        assertThat(snapshotOfB()).isEqualTo(bRowsBefore);
        JsonNode bLink = fx.invoke(b.event("downloadUrl", "{\"path\":\"secret.txt\"}")).get("data");
        assertThat(FileOpsTest.download(bLink.get("url").asText()).body()).isEqualTo(bSecret);
        for (JsonNode bEntry : fx.invoke(FileOpsTest.urlsEvent(b, List.of("secret.txt", "docs/x.txt"))).get("data")) {
            assertThat(FileOpsTest.download(bEntry.get("url").asText()).body()).isEqualTo(bSecret);
        }
    }

    @Test
    void bsSessionIdIsTheOnlyWayToBsData() {
        ObjectNode event = json("{\"op\":\"get\",\"id\":\"b1\"}").put("sid", a.sid).put("uid", b.uid);
        event.putObject("session").put("sid", b.sid).put("uid", b.uid);
        assertThat(fx.invoke(Json.write(event), fx.context()).get("data").isNull()).isTrue();
    }
}
