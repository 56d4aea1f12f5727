package com.fcminiapp.localcloud.admin;

import com.aliyun.oss.model.OSSObjectSummary;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.fcapi.FcError;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Seed and snapshot: {@link #importSeed} puts a seed folder ({@link SeedFolder}) into the stand-ins, and
 * {@link #export} writes their state in the same format ({@link SeedExport}). An import replaces the rows (every
 * data table) and files of each user the seed names and leaves every other user as it was. It writes nothing
 * unless the whole seed passes the db function's own rules ({@link SeedCheck}), and one that fails part way puts
 * every user it touched back as before ({@link ImportUndo}). An export appears whole or not at all.
 */
public final class Snapshots {

    private final ConsoleData data;
    private final ImportUndo undo;

    /** {@code dataDir}: local-cloud's data folder, where an import keeps what it replaces until it is done. */
    public Snapshots(ConsoleData data, Path dataDir) {
        this.data = data;
        this.undo = new ImportUndo(data, dataDir);
    }

    /**
     * Run at start, before anything else: puts back the users an import killed or failed part way had changed, and
     * removes what a killed seed check left. Answers a line for the console, or null when there was nothing to do.
     */
    public String recover() throws IOException, FcError {
        undo.deleteLeftovers();
        new SeedCheck(data).removeLeftovers();
        if (!undo.pending()) {
            return null;
        }
        try {
            undo.restore();
        } catch (IOException | FcError | RuntimeException e) {
            throw new FcError(503, "UPSTREAM_UNAVAILABLE", "an earlier seed import failed part way, and putting its"
                    + " users back failed again (" + describe(e) + "); their earlier rows and files are kept in "
                    + undo.folder() + "; fix the cause and start local-cloud again on this data folder");
        }
        return "an earlier seed import had failed part way: its users are back as they were before it";
    }

    /**
     * Reads and checks the whole folder (nothing is written when it is refused), then imports it; returns the user
     * count. The refusal names the seed's file and what to fix.
     */
    public int importSeed(Path dir) throws IOException, FcError {
        SeedFolder.Seed seed;
        Map<String, Map<String, SeedCheck.Stored>> stored;
        try {
            seed = SeedFolder.read(dir, data.dataTables(), data::uidFor);
            SeedCheck check = new SeedCheck(data);
            check.removeLeftovers();
            stored = check.check(seed);
        } catch (SeedFolder.SeedException e) {
            throw new FcError(400, "INVALID_ARGUMENT", "seed refused, nothing imported: " + e.getMessage());
        } catch (FcError e) {
            throw new FcError(e.status(), e.code(), "could not check the seed through the db function, nothing"
                    + " imported: " + e.getMessage());
        }
        if (undo.pending()) {
            throw new FcError(409, "CONFLICT", "an earlier import's undo is still in " + undo.folder()
                    + "; restart local-cloud, which puts those users back first, then import again");
        }
        try {
            undo.save(seed.users.keySet());
        } catch (IOException | FcError | RuntimeException e) {
            throw new FcError(503, "UPSTREAM_UNAVAILABLE", "could not keep the current rows and files of the seed's"
                    + " users before importing (" + describe(e) + "), nothing imported; fix the cause and import"
                    + " again");
        }
        try {
            for (SeedFolder.SeedUser user : seed.users.values()) {
                write(user, stored.get(user.uid));
            }
        } catch (IOException | FcError | RuntimeException e) {
            throw undone(e);
        }
        for (SeedFolder.SeedUser user : seed.users.values()) {
            if (user.name != null) {
                data.uidOfName(user.name);
            }
        }
        undo.drop();
        return seed.users.size();
    }

    /** Puts the users back after an import failed part way; the error says whether that worked. */
    private FcError undone(Exception failure) {
        String cause = describe(failure);
        try {
            undo.restore();
            return new FcError(503, "UPSTREAM_UNAVAILABLE", "seed import failed part way (" + cause + "); every user"
                    + " it had changed is back as before, nothing imported; fix the cause and import again");
        } catch (IOException | FcError | RuntimeException again) {
            return new FcError(503, "UPSTREAM_UNAVAILABLE", "seed import failed part way (" + cause + "), and putting"
                    + " its users back failed too (" + describe(again) + "); their earlier rows and files are kept in "
                    + undo.folder() + " and put back when local-cloud next starts on this data folder");
        }
    }

    private void write(SeedFolder.SeedUser user, Map<String, SeedCheck.Stored> stored) throws IOException, FcError {
        Map<String, List<ObjectNode>> rows = new TreeMap<>();
        user.rows.forEach((table, items) -> {
            List<ObjectNode> objects = new ArrayList<>();
            items.forEach(item -> objects.add(item.item));
            rows.put(table, objects);
        });
        data.replaceRows(user.uid, rows);
        for (OSSObjectSummary file : data.allFiles(user.uid)) {
            data.deleteKey(file.getKey());
        }
        for (Map.Entry<String, SeedFolder.SeedFile> file : user.files.entrySet()) {
            SeedCheck.Stored as = stored.get(file.getKey());
            Map<String, String> headers = new TreeMap<>();
            headers.put("Content-Type", as.contentType);
            if (as.contentDisposition != null) {
                headers.put("Content-Disposition", as.contentDisposition);
            }
            SeedFolder.SeedFile seedFile = file.getValue();
            try (InputStream in = new Exactly(Files.newInputStream(seedFile.source, LinkOption.NOFOLLOW_LINKS),
                    seedFile.size, seedFile.where)) {
                data.putFile(ConsoleData.fileKey(user.uid, file.getKey()), in, seedFile.size, headers, Map.of());
            }
        }
    }

    /**
     * Writes every user's rows and files into {@code dir}, which must be new or empty; returns it, absolute. The
     * export is written into a new folder beside it and renamed into place, so {@code dir} is either left as it
     * was (a failure removes what was written) or holds the whole export.
     */
    public Path export(Path dir) throws IOException, FcError {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(target) || (Files.exists(target) && !isEmptyFolder(target))) {
            throw new FcError(400, "INVALID_ARGUMENT", "export folder " + target
                    + " is not empty; name a new or empty folder.");
        }
        if (target.getParent() == null) {
            throw new FcError(400, "INVALID_ARGUMENT", "export folder " + target + " has no parent; name a folder.");
        }
        Path parent = Files.createDirectories(target.getParent());
        Path temp = Files.createDirectory(parent.resolve(Folders.unique("." + target.getFileName() + ".partial")));
        try {
            SeedExport.write(data, temp, this::userKey);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                // empty (checked above); a folder cannot be renamed onto an existing one everywhere
                Files.delete(target);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | FcError | RuntimeException e) {
            Folders.deleteQuietly(temp);
            throw e;
        }
        return target;
    }

    /** The login name, or {@code uid:<uid>} when none is known or it cannot name a folder everywhere. */
    private String userKey(String uid) {
        return data.nameOf(uid).filter(SeedExport::portable).orElse(SeedFolder.UID_PREFIX + uid);
    }

    private static boolean isEmptyFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static String describe(Exception e) {
        return e instanceof FcError ? e.getMessage()
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /**
     * A seed file's bytes, refused unless there are exactly as many as when the seed was checked: a file changed
     * since then would be stored unchecked (or cut short).
     */
    private static final class Exactly extends FilterInputStream {
        private final long size;
        private final String where;
        private long count;

        Exactly(InputStream in, long size, String where) {
            super(in);
            this.size = size;
            this.where = where;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (count == size) {
                return atEnd();
            }
            int n = super.read(buffer, offset, (int) Math.min(length, size - count));
            if (n < 0) {
                throw changed();
            }
            count += n;
            if (count == size) {
                atEnd();
            }
            return n;
        }

        /** At the size checked: the file must end here too. */
        private int atEnd() throws IOException {
            if (in.read() != -1) {
                throw changed();
            }
            return -1;
        }

        private IOException changed() {
            return new IOException(where + " changed since the seed was checked (" + size + " bytes then); import"
                    + " again");
        }
    }
}
