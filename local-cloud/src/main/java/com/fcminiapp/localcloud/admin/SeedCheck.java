package com.fcminiapp.localcloud.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.fcapi.FcError;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a whole seed through the db function before anything of it is written, so that the rules it meets are the
 * db function's own code (ItemCodec, FilePaths, FileService: names, ids, sizes, nesting, numbers, Unicode, paths
 * with their percent-decoding, UPLOAD_MAX_BYTES, content types) and not a copy that could drift from it. local-cloud
 * is built before the functions and cannot call that code directly, so it invokes the function as a client would,
 * as a scratch user that no one else is: every item is {@code put} into that user's rows, and every file gets an
 * {@code uploadPolicy} for its path, type and size (an upload form; nothing is stored). The scratch user's rows are
 * removed afterwards, whatever happened.
 */
final class SeedCheck {

    /** Scratch users' uids start with this; no Alipay uid does, and a seed may not name one. */
    static final String SCRATCH_PREFIX = "local-cloud-seed-check-";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** What the db function answers for a request it refuses: the seed's fault, not local-cloud's. */
    private static final Set<String> REFUSALS = Set.of("INVALID_ARGUMENT", "PAYLOAD_TOO_LARGE");

    /** How a file is stored, as the db function's upload form for it pins it. */
    static final class Stored {
        final String contentType;
        /** {@code attachment}, or null when the form lets it be shown in place. */
        final String contentDisposition;

        Stored(String contentType, String contentDisposition) {
            this.contentType = contentType;
            this.contentDisposition = contentDisposition;
        }
    }

    private final ConsoleData data;

    SeedCheck(ConsoleData data) {
        this.data = data;
    }

    static boolean isScratch(String uid) {
        return uid.startsWith(SCRATCH_PREFIX);
    }

    /**
     * Checks every item and file of {@code seed}; answers, per uid and path, how each file is to be stored. A refusal
     * names the seed's file and carries the db function's message.
     */
    Map<String, Map<String, Stored>> check(SeedFolder.Seed seed) throws SeedFolder.SeedException, FcError {
        String scratch = SCRATCH_PREFIX + hex(16);
        try {
            return data.db().<Map<String, Map<String, Stored>>, SeedFolder.SeedException>inSession(scratch, session -> {
                Map<String, Map<String, Stored>> stored = new HashMap<>();
                for (SeedFolder.SeedUser user : seed.users.values()) {
                    checkRows(session, user);
                    stored.put(user.uid, checkFiles(session, user));
                }
                return stored;
            });
        } finally {
            removeScratch(scratch);
        }
    }

    /**
     * Removes the scratch user's rows, trying again on a stand-in failure; what is still left then is no one's (no
     * listing or export shows a scratch user) and is removed by the next import or start.
     */
    void removeScratch(String scratch) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                data.deleteAllRows(scratch);
                return;
            } catch (FcError e) {
                // a stand-in failing for a moment: try again
            }
        }
    }

    /** Removes what checks left that could not clean up after themselves (a stand-in failing, a killed process). */
    void removeLeftovers() throws FcError {
        for (String scratch : data.uidsStartingWith(SCRATCH_PREFIX)) {
            data.deleteAllRows(scratch);
        }
    }

    private static void checkRows(DbFunctionCaller.Session session, SeedFolder.SeedUser user)
            throws FcError, SeedFolder.SeedException {
        for (Map.Entry<String, List<SeedFolder.SeedItem>> table : user.rows.entrySet()) {
            for (SeedFolder.SeedItem item : table.getValue()) {
                ObjectNode put = ItemJson.MAPPER.createObjectNode().put("op", "put").put("table", table.getKey());
                put.set("obj", item.item);
                call(session, put, item.where);
            }
        }
    }

    private static Map<String, Stored> checkFiles(DbFunctionCaller.Session session, SeedFolder.SeedUser user)
            throws FcError, SeedFolder.SeedException {
        Map<String, Stored> stored = new HashMap<>();
        for (Map.Entry<String, SeedFolder.SeedFile> file : user.files.entrySet()) {
            SeedFolder.SeedFile seedFile = file.getValue();
            // the size as the upload form's limit: above UPLOAD_MAX_BYTES the db function refuses the form, as it
            // refuses a client's, and the file was never read
            ObjectNode policy = ItemJson.MAPPER.createObjectNode().put("op", "uploadPolicy").put("path", file.getKey())
                    .put("contentType", seedFile.contentType).put("maxBytes", Math.max(1, seedFile.size));
            JsonNode fields = call(session, policy, seedFile.where + " (" + user.key + "'s file '" + file.getKey()
                    + "', " + seedFile.size + " bytes, " + seedFile.contentType + ")").path("fields");
            stored.put(file.getKey(), new Stored(fields.path("Content-Type").asText(seedFile.contentType),
                    fields.path("Content-Disposition").isTextual() ? fields.path("Content-Disposition").asText()
                            : null));
        }
        return stored;
    }

    private static JsonNode call(DbFunctionCaller.Session session, ObjectNode event, String where)
            throws FcError, SeedFolder.SeedException {
        try {
            return session.call(event);
        } catch (FcError e) {
            if (REFUSALS.contains(e.code())) {
                throw new SeedFolder.SeedException(where + ": the db function refuses it: " + e.getMessage());
            }
            throw e;
        }
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        StringBuilder out = new StringBuilder();
        for (byte b : random) {
            out.append(String.format("%02x", b));
        }
        return out.toString();
    }
}
