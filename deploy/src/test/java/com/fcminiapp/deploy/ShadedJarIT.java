package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;
import com.fcminiapp.localcloud.standin.alipay.AlipayStandIn;
import com.fcminiapp.localcloud.standin.alipay.RsaKeyPair;
import com.fcminiapp.localcloud.standin.oss.OssStandIn;
import com.fcminiapp.localcloud.standin.sts.StsStandIn;
import com.fcminiapp.localcloud.standin.tablestore.TablestoreStandIn;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each shaded jar, alone in a class loader whose parent is the JDK's platform loader, runs real calls against the
 * stand-ins over HTTP: a login (Alipay RSA2 signing and signed-answer parsing, STS AssumeRole, Tablestore), then
 * db writes, reads and an OSS upload policy with the session it issued, then the error answers each SDK parses (Alipay
 * rejecting a code, STS refusing a role, OSS missing a bucket, Tablestore's failed conditions). What minimizing cut
 * too much fails here.
 * Timings are printed (cold start in this JVM), never asserted.
 */
class ShadedJarIT {

    private static final String ACCOUNT_ID = "1234567890123456";
    private static final String APP_ID = "2021000000000001";
    private static final String INSTANCE = "fcminiapp";
    private static final String BUCKET = "fc-miniapp-files";

    @TempDir
    static Path ossRoot;

    private static CredentialRegistry registry;
    private static Credential executionKey;
    private static RsaKeyPair appKeys;
    private static AlipayStandIn alipay;
    private static StsStandIn sts;
    private static TablestoreStandIn tablestore;
    private static OssStandIn oss;
    private static final List<String> logLines = new ArrayList<>();

    @BeforeAll
    static void startStandIns() {
        registry = CredentialRegistry.inMemory();
        executionKey = registry.createPermanent("LTAI");
        appKeys = RsaKeyPair.generate();
        alipay = new AlipayStandIn(0, APP_ID, appKeys.publicKeyX509Base64()).start();
        sts = new StsStandIn(0, registry, ACCOUNT_ID).start();
        tablestore = new TablestoreStandIn(0, registry, INSTANCE, MVStore.open(null)).start();
        oss = new OssStandIn(0, registry, ossRoot).start();
        oss.createBucket(BUCKET);
    }

    @AfterAll
    static void stopStandIns() {
        oss.close();
        tablestore.close();
        sts.close();
        alipay.close();
    }

    @Test
    void sessionJarLogsInAndDbJarServesTheSessionItIssued() throws Exception {
        Map<String, String> sessionEnv = new HashMap<>();
        sessionEnv.put("ALIPAY_APP_ID", APP_ID);
        sessionEnv.put("ALIPAY_PRIVATE_KEY", appKeys.privateKeyPkcs8Base64());
        sessionEnv.put("ALIPAY_PUBLIC_KEY", alipay.alipayPublicKey());
        sessionEnv.put("ALIPAY_GATEWAY", alipay.gatewayUrl());
        sessionEnv.put("STS_ROLE_ARN", sts.roleArn("fc-miniapp-invoke"));
        sessionEnv.put("STS_ENDPOINT", "http://" + sts.host());
        sessionEnv.put("TABLESTORE_ENDPOINT", tablestore.endpoint());
        sessionEnv.put("TABLESTORE_INSTANCE", INSTANCE);
        sessionEnv.put("DB_FUNCTION_NAME", "db");
        sessionEnv.put("DB_SERVICE_NAME", "fc-miniapp");
        sessionEnv.put("FC_REGION", "cn-hangzhou");
        sessionEnv.put("FC_ACCOUNT_ID", ACCOUNT_ID);
        // deleteAccount's files: the db function's bucket
        sessionEnv.put("OSS_ENDPOINT", oss.endpoint());
        sessionEnv.put("OSS_BUCKET", BUCKET);

        JsonNode login;
        Path sessionJar = DeployFiles.root().resolve("session-function/target/session-function.jar");
        // not closed: a handler that is not stopped (the broken ones below) keeps SDK threads that load classes
        URLClassLoader sessionLoader = DeployFiles.isolatedLoader(sessionJar);
        {
            ClassLoader loader = sessionLoader;
            Timer timer = new Timer("session-function.jar");
            Object handler = loader.loadClass("com.fcminiapp.session.SessionHttpEventHandler")
                    .getConstructor(Map.class).newInstance(sessionEnv);
            timer.lap("load handler");
            Object context = context(loader);
            initialize(loader, handler, context);
            timer.lap("initialize");
            login = invoke(loader, handler, context, "{\"authCode\":\"alice:first\"}");
            timer.lap("first login");
            JsonNode second = invoke(loader, handler, context, "{\"authCode\":\"bob:first\"}");
            timer.lap("second login");
            assertThat(second.path("userId").asText()).as("second login %s, log %s", second, logLines)
                    .isEqualTo(alipay.uidFor("bob"));
            // error paths load their own SDK classes (Alipay's error answer, its signature check): run them too
            JsonNode rejected = invoke(loader, handler, context, "{\"authCode\":\"no-such-code\"}");
            assertThat(rejected.path("error").path("code").asText()).as("rejected code %s", rejected)
                    .isEqualTo("AUTH_CODE_REJECTED");
            stopAndCheck(loader, handler, context, "{\"authCode\":\"alice:again\"}", timer);
        }
        assertThat(login.has("error")).as("login answer %s", login.path("error")).isFalse();
        assertThat(login.path("userId").asText()).isEqualTo(alipay.uidFor("alice"));
        assertThat(login.path("sessionId").asText()).hasSize(43);
        assertThat(login.path("sts").path("AccessKeyId").asText()).isNotBlank();
        String sessionId = login.path("sessionId").asText();

        Map<String, String> dbEnv = new HashMap<>();
        dbEnv.put("TABLESTORE_ENDPOINT", tablestore.endpoint());
        dbEnv.put("TABLESTORE_INSTANCE", INSTANCE);
        dbEnv.put("OSS_ENDPOINT", oss.endpoint());
        dbEnv.put("OSS_BUCKET", BUCKET);
        Path dbJar = DeployFiles.root().resolve("db-function/target/db-function.jar");
        URLClassLoader dbLoader = DeployFiles.isolatedLoader(dbJar);
        {
            ClassLoader loader = dbLoader;
            Timer timer = new Timer("db-function.jar");
            Object handler = loader.loadClass("com.fcminiapp.db.DbHandler").getConstructor(Map.class).newInstance(dbEnv);
            timer.lap("load handler");
            Object context = context(loader);
            initialize(loader, handler, context);
            timer.lap("initialize");
            JsonNode put = invoke(loader, handler, context,
                    "{\"sid\":\"" + sessionId + "\",\"op\":\"put\",\"obj\":{\"id\":\"t1\",\"title\":\"milk\",\"n\":[1,{\"a\":true}]}}");
            timer.lap("first put");
            assertThat(put.path("data").path("_version").asLong()).as("put answer %s", put.path("error")).isEqualTo(1);
            JsonNode get = invoke(loader, handler, context, "{\"sid\":\"" + sessionId + "\",\"op\":\"get\",\"id\":\"t1\"}");
            timer.lap("get");
            assertThat(get.path("data").path("title").asText()).isEqualTo("milk");
            assertThat(get.path("data").path("n").toString()).isEqualTo("[1,{\"a\":true}]");
            JsonNode list = invoke(loader, handler, context, "{\"sid\":\"" + sessionId + "\",\"op\":\"list\"}");
            assertThat(list.path("data")).hasSize(1);
            JsonNode upload = invoke(loader, handler, context,
                    "{\"sid\":\"" + sessionId + "\",\"op\":\"uploadPolicy\",\"path\":\"notes/a.txt\"}");
            timer.lap("upload policy");
            assertThat(upload.path("data").path("url").asText()).as("uploadPolicy answer %s", upload.path("error"))
                    .startsWith("http");
            JsonNode denied = invoke(loader, handler, context, "{\"sid\":\"not-a-session\",\"op\":\"list\"}");
            assertThat(denied.path("error").path("code").asText()).isEqualTo("UNAUTHENTICATED");
            // every other op, so each code path the jar ships is run once from the minimized jar
            String sid = "{\"sid\":\"" + sessionId + "\",";
            JsonNode update = invoke(loader, handler, context,
                    sid + "\"op\":\"update\",\"id\":\"t1\",\"set\":{\"done\":true},\"unset\":[\"n\"],\"version\":1}");
            assertThat(update.path("data").path("_version").asLong()).as("update answer %s", update).isEqualTo(2);
            JsonNode conflict = invoke(loader, handler, context,
                    sid + "\"op\":\"put\",\"obj\":{\"id\":\"t1\"},\"expect\":\"absent\"}");
            assertThat(conflict.path("error").path("code").asText()).isEqualTo("CONFLICT");
            assertThat(invoke(loader, handler, context, sid + "\"op\":\"remove\",\"id\":\"t1\",\"version\":2}")
                    .has("data")).isTrue();
            byte[] bytes = "hello".getBytes(StandardCharsets.UTF_8);
            com.aliyun.oss.OSS writer = new com.aliyun.oss.OSSClientBuilder().build(oss.endpoint(),
                    executionKey.accessKeyId, executionKey.accessKeySecret);
            try {
                writer.putObject(BUCKET, upload.path("data").path("fields").path("key").asText(),
                        new ByteArrayInputStream(bytes));
            } finally {
                writer.shutdown();
            }
            JsonNode files = invoke(loader, handler, context, sid + "\"op\":\"listFiles\",\"prefix\":\"notes/\"}");
            assertThat(files.path("data").path(0).path("path").asText()).as("listFiles %s", files).isEqualTo("notes/a.txt");
            JsonNode download = invoke(loader, handler, context, sid + "\"op\":\"downloadUrl\",\"path\":\"notes/a.txt\"}");
            assertThat(download.path("data").path("url").asText()).as("downloadUrl %s", download).startsWith("http");
            JsonNode removed = invoke(loader, handler, context, sid + "\"op\":\"removeFile\",\"path\":\"notes/a.txt\"}");
            assertThat(removed.has("data")).as("removeFile %s", removed).isTrue();
            JsonNode missing = invoke(loader, handler, context, sid + "\"op\":\"update\",\"id\":\"gone\",\"set\":{\"a\":1}}");
            assertThat(missing.path("error").path("code").asText()).as("update of a missing item %s", missing)
                    .isEqualTo("NOT_FOUND");
            JsonNode page = invoke(loader, handler, context,
                    sid + "\"op\":\"list\",\"prefix\":\"t\",\"reverse\":true,\"limit\":1}");
            assertThat(page.path("data")).as("list by prefix %s", page).isEmpty();
            stopAndCheck(loader, handler, context, sid + "\"op\":\"list\"}", timer);
            // OSS answering an error (a bucket that does not exist) parses its XML error body from the jar
            Map<String, String> noBucket = new HashMap<>(dbEnv);
            noBucket.put("OSS_BUCKET", "no-such-bucket");
            Object broken = loader.loadClass("com.fcminiapp.db.DbHandler").getConstructor(Map.class).newInstance(noBucket);
            JsonNode ossDown = invoke(loader, broken, context, sid + "\"op\":\"listFiles\"}");
            assertThat(ossDown.path("error").path("code").asText()).as("listFiles on a missing bucket %s", ossDown)
                    .isEqualTo("UPSTREAM_UNAVAILABLE");
        }
        {
            // refresh and logout, from the session jar again
            ClassLoader loader = sessionLoader;
            Object handler = loader.loadClass("com.fcminiapp.session.SessionHttpEventHandler")
                    .getConstructor(Map.class).newInstance(sessionEnv);
            Object context = context(loader);
            JsonNode refreshed = invoke(loader, handler, context,
                    "{\"action\":\"refresh\",\"sessionId\":\"" + sessionId + "\"}");
            assertThat(refreshed.path("sts").path("AccessKeyId").asText()).as("refresh %s", refreshed).isNotBlank();
            JsonNode out = invoke(loader, handler, context, "{\"action\":\"logout\",\"sessionId\":\"" + sessionId + "\"}");
            assertThat(out.path("loggedOut").asBoolean()).isTrue();
            // deleteAccount builds the OSS client and lists the user's folders from the jar (the db function made
            // its table above)
            String dave = invoke(loader, handler, context, "{\"authCode\":\"dave:first\"}").path("sessionId").asText();
            JsonNode deleted = invoke(loader, handler, context,
                    "{\"action\":\"deleteAccount\",\"sessionId\":\"" + dave + "\"}");
            assertThat(deleted.toString()).as("deleteAccount, log %s", logLines).isEqualTo("{\"deleted\":true}");
            // STS refusing AssumeRole (a role that does not exist) parses its error answer from the jar
            sts.setKnownRoles("fc-miniapp-invoke");
            Map<String, String> noRole = new HashMap<>(sessionEnv);
            noRole.put("STS_ROLE_ARN", sts.roleArn("no-such-role"));
            Object broken = loader.loadClass("com.fcminiapp.session.SessionHttpEventHandler")
                    .getConstructor(Map.class).newInstance(noRole);
            JsonNode stsDown = invoke(loader, broken, context, "{\"authCode\":\"carol:first\"}");
            assertThat(stsDown.path("error").path("code").asText()).as("login when STS refuses %s", stsDown)
                    .isEqualTo("UPSTREAM_UNAVAILABLE");
        }
        synchronized (logLines) {
            assertThat(String.join("\n", logLines)).doesNotContain(sessionId).doesNotContain("\tat ");
        }
    }

    @Test
    void everyFunctionClassInEachJarLinksAgainstWhatTheJarShips() throws Exception {
        // the SDKs a jar does not use (OSS in the session jar, reached only by the function kit's files; Alipay and
        // STS in the db jar) are absent on purpose; the function's own classes must link (the db function's rows and
        // files live in the kit, so every project class of the db jar), and the login/db test above runs them
        Map<String, String> jars = Map.of("session-function/target/session-function.jar", "com/fcminiapp/session/",
                "db-function/target/db-function.jar", "com/fcminiapp/");
        for (Map.Entry<String, String> entry : jars.entrySet()) {
            String jar = entry.getKey();
            Path path = DeployFiles.root().resolve(jar);
            int linked = 0;
            try (URLClassLoader loader = DeployFiles.isolatedLoader(path); JarFile file = new JarFile(path.toFile())) {
                for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                    String name = e.nextElement().getName();
                    if (name.startsWith(entry.getValue()) && name.endsWith(".class")) {
                        Class<?> type = Class.forName(name.replace('/', '.').replace(".class", ""), false, loader);
                        // resolves every type named in a signature: a class minimized away fails here
                        type.getDeclaredMethods();
                        type.getDeclaredFields();
                        type.getDeclaredConstructors();
                        linked++;
                    }
                }
            }
            assertThat(linked).as(jar).isGreaterThan(3);
        }
    }

    /**
     * The jar's PreStop closes its clients (the time is printed), a second PreStop does nothing, and a call after it
     * is refused with a retryable error rather than building the clients again.
     */
    private static void stopAndCheck(ClassLoader loader, Object handler, Object context, String event, Timer timer)
            throws Exception {
        JarFunctions.preStop(loader, handler, context);
        timer.lap("preStop");
        JarFunctions.preStop(loader, handler, context);
        JsonNode after = invoke(loader, handler, context, event);
        assertThat(after.path("error").path("code").asText()).as("a call after preStop %s", after)
                .isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(after.path("error").path("message").asText()).contains("instance is stopping");
    }

    private static void initialize(ClassLoader loader, Object handler, Object context) throws Exception {
        JarFunctions.initialize(loader, handler, context);
    }

    private static JsonNode invoke(ClassLoader loader, Object handler, Object context, String event) throws Exception {
        return JarFunctions.invoke(loader, handler, context, event);
    }

    /** FC's Context, made from the jar's own interfaces, carrying the execution key the stand-ins know. */
    private static Object context(ClassLoader loader) throws Exception {
        return JarFunctions.context(loader, executionKey.accessKeyId, executionKey.accessKeySecret,
                executionKey.securityToken, logLines);
    }

    /** Prints how long each step took since the last, for the cold-start figures in docs/deploy.md. */
    private static final class Timer {
        private final String jar;
        private long last = System.nanoTime();

        Timer(String jar) {
            this.jar = jar;
        }

        void lap(String step) {
            long now = System.nanoTime();
            System.out.printf("cold start %s: %s %d ms%n", jar, step, (now - last) / 1_000_000);
            last = now;
        }
    }
}
