package com.fcminiapp.localcloud.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The seed folder: {@code tables/<table>.json} ({@code {"<user>": [items by id]}}), {@code files/<user>/<path>} and
 * an optional {@code files.json} ({@code {"<user>": {"<path>": {"contentType": "…"}}}} for the files whose type is
 * not the one their extension implies). A user is a login name, or {@code uid:<uid>} for one without a known name.
 * {@link #read} checks the whole folder against the db function's rules before anything is written.
 */
final class SeedFolder {

    static final String UID_PREFIX = "uid:";
    static final String FILES_JSON = "files.json";
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final int MAX_ID_CHARS = 256;
    private static final int MAX_ITEM_BYTES = 1024 * 1024;
    private static final int MAX_PATH_BYTES = 512;
    private static final Map<String, String> TYPES = Map.ofEntries(Map.entry("txt", "text/plain"),
            Map.entry("json", "application/json"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("svg", "image/svg+xml"), Map.entry("pdf", "application/pdf"), Map.entry("mp3", "audio/mpeg"),
            Map.entry("mp4", "video/mp4"), Map.entry("csv", "text/csv"), Map.entry("html", "text/html"));

    /** A seed, checked: user → table → items, and user → path → file. */
    static final class Seed {
        final Map<String, Map<String, List<ObjectNode>>> rows = new TreeMap<>();
        final Map<String, Map<String, SeedFile>> files = new TreeMap<>();

        Set<String> users() {
            Set<String> users = new TreeSet<>(rows.keySet());
            users.addAll(files.keySet());
            return users;
        }
    }

    /** One file of a user. */
    static final class SeedFile {
        final Path source;
        final String contentType;

        SeedFile(Path source, String contentType) {
            this.source = source;
            this.contentType = contentType;
        }
    }

    /** Refusal of a seed folder, naming the file and what is wrong with it. */
    static final class SeedException extends Exception {
        SeedException(String message) {
            super(message, null, false, false);
        }
    }

    private SeedFolder() {
    }

    // ---- reading ----

    static Seed read(Path dir, List<String> dataTables) throws SeedException, IOException {
        if (!Files.isDirectory(dir)) {
            throw new SeedException("seed folder " + dir + " does not exist (or is not a folder)");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.collect(Collectors.toList())) {
                String name = entry.getFileName().toString();
                if (!name.equals("tables") && !name.equals("files") && !name.equals(FILES_JSON)) {
                    throw new SeedException(entry + ": unexpected; a seed folder holds only tables/, files/ and "
                            + FILES_JSON);
                }
            }
        }
        Seed seed = new Seed();
        Path tables = dir.resolve("tables");
        if (Files.isDirectory(tables)) {
            for (Path file : sorted(tables)) {
                readTable(file, dataTables, seed);
            }
        }
        Map<String, Map<String, String>> types = readTypes(dir.resolve(FILES_JSON));
        Path files = dir.resolve("files");
        if (Files.isDirectory(files)) {
            for (Path userDir : sorted(files)) {
                readFiles(userDir, types.getOrDefault(userDir.getFileName().toString(), Map.of()), seed);
            }
        }
        for (Map.Entry<String, Map<String, String>> user : types.entrySet()) {
            for (String path : user.getValue().keySet()) {
                if (!seed.files.getOrDefault(user.getKey(), Map.of()).containsKey(path)) {
                    throw new SeedException(dir.resolve(FILES_JSON) + ": names " + user.getKey() + "'s file '" + path
                            + "', which is not under files/" + user.getKey() + "/");
                }
            }
        }
        return seed;
    }

    private static void readTable(Path file, List<String> dataTables, Seed seed) throws SeedException, IOException {
        String name = file.getFileName().toString();
        if (!name.endsWith(".json") || !dataTables.contains(name.substring(0, name.length() - 5))) {
            throw new SeedException(file + ": not a data table; tables/ holds <table>.json for tables " + dataTables);
        }
        String table = name.substring(0, name.length() - 5);
        JsonNode users = parse(file);
        if (!users.isObject()) {
            throw new SeedException(file + ": must be a JSON object {\"<user>\": [items]}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = users.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> user = it.next();
            String where = file + ": user '" + user.getKey() + "'";
            checkUser(user.getKey(), where);
            if (!user.getValue().isArray()) {
                throw new SeedException(where + " must hold an array of items");
            }
            List<ObjectNode> items = new ArrayList<>();
            Set<String> ids = new TreeSet<>();
            for (JsonNode item : (ArrayNode) user.getValue()) {
                checkItem(item, where);
                if (!ids.add(item.get("id").asText())) {
                    throw new SeedException(where + " has id '" + item.get("id").asText() + "' twice");
                }
                items.add((ObjectNode) item);
            }
            seed.rows.computeIfAbsent(user.getKey(), u -> new TreeMap<>()).put(table, items);
        }
    }

    private static void checkItem(JsonNode item, String where) throws SeedException {
        if (!item.isObject()) {
            throw new SeedException(where + ": every item must be a JSON object");
        }
        JsonNode id = item.get("id");
        if (id == null || !id.isTextual() || id.asText().isEmpty()
                || id.asText().codePointCount(0, id.asText().length()) > MAX_ID_CHARS || hasControl(id.asText())) {
            throw new SeedException(where + ": an item's \"id\" must be a string of 1 to " + MAX_ID_CHARS
                    + " characters without control characters, not " + id);
        }
        String itemWhere = where + ", item '" + id.asText() + "'";
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (name.equals("id")) {
                continue;
            }
            if (name.equals("uid") || name.startsWith("_")) {
                throw new SeedException(itemWhere + ": field \"" + name + "\" is reserved (uid and names starting"
                        + " with _; _version and _updatedAt are set on import)");
            }
            if (!FIELD_NAME.matcher(name).matches()) {
                throw new SeedException(itemWhere + ": field name \"" + name + "\" is not allowed; use a letter, then"
                        + " up to 63 letters, digits or _");
            }
            if (field.getValue().isNull()) {
                throw new SeedException(itemWhere + ": field \"" + name + "\" is null; leave the field out instead");
            }
        }
        if (ItemJson.write(item).length > MAX_ITEM_BYTES) {
            throw new SeedException(itemWhere + ": over 1 MiB as compact JSON; put large data in a file");
        }
    }

    private static Map<String, Map<String, String>> readTypes(Path file) throws SeedException, IOException {
        Map<String, Map<String, String>> types = new TreeMap<>();
        if (!Files.exists(file)) {
            return types;
        }
        JsonNode users = parse(file);
        String shape = ": must be {\"<user>\": {\"<path>\": {\"contentType\": \"type/subtype\"}}}";
        if (!users.isObject()) {
            throw new SeedException(file + shape);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = users.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> user = it.next();
            checkUser(user.getKey(), file + ": user '" + user.getKey() + "'");
            if (!user.getValue().isObject()) {
                throw new SeedException(file + shape);
            }
            Map<String, String> paths = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> p = user.getValue().fields(); p.hasNext(); ) {
                Map.Entry<String, JsonNode> path = p.next();
                JsonNode type = path.getValue().path("contentType");
                if (!type.isTextual() || !type.asText().matches("[\\w.+-]+/[\\w.+-]+(;.*)?")) {
                    throw new SeedException(file + ": " + user.getKey() + "'s '" + path.getKey() + "'" + shape);
                }
                paths.put(path.getKey(), type.asText());
            }
            types.put(user.getKey(), paths);
        }
        return types;
    }

    private static void readFiles(Path userDir, Map<String, String> types, Seed seed)
            throws SeedException, IOException {
        String user = userDir.getFileName().toString();
        checkUser(user, userDir.toString());
        if (!Files.isDirectory(userDir)) {
            throw new SeedException(userDir + ": files/ holds one folder per user");
        }
        Map<String, SeedFile> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(userDir)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                String path = userDir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                checkPath(path, file);
                files.put(path, new SeedFile(file, types.getOrDefault(path, impliedType(path))));
            }
        }
        seed.files.put(user, files);
    }

    private static void checkUser(String user, String where) throws SeedException {
        boolean uid = user.startsWith(UID_PREFIX);
        String rest = uid ? user.substring(UID_PREFIX.length()) : user;
        if (rest.isEmpty() || rest.contains("/") || rest.contains("\\") || rest.equals(".") || rest.equals("..")
                || hasControl(rest) || (!uid && rest.contains(":"))) {
            throw new SeedException(where + ": a user is a login name (no '/', '\\' or ':') or uid:<uid>");
        }
    }

    /** The contract's file path rule. */
    private static void checkPath(String path, Path file) throws SeedException {
        boolean ok = path.getBytes(StandardCharsets.UTF_8).length <= MAX_PATH_BYTES && !path.contains("\\")
                && !path.contains("$") && !hasControl(path);
        for (String segment : path.split("/", -1)) {
            ok &= !segment.isEmpty() && !segment.equals(".") && !segment.equals("..");
        }
        if (!ok) {
            throw new SeedException(file + ": its path '" + path + "' breaks the files API's rule (1-512 UTF-8"
                    + " bytes, no '\\', '$' or control characters)");
        }
    }

    static String impliedType(String path) {
        int dot = path.lastIndexOf('.');
        String extension = dot < 0 || dot < path.lastIndexOf('/') ? "" : path.substring(dot + 1);
        return TYPES.getOrDefault(extension.toLowerCase(Locale.ROOT), "application/octet-stream");
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    private static JsonNode parse(Path file) throws SeedException, IOException {
        try {
            JsonNode node = ItemJson.MAPPER.readTree(Files.readAllBytes(file));
            if (node == null || node.isMissingNode()) {
                throw new SeedException(file + ": is empty; it must hold a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SeedException(file + ": is not valid JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
    }

    private static List<Path> sorted(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().collect(Collectors.toList());
        }
    }

    // ---- writing ----

    /** Writes {@code rows} (table → user → items) and {@code files} (user → path → bytes and type) under {@code dir}. */
    static void write(Path dir, Map<String, Map<String, List<ObjectNode>>> rows,
                      Map<String, Map<String, ExportedFile>> files) throws IOException {
        Path tables = Files.createDirectories(dir.resolve("tables"));
        for (Map.Entry<String, Map<String, List<ObjectNode>>> table : rows.entrySet()) {
            ObjectNode users = ItemJson.MAPPER.createObjectNode();
            table.getValue().forEach((user, items) -> users.putArray(user).addAll(items));
            Files.write(tables.resolve(table.getKey() + ".json"), ItemJson.pretty(users));
        }
        ObjectNode types = ItemJson.MAPPER.createObjectNode();
        for (Map.Entry<String, Map<String, ExportedFile>> user : files.entrySet()) {
            Path userDir = dir.resolve("files").resolve(user.getKey()).normalize();
            for (Map.Entry<String, ExportedFile> file : user.getValue().entrySet()) {
                Path target = userDir.resolve(file.getKey()).normalize();
                if (!target.startsWith(userDir)) {
                    throw new IOException("file path " + file.getKey() + " leaves its user's folder");
                }
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue().bytes);
                if (!impliedType(file.getKey()).equals(file.getValue().contentType)) {
                    types.with(user.getKey()).putObject(file.getKey()).put("contentType", file.getValue().contentType);
                }
            }
        }
        if (types.size() > 0) {
            Files.write(dir.resolve(FILES_JSON), ItemJson.pretty(types));
        }
    }

    /** A file to export. */
    static final class ExportedFile {
        final byte[] bytes;
        final String contentType;

        ExportedFile(byte[] bytes, String contentType) {
            this.bytes = bytes;
            this.contentType = contentType;
        }
    }
}
