package com.fcminiapp.localcloud.admin;

import com.alicloud.openservices.tablestore.model.Row;
import com.aliyun.oss.model.OSSObjectSummary;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.fcapi.FcError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Seed and snapshot: {@link #importSeed} puts a checked seed folder ({@link SeedFolder}) into the stand-ins, and
 * {@link #export} writes their state in the same format. An import replaces the rows (every data table) and files of
 * each user the seed names and leaves every other user as it was; rows are written through the db function.
 */
public final class Snapshots {

    private final ConsoleData data;

    public Snapshots(ConsoleData data) {
        this.data = data;
    }

    /** Checks the whole folder first (nothing is written when it is refused), then imports it; returns the user count. */
    public int importSeed(Path dir) throws IOException, FcError {
        SeedFolder.Seed seed;
        try {
            seed = SeedFolder.read(dir.toAbsolutePath(), data.dataTables());
        } catch (SeedFolder.SeedException e) {
            throw new FcError(400, "INVALID_ARGUMENT", "seed refused, nothing imported: " + e.getMessage());
        }
        for (String user : seed.users()) {
            String uid = user.startsWith(SeedFolder.UID_PREFIX) ? user.substring(SeedFolder.UID_PREFIX.length())
                    : data.uidOfName(user);
            data.replaceRows(uid, seed.rows.getOrDefault(user, Map.of()));
            for (OSSObjectSummary file : data.allFiles(uid)) {
                data.deleteKey(file.getKey());
            }
            for (Map.Entry<String, SeedFolder.SeedFile> file : seed.files.getOrDefault(user, Map.of()).entrySet()) {
                data.putFile(uid, file.getKey(), Files.readAllBytes(file.getValue().source),
                        file.getValue().contentType);
            }
        }
        return seed.users().size();
    }

    /** Writes every user's rows and files into {@code dir}, which must be new or empty; returns it, absolute. */
    public Path export(Path dir) throws IOException, FcError {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target) && !isEmptyFolder(target)) {
            throw new FcError(400, "INVALID_ARGUMENT", "export folder " + target
                    + " is not empty; name a new or empty folder.");
        }
        Map<String, Map<String, List<ObjectNode>>> rows = new TreeMap<>();
        for (String table : data.dataTables()) {
            Map<String, List<ObjectNode>> users = new TreeMap<>();
            List<Row> all = new ArrayList<>();
            data.scan(table, null, all::add);
            for (Row row : all) {
                String id = row.getPrimaryKey().getPrimaryKeyColumn("id").getValue().asString();
                users.computeIfAbsent(userKey(ConsoleData.uidOf(row)), u -> new ArrayList<>())
                        .add(ItemJson.item(id, row.getColumns(), false));
            }
            rows.put(table, users);
        }
        Map<String, Map<String, SeedFolder.ExportedFile>> files = new TreeMap<>();
        for (OSSObjectSummary file : data.allFiles(null)) {
            String uid = ConsoleData.uidOfKey(file.getKey());
            String path = file.getKey().substring(ConsoleData.FILES_PREFIX.length() + uid.length() + 1);
            files.computeIfAbsent(userKey(uid), u -> new TreeMap<>()).put(path, new SeedFolder.ExportedFile(
                    data.fileContent(file.getKey()), data.contentType(file.getKey())));
        }
        Files.createDirectories(target);
        SeedFolder.write(target, rows, files);
        return target;
    }

    /** The login name, or {@code uid:<uid>} when none is known or it cannot name a folder. */
    private String userKey(String uid) {
        return data.nameOf(uid).filter(name -> !name.isEmpty() && !name.matches(".*[/\\\\:\\p{Cntrl}].*")
                && !name.equals(".") && !name.equals("..")).orElse(SeedFolder.UID_PREFIX + uid);
    }

    private static boolean isEmptyFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
