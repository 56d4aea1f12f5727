package com.fcminiapp.kit.testing;

import com.alicloud.openservices.tablestore.SyncClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.common.session.SessionIds;
import com.fcminiapp.common.session.SessionRecord;
import com.fcminiapp.common.session.TablestoreSessionStore;
import com.fcminiapp.common.tables.TableDeclaration;
import com.fcminiapp.common.tables.TablesDeclaration;
import com.fcminiapp.common.tablestore.SearchIndexProvisioner;
import com.fcminiapp.common.tablestore.TableProvisioner;
import com.fcminiapp.common.users.TablestoreUserStore;
import com.fcminiapp.kit.AppHandler;
import com.fcminiapp.localcloud.runtime.LocalContext;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.oss.OssStandIn;
import com.fcminiapp.localcloud.standin.tablestore.TablestoreStandIn;
import com.fcminiapp.localcloud.testing.MutableClock;
import com.fcminiapp.localcloud.testing.TestContexts;
import com.fcminiapp.localcloud.testing.UploadForms;
import org.h2.mvstore.MVStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * An app function's test cloud: local-cloud's Tablestore and OSS stand-ins in this JVM on loopback, reached through
 * the real SDKs, with the kit's variables pointing at them, sessions written through the real session store and a
 * clock the test moves. A test module using it names local-cloud and its test-jar as test dependencies too.
 * <pre>
 * try (KitTestCloud cloud = KitTestCloud.start("checkins")) {
 *     CheckinHandler handler = new CheckinHandler(cloud.env(), cloud.clock());
 *     String sid = cloud.login("alice");
 *     JsonNode answer = cloud.invoke(handler, "{\"sid\":\"" + sid + "\",\"input\":{}}");
 * }
 * </pre>
 */
public final class KitTestCloud implements AutoCloseable {

    public static final String INSTANCE = "miniapp";
    public static final String BUCKET = "miniapp-files";
    /** The session lifetime the cloud's sessions get (the kit's default, SESSION_TTL_SECONDS unset). */
    public static final Duration SESSION_TTL = Duration.ofSeconds(604800);
    /** The users table (the kit's default, USERS_TABLE unset). */
    public static final String USERS_TABLE = "miniapp_users";

    private final CredentialRegistry registry = CredentialRegistry.inMemory();
    private volatile CredentialRegistry.Credential executionKey;
    private final TablestoreStandIn tablestore;
    private final OssStandIn oss;
    private final Path ossRoot;
    private final MutableClock clock = new MutableClock(Instant.now());
    private final SyncClient admin;
    private final TablestoreSessionStore sessions;
    private final TablestoreUserStore users;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Set<AppHandler> initialized = Collections.synchronizedSet(
            Collections.newSetFromMap(new IdentityHashMap<>()));

    private KitTestCloud(String dataTables, List<String> appTables) throws IOException {
        executionKey = registry.issueTemporary("acs:ram::1:role/fc-app", "fc-app", null, Duration.ofHours(6));
        CredentialRegistry.Credential adminKey = registry.createPermanent("LTAI");
        // queries see writes at once: a test asserts what a query returns, not the index's lag
        tablestore = new TablestoreStandIn(0, registry, INSTANCE, new MVStore.Builder().open()).start()
                .searchLag(Duration.ZERO);
        ossRoot = Files.createTempDirectory("kit-oss");
        oss = new OssStandIn(0, registry, ossRoot).start();
        oss.createBucket(BUCKET);
        env.put("TABLESTORE_ENDPOINT", tablestore.endpoint());
        env.put("TABLESTORE_INSTANCE", INSTANCE);
        env.put("TABLESTORE_AUTO_CREATE", "true");
        env.put("APP_TABLES", String.join(",", appTables));
        if (dataTables != null) {
            env.put("DATA_TABLES", dataTables);
        }
        env.put("OSS_ENDPOINT", oss.endpoint());
        env.put("OSS_BUCKET", BUCKET);
        env.put("UPSTREAM_TIMEOUT_MS", "3000");
        admin = new SyncClient(tablestore.endpoint(), adminKey.accessKeyId, adminKey.accessKeySecret, INSTANCE);
        TablestoreSessionStore.ensureTable(new TableProvisioner(admin), "session", SESSION_TTL);
        sessions = new TablestoreSessionStore(admin, "session");
        // the session function creates the users table; app functions only read it
        TablestoreUserStore.ensureTable(new TableProvisioner(admin), USERS_TABLE);
        users = new TablestoreUserStore(admin, USERS_TABLE);
        provision(dataTables == null ? (appTables.isEmpty() ? null : TablesDeclaration.of(appTables))
                : TablesDeclaration.parse(dataTables));
    }

    /**
     * Creates each declared table and its search index, as the deployment does before any function runs (ROS, or
     * the db function's initializer): the kit's initializer creates missing tables but no index.
     */
    private void provision(TablesDeclaration tables) {
        if (tables == null) {
            return;
        }
        TableProvisioner provisioner = new TableProvisioner(admin);
        SearchIndexProvisioner indexes = new SearchIndexProvisioner(admin);
        for (TableDeclaration table : tables.tables()) {
            provisioner.ensureTable(table.name(), List.of("uid", "id"), null);
            indexes.ensureIndex(table);
        }
    }

    /**
     * Starts the stand-ins; {@code appTables} become APP_TABLES (private tables, created with their search indexes;
     * the function's initializer finds them).
     */
    public static KitTestCloud start(String... appTables) {
        return declared(null, appTables);
    }

    /**
     * As {@link #start}, with {@code dataTables} (the deployment's tables.json, compact, or null for none) as the
     * kit's DATA_TABLES: it gives the tables' modes and indexes, and each of {@code appTables} must be declared in it.
     * Every declared table is created with its search index.
     */
    public static KitTestCloud declared(String dataTables, String... appTables) {
        try {
            return new KitTestCloud(dataTables, List.of(appTables));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Tablestore stand-in (its search lag is 0; set another with {@code searchLag}). */
    public TablestoreStandIn tablestore() {
        return tablestore;
    }

    /** The kit's variables pointing at the stand-ins (a new map each time: change it freely). */
    public Map<String, String> env() {
        return new HashMap<>(env);
    }

    /** The clock to hand the handler ({@code new MyHandler(env, clock)}) and move for expiry. */
    public MutableClock clock() {
        return clock;
    }

    /** The stable uid of {@code user} ({@code 2088} and 12 digits, like an Alipay user id). */
    public String uid(String user) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
            long n = 0;
            for (int i = 0; i < 8; i++) {
                n = (n << 8) | (digest[i] & 0xff);
            }
            return "2088" + String.format("%012d", Math.floorMod(n, 1_000_000_000_000L));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new live session of {@code user} (written through the real session store); its session id. */
    public String login(String user) {
        String sid = SessionIds.newId();
        Instant now = clock.instant();
        sessions.create(new SessionRecord(SessionIds.hash(sid), uid(user), now, now.plus(SESSION_TTL)));
        return sid;
    }

    /**
     * Stores {@code mobile} as {@code user}'s verified number, as the session function's phone action does after
     * checking Alipay's signature; {@code caller.phone()} then reads it.
     */
    public void sharePhone(String user, String mobile) {
        users.setPhone(uid(user), mobile, clock.instant());
    }

    /** Ends the session, as the session function's logout does. */
    public void logout(String sid) {
        sessions.delete(SessionIds.hash(sid));
    }

    /** Makes this one session expire now (the others stay live). */
    public void expire(String sid) {
        String hash = SessionIds.hash(sid);
        SessionRecord live = sessions.find(hash).orElseThrow(() -> new IllegalArgumentException("no such session"));
        sessions.delete(hash);
        sessions.create(new SessionRecord(hash, live.uid(), live.createdAt(), clock.instant()));
    }

    /** Moves the clock past every session's expiry. */
    public void expireAll() {
        clock.advance(SESSION_TTL.plusSeconds(1));
    }

    /** The event {@code {"sid": sid, "input": input}} (input as JSON text; null for none). */
    public String event(String sid, String inputJson) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("sid", sid);
        if (inputJson != null) {
            event.set("input", parse(inputJson.getBytes(StandardCharsets.UTF_8)));
        }
        return new String(Json.write(event), StandardCharsets.UTF_8);
    }

    /**
     * Invokes {@code handler} with {@code eventJson} as FC does: its initializer the first time (a failure is thrown),
     * then handleRequest with a fresh context and request id; the answer parsed.
     */
    public JsonNode invoke(AppHandler handler, String eventJson) {
        return invoke(handler, eventJson.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #invoke(AppHandler, String)} with the event's raw bytes (malformed or oversized ones too). */
    public JsonNode invoke(AppHandler handler, byte[] event) {
        initialize(handler);
        return request(handler, event);
    }

    /**
     * handleRequest alone, as FC calls a function that has no initializer configured (the first request builds the
     * instance); the answer parsed.
     */
    public JsonNode request(AppHandler handler, String eventJson) {
        return request(handler, eventJson.getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode request(AppHandler handler, byte[] event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, context());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parse(out.toByteArray());
    }

    /** Runs the handler's initializer, once per handler. */
    public void initialize(AppHandler handler) {
        if (!initialized.contains(handler)) {
            handler.initialize(context());
            initialized.add(handler);
        }
    }

    /** FC's PreStop on the handler. */
    public void preStop(AppHandler handler) {
        handler.preStop(context());
    }

    /** A fresh FC context (new request id) with the execution key, logging into {@link #logLines()}. */
    public LocalContext context() {
        return TestContexts.create(executionKey, logLines);
    }

    /** Every line logged on the FC logger of this cloud's contexts, in order. */
    public List<String> logLines() {
        return List.copyOf(logLines);
    }

    /** The AccessKey id of the execution key the contexts hand out (the function's role, as FC hands it). */
    public String executionKeyId() {
        return executionKey.accessKeyId;
    }

    /** Replaces the execution key, as FC rotates it: the old one stops working, new contexts carry the new one. */
    public String rotateExecutionKey() {
        CredentialRegistry.Credential old = executionKey;
        executionKey = registry.issueTemporary("acs:ram::1:role/fc-app", "fc-app", null, Duration.ofHours(6));
        registry.remove(old.accessKeyId);
        return executionKey.accessKeyId;
    }

    /** A Tablestore client with the owner's key, to look at stored rows. */
    public SyncClient admin() {
        return admin;
    }

    /** The OSS stand-in's endpoint (upload forms are posted to {@code <endpoint>/<bucket>}). */
    public String ossEndpoint() {
        return oss.endpoint();
    }

    /**
     * Posts {@code file} through an {@code uploadPolicy} form (the function's {@code data}) to the OSS stand-in as
     * {@code my.uploadFile} does; the HTTP status (200 when stored, 403 when the form does not allow it).
     */
    public int upload(JsonNode form, byte[] file) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(form.path("url").asText())).timeout(TIMEOUT)
                .header("Content-Type", UploadForms.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(UploadForms.body(form, "f.bin",
                        form.path("fields").path("Content-Type").asText("application/octet-stream"), file)))
                .build();
        return send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** GETs a {@code downloadUrl} answer's url: the file's bytes, or null when the store refuses (not 200). */
    public byte[] download(String url) {
        HttpResponse<byte[]> got = send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return got.statusCode() == 200 ? got.body() : null;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode parse(byte[] json) {
        try {
            return Json.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        admin.shutdown();
        tablestore.close();
        oss.close();
        try (Stream<Path> files = Files.walk(ossRoot)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
