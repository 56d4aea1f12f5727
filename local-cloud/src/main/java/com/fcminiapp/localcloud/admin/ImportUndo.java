package com.fcminiapp.localcloud.admin;

import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.Row;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.ObjectMetadata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.fcapi.FcError;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an import is about to replace, kept on disk until the import has finished: each affected user's rows as
 * stored (every column, {@code _version} and {@code _updatedAt} included) and files (bytes, headers, user metadata),
 * in {@code <data>/seed-import-undo/}. An import that fails part way puts it back at once; when that fails too
 * (the stand-in still failing) or the process dies, the next start puts it back before anything else runs. The
 * folder appears by one atomic rename once complete and is renamed away before it is deleted, so a folder of that
 * name is always whole.
 */
final class ImportUndo {

    static final String FOLDER = "seed-import-undo";
    private static final String USERS = "users.json";
    private static final String BLOBS = "blobs";
    /** Headers an upload sets and OSS keeps with the object (the stand-in stores these). */
    private static final List<String> KEPT_HEADERS = List.of("Content-Type", "Content-Disposition",
            "Content-Encoding", "Content-Language", "Cache-Control", "Expires");

    private final ConsoleData data;
    private final Path dataDir;

    ImportUndo(ConsoleData data, Path dataDir) {
        this.data = data;
        this.dataDir = dataDir;
    }

    Path folder() {
        return dataDir.resolve(FOLDER);
    }

    /** Whether an earlier import's undo is waiting to be put back. */
    boolean pending() {
        return Files.exists(folder(), LinkOption.NOFOLLOW_LINKS);
    }

    /** Keeps the rows and files of {@code uids} on disk (fsync'd) before an import changes them. */
    void save(Collection<String> uids) throws IOException, FcError {
        Path temp = dataDir.resolve(Folders.unique(FOLDER + ".partial"));
        try {
            Folders.createPrivate(temp);
            Folders.createPrivate(temp.resolve(BLOBS));
            ArrayNode users = ItemJson.MAPPER.createArrayNode();
            int blob = 0;
            for (String uid : uids) {
                ObjectNode user = users.addObject().put("uid", uid);
                saveRows(uid, user.putArray("rows"));
                blob = saveFiles(uid, user.putArray("files"), temp.resolve(BLOBS), blob);
            }
            Files.write(temp.resolve(USERS), ItemJson.write(ItemJson.MAPPER.createObjectNode().set("users", users)));
            Folders.sync(temp.resolve(USERS));
            Folders.sync(temp.resolve(BLOBS));
            Folders.sync(temp);
            Files.move(temp, folder(), StandardCopyOption.ATOMIC_MOVE);
            Folders.sync(dataDir);
        } catch (IOException | FcError | RuntimeException e) {
            Folders.deleteQuietly(temp);
            throw e;
        }
    }

    private void saveRows(String uid, ArrayNode rows) throws FcError {
        for (String table : data.dataTables()) {
            for (Row row : data.rowsOf(table, uid)) {
                ObjectNode saved = rows.addObject().put("table", table)
                        .put("id", row.getPrimaryKey().getPrimaryKeyColumn("id").getValue().asString());
                ArrayNode columns = saved.putArray("columns");
                for (Column column : row.getColumns()) {
                    columns.add(column(column));
                }
            }
        }
    }

    private int saveFiles(String uid, ArrayNode files, Path blobs, int first) throws IOException, FcError {
        int blob = first;
        for (OSSObjectSummary summary : data.allFiles(uid)) {
            String key = summary.getKey();
            ObjectMetadata meta = data.metadata(key);
            Path target = blobs.resolve(Integer.toString(blob));
            data.download(key, target);
            Folders.sync(target);
            ObjectNode file = files.addObject().put("key", key).put("blob", Integer.toString(blob++));
            ObjectNode headers = file.putObject("headers");
            for (String name : KEPT_HEADERS) {
                Object value = meta.getRawMetadata().get(name);
                if (value != null) {
                    headers.put(name, value.toString());
                }
            }
            ObjectNode userMetadata = file.putObject("userMetadata");
            new TreeMap<>(meta.getUserMetadata()).forEach(userMetadata::put);
        }
        return blob;
    }

    /** Puts every saved user back as saved (rows, then files), then drops the undo. */
    void restore() throws IOException, FcError {
        JsonNode users;
        try (InputStream in = Files.newInputStream(folder().resolve(USERS), LinkOption.NOFOLLOW_LINKS)) {
            users = ItemJson.MAPPER.readTree(in).path("users");
        }
        for (JsonNode user : users) {
            String uid = user.path("uid").asText();
            data.deleteAllRows(uid);
            for (JsonNode row : user.path("rows")) {
                List<Column> columns = new ArrayList<>();
                for (JsonNode column : row.path("columns")) {
                    columns.add(column(column));
                }
                data.putRawRow(row.path("table").asText(), uid, row.path("id").asText(), columns);
            }
            restoreFiles(uid, user.path("files"));
        }
        drop();
    }

    private void restoreFiles(String uid, JsonNode files) throws IOException, FcError {
        for (OSSObjectSummary file : data.allFiles(uid)) {
            data.deleteKey(file.getKey());
        }
        for (JsonNode file : files) {
            Path blob = folder().resolve(BLOBS).resolve(file.path("blob").asText());
            Map<String, String> headers = new TreeMap<>();
            file.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
            Map<String, String> userMetadata = new TreeMap<>();
            file.path("userMetadata").fields().forEachRemaining(m -> userMetadata.put(m.getKey(), m.getValue().asText()));
            try (InputStream in = Files.newInputStream(blob, LinkOption.NOFOLLOW_LINKS)) {
                data.putFile(file.path("key").asText(), in, Files.size(blob), headers, userMetadata);
            }
        }
    }

    /** Drops the undo once the import it guarded has finished (or it was put back). */
    void drop() throws IOException {
        Path retired = dataDir.resolve(Folders.unique(FOLDER + ".retired"));
        Files.move(folder(), retired, StandardCopyOption.ATOMIC_MOVE);
        Folders.sync(dataDir);
        Folders.deleteQuietly(retired);
    }

    /** Deletes what an import killed while saving, or while dropping its undo, left behind. */
    void deleteLeftovers() throws IOException {
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dataDir, FOLDER + ".*")) {
            for (Path path : left) {
                Folders.deleteTree(path);
            }
        }
    }

    /** A stored column as JSON: a double by its bits and binary as base64, so that each comes back exactly. */
    private static ObjectNode column(Column column) {
        ColumnValue value = column.getValue();
        ObjectNode out = ItemJson.MAPPER.createObjectNode().put("name", column.getName())
                .put("type", value.getType().name());
        switch (value.getType()) {
            case STRING:
                return out.put("value", value.asString());
            case INTEGER:
                return out.put("value", value.asLong());
            case DOUBLE:
                return out.put("value", Double.doubleToRawLongBits(value.asDouble()));
            case BOOLEAN:
                return out.put("value", value.asBoolean());
            default:
                return out.put("value", Base64.getEncoder().encodeToString(value.asBinary()));
        }
    }

    private static Column column(JsonNode saved) {
        JsonNode value = saved.path("value");
        String name = saved.path("name").asText();
        switch (saved.path("type").asText()) {
            case "STRING":
                return new Column(name, ColumnValue.fromString(value.asText()));
            case "INTEGER":
                return new Column(name, ColumnValue.fromLong(value.asLong()));
            case "DOUBLE":
                return new Column(name, ColumnValue.fromDouble(Double.longBitsToDouble(value.asLong())));
            case "BOOLEAN":
                return new Column(name, ColumnValue.fromBoolean(value.asBoolean()));
            default:
                return new Column(name, ColumnValue.fromBinary(Base64.getDecoder().decode(value.asText())));
        }
    }
}
