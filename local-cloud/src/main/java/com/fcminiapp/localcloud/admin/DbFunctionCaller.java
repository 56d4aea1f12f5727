package com.fcminiapp.localcloud.admin;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.Condition;
import com.alicloud.openservices.tablestore.model.DeleteRowRequest;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.RowDeleteChange;
import com.alicloud.openservices.tablestore.model.RowExistenceExpectation;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.fcapi.FcError;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Calls the db function for one user as that user's client would: a session for the uid is written to the session
 * table, the event runs through the function's own handler (every rule and the one item encoding apply), and the
 * session is deleted again whatever the outcome. Its id never leaves this class.
 */
public final class DbFunctionCaller {

    /** Invokes the db function with an event and returns its answer. */
    public interface Invoker {
        byte[] invoke(byte[] event) throws FcError;
    }

    /** Long enough for the calls of one import, its check or an edit; the row is deleted right after it anyway. */
    private static final Duration SESSION_LIFETIME = Duration.ofMinutes(30);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, Integer> STATUS = Map.of("INVALID_ARGUMENT", 400, "NOT_FOUND", 404,
            "CONFLICT", 409, "PAYLOAD_TOO_LARGE", 413, "UNAUTHENTICATED", 401, "UPSTREAM_UNAVAILABLE", 503,
            "PERMISSION_DENIED", 403);

    private final SyncClient client;
    private final String sessionTable;
    private final Invoker invoker;
    private final Clock clock;

    DbFunctionCaller(SyncClient client, String sessionTable, Invoker invoker, Clock clock) {
        this.client = client;
        this.sessionTable = sessionTable;
        this.invoker = invoker;
        this.clock = clock;
    }

    /** Runs {@code event} (without {@code sid}) as {@code uid}; the answer's {@code data}, or its error as an FcError. */
    JsonNode call(String uid, ObjectNode event) throws FcError {
        return callAll(uid, List.of(event)).get(0);
    }

    /** Runs {@code event} as {@code uid}; the whole answer ({@code data}, and {@code next} for a query). */
    JsonNode callWhole(String uid, ObjectNode event) throws FcError {
        return this.<JsonNode, RuntimeException>inSession(uid, true, session -> session.call(event));
    }

    /** Runs {@code events} in order as {@code uid} in one session; stops at the first error and throws it. */
    List<JsonNode> callAll(String uid, List<ObjectNode> events) throws FcError {
        return this.<List<JsonNode>, RuntimeException>inSession(uid, session -> {
            List<JsonNode> answers = new ArrayList<>();
            for (ObjectNode event : events) {
                answers.add(session.call(event));
            }
            return answers;
        });
    }

    /** Calls the db function within one session; each call answers the event's {@code data} or throws its error. */
    interface Session {
        JsonNode call(ObjectNode event) throws FcError;
    }

    /** What runs within a session; it may refuse with an exception of its own ({@code E}). */
    interface Work<T, E extends Exception> {
        T run(Session session) throws FcError, E;
    }

    /** Runs {@code work} with a session of {@code uid} that exists only while it runs. */
    <T, E extends Exception> T inSession(String uid, Work<T, E> work) throws FcError, E {
        return inSession(uid, false, work);
    }

    /** As above; {@code whole}: the session's calls answer the whole answer, not its {@code data}. */
    private <T, E extends Exception> T inSession(String uid, boolean whole, Work<T, E> work) throws FcError, E {
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        String sessionId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        PrimaryKey key = PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("id", PrimaryKeyValue.fromString(sha256Hex(sessionId))).build();
        RowPutChange put = new RowPutChange(sessionTable, key);
        long now = clock.millis();
        put.addColumn(new Column("uid", ColumnValue.fromString(uid)));
        put.addColumn(new Column("createdAt", ColumnValue.fromLong(now)));
        put.addColumn(new Column("expiresAt", ColumnValue.fromLong(now + SESSION_LIFETIME.toMillis())));
        put.setCondition(new Condition(RowExistenceExpectation.EXPECT_NOT_EXIST));
        ConsoleData.tablestore(() -> client.putRow(new PutRowRequest(put)));
        try {
            return work.run(event -> {
                ObjectNode withSession = event.deepCopy();
                withSession.put("sid", sessionId);
                JsonNode answer = answer(invoker.invoke(ItemJson.write(withSession)));
                return whole ? answer : answer.path("data");
            });
        } finally {
            RowDeleteChange delete = new RowDeleteChange(sessionTable, key);
            delete.setCondition(new Condition(RowExistenceExpectation.IGNORE));
            ConsoleData.tablestore(() -> client.deleteRow(new DeleteRowRequest(delete)));
        }
    }

    /** The answer; its {@code error} as an FcError. */
    private static JsonNode answer(byte[] output) throws FcError {
        JsonNode answer = ItemJson.read(output);
        JsonNode error = answer.path("error");
        if (error.isObject()) {
            String code = error.path("code").asText("INTERNAL");
            throw new FcError(STATUS.getOrDefault(code, 500), code, error.path("message").asText());
        }
        return answer;
    }

    static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte b : digest) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
