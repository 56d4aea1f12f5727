package com.fcminiapp.localcloud.admin;

import com.alicloud.openservices.tablestore.model.Row;
import com.aliyun.oss.model.OSSObjectSummary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.fcapi.FcError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Writes the stand-ins' rows and files as a seed folder ({@link SeedFolder}'s format) into a new folder. A file
 * goes to {@code files/<user>/<path>} when every segment of its path can be a file or folder name anywhere and no
 * other path of the user claims the same name ({@link #portable}, {@link #natural}); any other file (a file and a
 * folder of the same name, a segment over 255 bytes, a name Windows refuses, names equal but for case or Unicode
 * normalization, a name this file system refuses) goes to {@code blobs/<sha-256 hex of its key>}, and files.json
 * names its path. So every path a user may store is exported, and an import reads each back at its path.
 */
final class SeedExport {

    /** The longest name of a file or folder that Linux, macOS and Windows all take. */
    private static final int MAX_NAME_BYTES = 255;
    private static final Pattern WINDOWS_DEVICE = Pattern.compile("(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])(\\..*)?");
    private static final String REFUSED_CHARACTERS = "<>:\"|?*\\/";

    private final ConsoleData data;
    private final Path dir;
    private final Function<String, String> userKey;
    private final ObjectNode listing = ItemJson.MAPPER.createObjectNode();

    private SeedExport(ConsoleData data, Path dir, Function<String, String> userKey) {
        this.data = data;
        this.dir = dir;
        this.userKey = userKey;
    }

    /** Writes every user's rows and files into the empty folder {@code dir}; {@code userKey} names a uid's user. */
    static void write(ConsoleData data, Path dir, Function<String, String> userKey) throws IOException, FcError {
        SeedExport export = new SeedExport(data, dir, userKey);
        export.writeTables();
        export.writeFiles();
    }

    private void writeTables() throws IOException, FcError {
        Path tables = Files.createDirectories(dir.resolve(SeedFolder.TABLES));
        for (String table : data.dataTables()) {
            Map<String, List<ObjectNode>> users = new TreeMap<>();
            for (Row row : data.rowsOf(table, null)) {
                String uid = ConsoleData.uidOf(row);
                if (!SeedCheck.isScratch(uid)) {
                    String id = row.getPrimaryKey().getPrimaryKeyColumn("id").getValue().asString();
                    users.computeIfAbsent(userKey.apply(uid), u -> new ArrayList<>())
                            .add(ItemJson.item(id, row.getColumns(), false, data.arrayFields(table)));
                }
            }
            ObjectNode json = ItemJson.MAPPER.createObjectNode();
            users.forEach((user, items) -> json.putArray(user).addAll(items));
            Files.write(tables.resolve(table + ".json"), ItemJson.pretty(json));
        }
    }

    private void writeFiles() throws IOException, FcError {
        Map<String, Map<String, String>> byUid = new TreeMap<>();
        for (OSSObjectSummary file : data.allFiles(null)) {
            String uid = ConsoleData.uidOfKey(file.getKey());
            if (!SeedCheck.isScratch(uid)) {
                String path = file.getKey().substring(ConsoleData.FILES_PREFIX.length() + uid.length() + 1);
                byUid.computeIfAbsent(uid, u -> new TreeMap<>()).put(path, file.getKey());
            }
        }
        for (Map.Entry<String, Map<String, String>> user : byUid.entrySet()) {
            String key = userKey.apply(user.getKey());
            Set<String> natural = natural(user.getValue().keySet());
            for (Map.Entry<String, String> file : user.getValue().entrySet()) {
                writeFile(key, file.getKey(), file.getValue(), natural.contains(file.getKey()));
            }
        }
        if (listing.size() > 0) {
            Files.write(dir.resolve(SeedFolder.FILES_JSON), ItemJson.pretty(sorted(listing)));
        }
    }

    private void writeFile(String user, String path, String key, boolean natural) throws IOException, FcError {
        String type = data.metadata(key).getContentType();
        boolean placed = natural && placeNaturally(user, path, key);
        ObjectNode entry = ItemJson.MAPPER.createObjectNode();
        if (type != null && !type.equals(SeedFolder.impliedType(path))) {
            entry.put("contentType", type);
        }
        if (!placed) {
            String blob = DbFunctionCaller.sha256Hex(key);
            Files.createDirectories(dir.resolve(SeedFolder.BLOBS));
            data.download(key, dir.resolve(SeedFolder.BLOBS).resolve(blob));
            entry.put("blob", blob);
        }
        if (entry.size() > 0) {
            if (!listing.has(user)) {
                listing.putObject(user);
            }
            ((ObjectNode) listing.get(user)).set(path, entry);
        }
    }

    /** Writes the file at {@code files/<user>/<path>}; false when this file system refuses that name. */
    private boolean placeNaturally(String user, String path, String key) throws IOException, FcError {
        Path target = null;
        try {
            Path folder = dir.resolve(SeedFolder.FILES).resolve(user);
            String[] segments = path.split("/", -1);
            for (int i = 0; i < segments.length - 1; i++) {
                folder = folder.resolve(segments[i]);
            }
            Files.createDirectories(folder);
            target = folder.resolve(segments[segments.length - 1]);
            data.download(key, target);
            return true;
        } catch (FileSystemException | InvalidPathException refused) {
            // a name this file system does not take (too long here, reserved, ...): the file goes to blobs/
            if (target != null) {
                Files.deleteIfExists(target);
            }
            return false;
        }
    }

    /**
     * The paths (of one user) that can be files of their own: every segment {@link #portable}, and no other path
     * of the user taking one of their names as a file where they need a folder (or the reverse), or taking a name
     * that differs only in case or Unicode normalization (one file on macOS and Windows). Paths are taken in
     * order, so the result is the same on every machine.
     */
    static Set<String> natural(Set<String> paths) {
        Map<String, String> taken = new HashMap<>();
        Set<String> natural = new TreeSet<>();
        for (String path : new TreeSet<>(paths)) {
            String[] segments = path.split("/", -1);
            List<String[]> claims = new ArrayList<>();
            StringBuilder prefix = new StringBuilder();
            boolean fits = true;
            for (int i = 0; i < segments.length && fits; i++) {
                prefix.append(i == 0 ? "" : "/").append(segments[i]);
                String claim = (i == segments.length - 1 ? "file:" : "folder:") + prefix;
                String folded = fold(prefix.toString());
                fits = portable(segments[i]) && claim.equals(taken.getOrDefault(folded, claim));
                claims.add(new String[] {folded, claim});
            }
            if (fits) {
                claims.forEach(c -> taken.put(c[0], c[1]));
                natural.add(path);
            }
        }
        return natural;
    }

    /**
     * Whether {@code name} can be a file or folder name on Linux, macOS and Windows: 1 to 255 UTF-8 bytes, none of
     * {@code < > : " | ? * \ /} or control characters, not ending in a dot or a space, no Windows device name.
     */
    static boolean portable(String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_NAME_BYTES || name.equals(".") || name.equals("..") || name.endsWith(".")
                || name.endsWith(" ") || WINDOWS_DEVICE.matcher(name).matches()) {
            return false;
        }
        // a lone surrogate has no UTF-8 form: no file system can hold the name as it is
        boolean encodable = name.equals(new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        return encodable && name.chars().noneMatch(c -> Character.isISOControl(c) || REFUSED_CHARACTERS.indexOf(c) >= 0);
    }

    private static String fold(String path) {
        return Normalizer.normalize(path, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    /** files.json with users and paths in order, each entry's fields by name: stable for git. */
    private static ObjectNode sorted(ObjectNode listing) {
        ObjectNode out = ItemJson.MAPPER.createObjectNode();
        names(listing).forEach(user -> {
            ObjectNode paths = out.putObject(user);
            names(listing.get(user)).forEach(path -> {
                JsonNode entry = listing.get(user).get(path);
                ObjectNode fields = paths.putObject(path);
                names(entry).forEach(name -> fields.set(name, entry.get(name)));
            });
        });
        return out;
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
