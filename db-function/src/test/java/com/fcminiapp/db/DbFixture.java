package com.fcminiapp.db;

import com.fcminiapp.localcloud.runtime.LocalContext;
import com.fcminiapp.localcloud.testing.TestContexts;
import com.fcminiapp.localcloud.testing.MutableClock;
import com.alicloud.openservices.tablestore.SyncClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.common.session.SessionIds;
import com.fcminiapp.common.session.SessionRecord;
import com.fcminiapp.common.session.TablestoreSessionStore;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.oss.OssStandIn;
import com.fcminiapp.localcloud.standin.tablestore.TablestoreStandIn;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The db function on the Tablestore and OSS stand-ins, through the real SDKs: a {@link DbHandler} with its own
 * environment and clock, an execution key (temporary, with a token, as FC hands it) and sessions written
 * through the real session store.
 */
final class DbFixture implements AutoCloseable, AfterAllCallback {

    static final String INSTANCE = "miniapp";
    static final String BUCKET = "miniapp-files";
    static final String TABLES = "todo_list,notes";
    private static final AtomicInteger USERS = new AtomicInteger();

    final CredentialRegistry registry = CredentialRegistry.inMemory();
    final CredentialRegistry.Credential executionKey;
    final CredentialRegistry.Credential adminKey;
    final TablestoreStandIn tablestore;
    final OssStandIn oss;
    final Path ossRoot;
    final MutableClock clock = new MutableClock(Instant.now());
    final DbHandler handler;
    final SyncClient admin;
    final TablestoreSessionStore sessions;
    final Map<String, String> env = new HashMap<>();

    DbFixture() {
        this(TABLES);
    }

    /** The db function with {@code dataTables} as DATA_TABLES (a declaration or a comma list), search lag 0. */
    DbFixture(String dataTables) {
        executionKey = registry.issueTemporary("acs:ram::1:role/fc-db", "fc-db", null, Duration.ofHours(6));
        adminKey = registry.createPermanent("LTAI");
        tablestore = new TablestoreStandIn(0, registry, INSTANCE, new MVStore.Builder().open()).start()
                .searchLag(Duration.ZERO);
        try {
            ossRoot = Files.createTempDirectory("db-oss");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        oss = new OssStandIn(0, registry, ossRoot).start();
        oss.createBucket(BUCKET);
        env.put("TABLESTORE_ENDPOINT", tablestore.endpoint());
        env.put("TABLESTORE_INSTANCE", INSTANCE);
        env.put("DATA_TABLES", dataTables);
        env.put("OSS_ENDPOINT", oss.endpoint());
        env.put("OSS_BUCKET", BUCKET);
        env.put("UPSTREAM_TIMEOUT_MS", "3000");
        handler = new DbHandler(env, clock);
        handler.initialize(context());
        admin = new SyncClient(tablestore.endpoint(), adminKey.accessKeyId, adminKey.accessKeySecret, INSTANCE);
        sessions = new TablestoreSessionStore(admin, "session");
    }

    LocalContext context() {
        return TestContexts.create(executionKey);
    }

    /** A new user with a live session: its uid and session id. */
    User newUser(String name) {
        String uid = name + USERS.incrementAndGet() + "x" + Long.toHexString(System.nanoTime());
        return login(uid);
    }

    User login(String uid) {
        String sid = SessionIds.newId();
        Instant now = clock.instant();
        sessions.create(new SessionRecord(SessionIds.hash(sid), uid, now, now.plus(Duration.ofDays(7))));
        return new User(uid, sid);
    }

    /** Invokes the handler with {@code event} as the event JSON. */
    ObjectNode invoke(ObjectNode event) {
        return invoke(Json.write(event), context());
    }

    ObjectNode invoke(byte[] event, LocalContext context) {
        return invoke(handler, event, context);
    }

    /** Invokes {@code target} (a handler of the test's own) with {@code event}. */
    static ObjectNode invoke(DbHandler target, byte[] event, LocalContext context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            target.handleRequest(new ByteArrayInputStream(event), out, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode answer = Json.parseObject(out.toByteArray());
        return (ObjectNode) answer;
    }

    static ObjectNode json(String text) {
        return Json.parseObject(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Registered as a static {@code @RegisterExtension} field, the fixture lives as long as its test class. */
    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        admin.shutdown();
        tablestore.close();
        oss.close();
    }

    /** A logged-in user. */
    static final class User {
        final String uid;
        final String sid;

        User(String uid, String sid) {
            this.uid = uid;
            this.sid = sid;
        }

        /** An event of this user: {@code {"sid": …, "op": op}} plus {@code fields}. */
        ObjectNode event(String op, ObjectNode fields) {
            ObjectNode event = JsonNodeFactory.instance.objectNode();
            event.put("sid", sid);
            event.put("op", op);
            if (fields != null) {
                event.setAll(fields);
            }
            return event;
        }

        ObjectNode event(String op, String fieldsJson) {
            return event(op, json(fieldsJson));
        }
    }
}
