package com.fcminiapp.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.kit.AppFunction;
import com.fcminiapp.kit.AppHandler;
import com.fcminiapp.kit.Kit;
import com.fcminiapp.kit.Rows;
import com.fcminiapp.kit.internal.oss.OssConnections;
import com.fcminiapp.kit.testing.KitTestCloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The db function and an app function on the same tables: a row one writes the other reads back exactly (the same
 * encoding and rules), and the db function's OSS clients too are built on the first file op only.
 */
class KitInteropTest {

    static final KitTestCloud cloud = KitTestCloud.start("todo_list");
    static final AtomicReference<Kit> kit = new AtomicReference<>();
    static DbHandler db;
    static AppHandler app;

    /** A team's handler, as the scaffold writes one. */
    static final class Handler extends AppHandler {
        Handler(Map<String, String> env, Clock clock, Function<Kit, AppFunction> factory) {
            super(env, clock, factory);
        }
    }

    @BeforeAll
    static void start() {
        Map<String, String> env = cloud.env();
        env.put("DATA_TABLES", "todo_list");
        db = new DbHandler(env, cloud.clock());
        db.initialize(cloud.context());
        app = new Handler(cloud.env(), cloud.clock(), k -> {
            kit.set(k);
            return (caller, input) -> k.table("todo_list").rowsOf(caller).get(input.asText());
        });
        cloud.initialize(app);
    }

    @AfterAll
    static void stop() {
        db.preStop(cloud.context());
        cloud.close();
    }

    static final String NESTED = "{\"title\":\"\u725b\u5976 \ud83e\udd5b\",\"n\":[1,-0.0,0.1,12345678901234567890123,"
            + "{\"deep\":{\"ok\":true,\"none\":null}}],\"count\":9007199254740993,\"ratio\":2.5,\"done\":false,"
            + "\"empty\":{},\"list\":[]}";

    private static ObjectNode db(String sid, String op, String fields) {
        ObjectNode event = json(fields);
        event.put("sid", sid);
        event.put("op", op);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            db.handleRequest(new ByteArrayInputStream(Json.write(event)), out, cloud.context());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Json.parseObject(out.toByteArray());
    }

    private static ObjectNode json(String text) {
        return Json.parseObject(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Rows rowsOf(String user) {
        return kit.get().table("todo_list").rowsOf(cloud.uid(user));
    }

    @Test
    void aRowTheKitWritesIsReadBackExactlyByTheDbFunction() {
        ObjectNode obj = json(NESTED).put("id", "from-kit");
        ObjectNode written = rowsOf("alice").put(obj);

        ObjectNode read = db(cloud.login("alice"), "get", "{\"id\":\"from-kit\"}");

        assertThat(written.get("_version").asLong()).isEqualTo(1);
        // the db answer went through JSON text, the kit's did not: compare them as the client sees them
        assertThat(read.get("data").toString()).isEqualTo(rowsOf("alice").get("from-kit").toString());
        ObjectNode sent = json(NESTED);
        // id, _version, _updatedAt, _createdAt
        assertThat(read.get("data").size()).isEqualTo(sent.size() + 4);
        sent.fieldNames().forEachRemaining(name -> assertThat(read.at("/data/" + name).toString()).as(name)
                .isEqualTo(sent.get(name).toString()));
    }

    @Test
    void aRowTheDbFunctionWritesIsReadBackExactlyByTheKitAndAnIncrementCountsOnIt() {
        String sid = cloud.login("bob");
        ObjectNode put = db(sid, "put", "{\"obj\":" + json(NESTED).put("id", "from-db").put("points", 4) + "}");

        ObjectNode viaDb = db(sid, "get", "{\"id\":\"from-db\"}");
        JsonNode viaApp = cloud.invoke(app, cloud.event(sid, "\"from-db\""));
        long points = rowsOf("bob").increment("from-db", "points", 3);
        ObjectNode afterIncrement = db(sid, "get", "{\"id\":\"from-db\"}");

        assertThat(put.at("/data/_version").asLong()).isEqualTo(1);
        assertThat(viaApp.get("data")).isEqualTo(viaDb.get("data"));
        assertThat(points).isEqualTo(7);
        assertThat(afterIncrement.at("/data/points").asLong()).isEqualTo(7);
        assertThat(afterIncrement.at("/data/_version").asLong()).isEqualTo(2);
        assertThat(afterIncrement.at("/data/title").asText()).isEqualTo("\u725b\u5976 \ud83e\udd5b");
    }

    @Test
    void theDbFunctionBuildsItsOssClientsOnTheFirstFileOpOnly() {
        Map<String, String> env = cloud.env();
        env.put("DATA_TABLES", "todo_list");
        DbHandler handler = new DbHandler(env, cloud.clock());
        String sid = cloud.login("lazy");
        int before = OssConnections.built();

        handler.initialize(cloud.context());
        ObjectNode list = call(handler, sid, "list");
        int afterRows = OssConnections.built();
        ObjectNode files = call(handler, sid, "listFiles");
        ObjectNode again = call(handler, sid, "listFiles");
        handler.preStop(cloud.context());

        assertThat(list.get("data")).isEmpty();
        assertThat(afterRows).isEqualTo(before);
        assertThat(files.get("data")).isEmpty();
        assertThat(again.get("data")).isEmpty();
        assertThat(OssConnections.built()).isEqualTo(before + 1);
    }

    private static ObjectNode call(DbHandler handler, String sid, String op) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(
                    ("{\"sid\":\"" + sid + "\",\"op\":\"" + op + "\"}").getBytes(StandardCharsets.UTF_8)), out,
                    cloud.context());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Json.parseObject(out.toByteArray());
    }
}
