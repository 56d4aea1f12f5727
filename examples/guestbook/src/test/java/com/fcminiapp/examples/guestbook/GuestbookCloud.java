package com.fcminiapp.examples.guestbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.db.DbHandler;
import com.fcminiapp.kit.testing.KitTestCloud;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The example's declaration (tables.json) on the kit's stand-ins: an app function's environment, and the db function
 * with the same DATA_TABLES, so a test reads back through the db function what the app function wrote, as a user.
 */
final class GuestbookCloud implements AutoCloseable {

    final KitTestCloud cloud;
    final DbHandler db;

    GuestbookCloud(String appTable) {
        cloud = KitTestCloud.start(appTable);
        db = new DbHandler(env(), cloud.clock());
        db.initialize(cloud.context());
    }

    /** tables.json as every DATA_TABLES of the template holds it (compact). */
    static String dataTables() {
        try {
            return Json.readTree(Files.readAllBytes(Path.of("tables.json"))).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kit's variables on the stand-ins with the example's DATA_TABLES (a new map: change it freely). */
    Map<String, String> env() {
        Map<String, String> env = cloud.env();
        env.put("DATA_TABLES", dataTables());
        return env;
    }

    /** The db function's whole answer to {@code event} (JSON with {@code sid}). */
    JsonNode db(String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            db.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, cloud.context());
            return Json.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        db.preStop(cloud.context());
        cloud.close();
    }
}
