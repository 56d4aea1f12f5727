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
 * The example's declaration (tables.json) on the kit's stand-ins, every table and search index created as the
 * deployment creates them: an app function's environment, and the db function with the same DATA_TABLES, so a test
 * reads back through the db function what the app function wrote, as a user.
 */
final class GuestbookCloud implements AutoCloseable {

    final KitTestCloud cloud;
    final DbHandler db;

    GuestbookCloud(String appTable) {
        cloud = KitTestCloud.declared(dataTables(), appTable);
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

    /** The kit's variables on the stand-ins, DATA_TABLES the example's (a new map: change it freely). */
    Map<String, String> env() {
        return cloud.env();
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
