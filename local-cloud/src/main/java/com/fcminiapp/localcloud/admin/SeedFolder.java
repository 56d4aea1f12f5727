package com.fcminiapp.localcloud.admin;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a seed folder: {@code tables/<table>.json} ({@code {"<user>": [items by id]}}), {@code files/<user>/<path>},
 * {@code blobs/<64 hex>} and an optional {@code files.json} ({@code {"<user>": {"<path>": {"contentType": "…",
 * "blob": "<64 hex>"}}}}: a type other than the one the extension implies, and the files kept under {@code blobs/}
 * because their path cannot be a file of its own, see {@link SeedExport}). A user is a login name, or
 * {@code uid:<uid>}.
 *
 * <p>This class checks only the folder's shape: no link and nothing but plain files and folders anywhere (no entry is
 * ever followed, so a link cannot publish a file from elsewhere), JSON that parses with bounded nesting and size,
 * each user named one way, files.json matching the files. The rules of items and file paths are the db function's
 * own, applied by {@link SeedCheck}; file bytes are not read here, only their sizes.
 */
final class SeedFolder {

    static final String UID_PREFIX = "uid:";
    static final String FILES_JSON = "files.json";
    static final String TABLES = "tables";
    static final String FILES = "files";
    static final String BLOBS = "blobs";
    /** Larger table files are refused before they are read (their tree would take several times as much memory). */
    static final long MAX_JSON_BYTES = 64L * 1024 * 1024;
    /** A relative path this long is far past the files API's 512 bytes: the walk stops instead of going on. */
    private static final int MAX_WALK_BYTES = 1024;
    /** A uid that can name an OSS folder: the db function's rule for the folder {@code users/<uid>/}. */
    private static final Pattern UID = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    static final Pattern BLOB_NAME = Pattern.compile("[0-9a-f]{64}");
    private static final Map<String, String> TYPES = Map.ofEntries(Map.entry("txt", "text/plain"),
            Map.entry("json", "application/json"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("svg", "image/svg+xml"), Map.entry("pdf", "application/pdf"), Map.entry("mp3", "audio/mpeg"),
            Map.entry("mp4", "video/mp4"), Map.entry("csv", "text/csv"), Map.entry("html", "text/html"));

    /** A seed whose shape was checked: its users by uid. */
    static final class Seed {
        final Map<String, SeedUser> users = new TreeMap<>();
    }

    /** One user of a seed: how the seed names it, its items per table and its files by path. */
    static final class SeedUser {
        final String uid;
        final String key;
        /** The login name, or null for a {@code uid:} user. */
        final String name;
        /** Where the seed first names this user, for messages. */
        final String namedIn;
        final Map<String, List<SeedItem>> rows = new TreeMap<>();
        final Map<String, SeedFile> files = new TreeMap<>();

        SeedUser(String uid, String key, String name, String namedIn) {
            this.uid = uid;
            this.key = key;
            this.name = name;
            this.namedIn = namedIn;
        }
    }

    /** An item and where it is, for messages. */
    static final class SeedItem {
        final ObjectNode item;
        final String where;

        SeedItem(ObjectNode item, String where) {
            this.item = item;
            this.where = where;
        }
    }

    /** One file of a user: where its bytes are, how many there were when the folder was read, its type. */
    static final class SeedFile {
        final Path source;
        final long size;
        final String contentType;
        final String where;

        SeedFile(Path source, long size, String contentType, String where) {
            this.source = source;
            this.size = size;
            this.contentType = contentType;
            this.where = where;
        }
    }

    /** One entry of files.json. */
    private static final class Listed {
        final String contentType;
        final String blob;
        boolean matched;

        Listed(String contentType, String blob) {
            this.contentType = contentType;
            this.blob = blob;
        }
    }

    /** Refusal of a seed folder, naming the file and what is wrong with it. */
    static final class SeedException extends Exception {
        SeedException(String message) {
            super(message, null, false, false);
        }
    }

    private final Path dir;
    private final List<String> dataTables;
    private final Function<String, String> uidOfName;
    private final Seed seed = new Seed();

    private SeedFolder(Path dir, List<String> dataTables, Function<String, String> uidOfName) {
        this.dir = dir;
        this.dataTables = dataTables;
        this.uidOfName = uidOfName;
    }

    /**
     * Reads {@code dir}; {@code uidOfName} gives a login name's uid (without remembering anything). Nothing is
     * written.
     */
    static Seed read(Path dir, List<String> dataTables, Function<String, String> uidOfName)
            throws SeedException, IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new SeedException("seed folder " + root + " does not exist (or is not a folder)");
        }
        return new SeedFolder(root, dataTables, uidOfName).read();
    }

    private Seed read() throws SeedException, IOException {
        for (Path entry : children(dir)) {
            String name = entry.getFileName().toString();
            boolean folder = name.equals(TABLES) || name.equals(FILES) || name.equals(BLOBS);
            if (!folder && !name.equals(FILES_JSON)) {
                throw new SeedException(entry + ": unexpected; a seed folder holds only tables/, files/, blobs/ and "
                        + FILES_JSON);
            }
            kind(entry, folder);
        }
        if (Files.isDirectory(dir.resolve(TABLES), LinkOption.NOFOLLOW_LINKS)) {
            for (Path file : children(dir.resolve(TABLES))) {
                readTable(file);
            }
        }
        Map<String, Map<String, Listed>> listed = readListing(dir.resolve(FILES_JSON));
        if (Files.isDirectory(dir.resolve(FILES), LinkOption.NOFOLLOW_LINKS)) {
            for (Path userDir : children(dir.resolve(FILES))) {
                readUserFolder(userDir, listed);
            }
        }
        readBlobs(listed);
        return seed;
    }

    // ---- tables ----

    private void readTable(Path file) throws SeedException, IOException {
        String name = file.getFileName().toString();
        kind(file, false);
        if (!name.endsWith(".json") || !dataTables.contains(name.substring(0, name.length() - 5))) {
            throw new SeedException(file + ": not a data table; tables/ holds <table>.json for tables " + dataTables);
        }
        String table = name.substring(0, name.length() - 5);
        JsonNode users = parse(file);
        if (!users.isObject()) {
            throw new SeedException(file + ": must be a JSON object {\"<user>\": [items]}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = users.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String where = file + ": user '" + entry.getKey() + "'";
            SeedUser user = user(entry.getKey(), file.toString());
            if (!entry.getValue().isArray()) {
                throw new SeedException(where + " must hold an array of items");
            }
            user.rows.put(table, items(entry.getValue(), where));
        }
    }

    private static List<SeedItem> items(JsonNode array, String where) throws SeedException {
        List<SeedItem> items = new ArrayList<>();
        Set<String> ids = new TreeSet<>();
        for (JsonNode item : array) {
            if (!item.isObject()) {
                throw new SeedException(where + ": every item must be a JSON object");
            }
            JsonNode id = item.get("id");
            String itemWhere = where + ", item " + (id != null && id.isTextual() ? "'" + id.asText() + "'"
                    : "#" + (items.size() + 1));
            if (id != null && id.isTextual() && !ids.add(id.asText())) {
                throw new SeedException(where + " has id '" + id.asText() + "' twice");
            }
            checkKept(item, itemWhere);
            items.add(new SeedItem((ObjectNode) item, itemWhere));
        }
        return items;
    }

    /**
     * What the db function would take but not keep, so the seed would not come back from an export as written: a
     * null field (it means "no such field") and the bookkeeping fields an import sets itself.
     */
    private static void checkKept(JsonNode item, String where) throws SeedException {
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(ItemJson.VERSION) || field.getKey().equals(ItemJson.UPDATED_AT)
                    || field.getKey().equals(ItemJson.CREATED_AT)) {
                throw new SeedException(where + ": field \"" + field.getKey() + "\" is reserved (uid and names"
                        + " starting with _; _version, _updatedAt and _createdAt are set on import); leave it out");
            }
            if (field.getValue().isNull()) {
                throw new SeedException(where + ": field \"" + field.getKey() + "\" is null; leave the field out"
                        + " instead");
            }
        }
    }

    // ---- files.json, files/, blobs/ ----

    private Map<String, Map<String, Listed>> readListing(Path file) throws SeedException, IOException {
        Map<String, Map<String, Listed>> listed = new TreeMap<>();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return listed;
        }
        JsonNode users = parse(file);
        String shape = ": must be {\"<user>\": {\"<path>\": {\"contentType\": \"type/subtype\", \"blob\": \"<64 hex"
                + " digits>\"}}} (each entry one or both)";
        if (!users.isObject()) {
            throw new SeedException(file + shape);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = users.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> user = it.next();
            user(user.getKey(), file.toString());
            if (!user.getValue().isObject()) {
                throw new SeedException(file + shape);
            }
            Map<String, Listed> paths = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> p = user.getValue().fields(); p.hasNext(); ) {
                Map.Entry<String, JsonNode> path = p.next();
                paths.put(path.getKey(), listedEntry(path.getValue(),
                        file + ": " + user.getKey() + "'s '" + path.getKey() + "'" + shape));
            }
            listed.put(user.getKey(), paths);
        }
        return listed;
    }

    private static Listed listedEntry(JsonNode entry, String refusal) throws SeedException {
        if (!entry.isObject() || entry.size() == 0) {
            throw new SeedException(refusal);
        }
        for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("contentType") && !name.equals("blob")) {
                throw new SeedException(refusal);
            }
        }
        JsonNode type = entry.get("contentType");
        JsonNode blob = entry.get("blob");
        if ((type != null && !type.isTextual())
                || (blob != null && !(blob.isTextual() && BLOB_NAME.matcher(blob.asText()).matches()))) {
            throw new SeedException(refusal);
        }
        return new Listed(type == null ? null : type.asText(), blob == null ? null : blob.asText());
    }

    private void readUserFolder(Path userDir, Map<String, Map<String, Listed>> listed)
            throws SeedException, IOException {
        String key = userDir.getFileName().toString();
        SeedUser user = user(key, userDir.toString());
        kind(userDir, true);
        Map<String, Listed> types = listed.getOrDefault(key, Map.of());
        Map<String, Path> found = new TreeMap<>();
        walk(userDir, "", found);
        for (Map.Entry<String, Path> file : found.entrySet()) {
            Listed entry = types.get(file.getKey());
            if (entry != null && entry.blob != null) {
                throw new SeedException(file.getValue() + ": files.json keeps " + key + "'s '" + file.getKey()
                        + "' in blobs/" + entry.blob + " too; give each file once");
            }
            if (entry != null) {
                entry.matched = true;
            }
            String type = entry == null ? impliedType(file.getKey()) : entry.contentType;
            user.files.put(file.getKey(), new SeedFile(file.getValue(), size(file.getValue()), type,
                    file.getValue().toString()));
        }
    }

    /** Every regular file under {@code folder}, by its path relative to the user's folder; no link is followed. */
    private static void walk(Path folder, String prefix, Map<String, Path> found) throws SeedException, IOException {
        for (Path entry : children(folder)) {
            String path = prefix + entry.getFileName().toString();
            if (path.getBytes(StandardCharsets.UTF_8).length > MAX_WALK_BYTES) {
                throw new SeedException(entry + ": nested past any file path the files API takes (512 UTF-8 bytes)");
            }
            if (kind(entry, null).isDirectory()) {
                walk(entry, path + "/", found);
            } else {
                found.put(path, entry);
            }
        }
    }

    private void readBlobs(Map<String, Map<String, Listed>> listed) throws SeedException, IOException {
        Path blobs = dir.resolve(BLOBS);
        Set<String> present = new TreeSet<>();
        if (Files.isDirectory(blobs, LinkOption.NOFOLLOW_LINKS)) {
            for (Path blob : children(blobs)) {
                kind(blob, false);
                if (!BLOB_NAME.matcher(blob.getFileName().toString()).matches()) {
                    throw new SeedException(blob + ": blobs/ holds only files named by 64 hex digits, each named by"
                            + " an entry of " + FILES_JSON);
                }
                present.add(blob.getFileName().toString());
            }
        }
        Set<String> used = new TreeSet<>();
        for (Map.Entry<String, Map<String, Listed>> user : listed.entrySet()) {
            for (Map.Entry<String, Listed> path : user.getValue().entrySet()) {
                addListed(user.getKey(), path.getKey(), path.getValue(), present, used);
            }
        }
        present.removeAll(used);
        if (!present.isEmpty()) {
            throw new SeedException(blobs.resolve(present.iterator().next()) + ": no entry of " + FILES_JSON
                    + " names it; remove it or name it as a user's file");
        }
    }

    private void addListed(String key, String path, Listed entry, Set<String> present, Set<String> used)
            throws SeedException, IOException {
        Path listing = dir.resolve(FILES_JSON);
        if (entry.blob == null) {
            if (!entry.matched) {
                throw new SeedException(listing + ": names " + key + "'s file '" + path + "', which is not under "
                        + FILES + "/" + key + "/");
            }
            return;
        }
        if (!present.contains(entry.blob) || !used.add(entry.blob)) {
            throw new SeedException(listing + ": " + key + "'s '" + path + "' is in " + BLOBS + "/" + entry.blob
                    + ", which " + (present.contains(entry.blob) ? "another entry names too" : "is missing"));
        }
        Path source = dir.resolve(BLOBS).resolve(entry.blob);
        String type = entry.contentType == null ? impliedType(path) : entry.contentType;
        seed.users.get(uidOf(key)).files.put(path, new SeedFile(source, size(source), type,
                source + " (" + key + "'s '" + path + "' in " + FILES_JSON + ")"));
    }

    // ---- users ----

    /**
     * The user {@code key} names in {@code file}; refused when it is malformed or another key of the seed names the
     * same uid (both would be imported, one over the other).
     */
    private SeedUser user(String key, String file) throws SeedException {
        String where = file + ": user '" + key + "'";
        String uid = uidOf(checkUser(key, where));
        SeedUser known = seed.users.get(uid);
        if (known == null) {
            known = new SeedUser(uid, key, key.startsWith(UID_PREFIX) ? null : key, file);
            seed.users.put(uid, known);
        } else if (!known.key.equals(key)) {
            throw new SeedException(where + " is user '" + known.key + "' (uid " + uid + "), as " + known.namedIn
                    + " names it; name each user one way in a seed");
        }
        return known;
    }

    private String uidOf(String key) {
        return key.startsWith(UID_PREFIX) ? key.substring(UID_PREFIX.length()) : uidOfName.apply(key);
    }

    private static String checkUser(String user, String where) throws SeedException {
        if (user.startsWith(UID_PREFIX)) {
            String uid = user.substring(UID_PREFIX.length());
            if (!UID.matcher(uid).matches() || uid.equals(".") || uid.equals("..")
                    || uid.startsWith(SeedCheck.SCRATCH_PREFIX)) {
                throw new SeedException(where + ": uid:<uid> needs a uid of 1 to 128 letters, digits and . _ @ -"
                        + " (what an OSS folder users/<uid>/ takes)");
            }
            return user;
        }
        if (user.isEmpty() || user.contains("/") || user.contains("\\") || user.contains(":") || user.equals(".")
                || user.equals("..") || user.chars().anyMatch(Character::isISOControl)) {
            throw new SeedException(where + ": a user is a login name (no '/', '\\' or ':') or uid:<uid>");
        }
        return user;
    }

    // ---- helpers ----

    static String impliedType(String path) {
        int dot = path.lastIndexOf('.');
        String extension = dot < 0 || dot < path.lastIndexOf('/') ? "" : path.substring(dot + 1);
        return TYPES.getOrDefault(extension.toLowerCase(Locale.ROOT), "application/octet-stream");
    }

    /**
     * The entry's own attributes (a link is never followed): refused when it is a link, or not what is expected
     * ({@code folder} true: a folder, false: a regular file, null: either).
     */
    private static BasicFileAttributes kind(Path entry, Boolean folder) throws SeedException, IOException {
        BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            throw new SeedException(entry + ": is a symbolic link; a seed holds only real files and folders"
                    + " (local-cloud follows no link in a seed); put a copy of what it points to there instead");
        }
        boolean ok = folder == null ? attributes.isDirectory() || attributes.isRegularFile()
                : folder ? attributes.isDirectory() : attributes.isRegularFile();
        if (!ok) {
            throw new SeedException(entry + ": must be " + (folder == null ? "a regular file or a folder"
                    : folder ? "a folder" : "a regular file") + "; a seed holds nothing else");
        }
        return attributes;
    }

    private static long size(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
    }

    private static JsonNode parse(Path file) throws SeedException, IOException {
        kind(file, false);
        long size = size(file);
        if (size > MAX_JSON_BYTES) {
            throw new SeedException(file + ": is " + size + " bytes; a seed's JSON files hold at most "
                    + MAX_JSON_BYTES + " (64 MiB); put large data in files/");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes((int) MAX_JSON_BYTES + 1);
        }
        try (JsonParser parser = ItemJson.MAPPER.createParser(bytes)) {
            try {
                JsonNode node = ItemJson.MAPPER.readTree(parser);
                if (node == null || node.isMissingNode()) {
                    throw new SeedException(file + ": is empty; it must hold a JSON object");
                }
                if (parser.nextToken() != null) {
                    throw new SeedException(file + ": holds more after its JSON object; it must hold one object");
                }
                return node;
            } catch (JsonProcessingException e) {
                throw new SeedException(file + ": " + describe(e, parser));
            }
        }
    }

    /** What is wrong and where; a nesting refusal has no location of its own, so the parser's is used. */
    private static String describe(JsonProcessingException e, JsonParser parser) {
        JsonLocation at = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
        String where = " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        if (e instanceof StreamConstraintsException) {
            return "nests deeper than " + ItemJson.MAX_DEPTH + " levels" + where + "; the db function takes at most"
                    + " 64 levels in an event, so flatten the item";
        }
        return "is not valid JSON (" + e.getOriginalMessage() + where + ")";
    }

    private static List<Path> children(Path folder) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            stream.forEach(entries::add);
        }
        entries.sort(null);
        return entries;
    }
}
