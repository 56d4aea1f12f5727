package com.fcminiapp.localcloud.fcapi;

import com.fcminiapp.localcloud.ram.RamRoles;
import com.fcminiapp.localcloud.runtime.ExecutionRole;
import com.fcminiapp.localcloud.runtime.FunctionHost;
import com.fcminiapp.localcloud.runtime.TestFunctionJar;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;
import com.fcminiapp.localcloud.template.FunctionSpec;
import com.fcminiapp.localcloud.testing.Acs3Signing;
import com.fcminiapp.localcloud.testing.Fc2Signing;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import static com.fcminiapp.localcloud.fcapi.InvokeAuthorizer.MAX_SKEW;
import static org.assertj.core.api.Assertions.assertThat;

/** The FC invoke API as fc2 2.6.6 and a V3-signing client call it, with its refusals. */
class FcApiServerTest {

    static final String REGION = "cn-hangzhou";
    static final String ACCOUNT = "1234567890123456";
    static final String DB_POLICY = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"fc:InvokeFunction\"],"
            + "\"Resource\":[\"acs:fc:" + REGION + ":" + ACCOUNT + ":services/svc/functions/db\","
            + "\"acs:fc:" + REGION + ":" + ACCOUNT + ":services/svc.*/functions/db\","
            + "\"acs:fc:" + REGION + ":" + ACCOUNT + ":functions/db\"]}]}";

    /** A clock tests move forward. */
    static final class MovableClock extends Clock {
        volatile Instant now = Instant.now();

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @TempDir
    static Path dir;
    static MovableClock clock = new MovableClock();
    static CredentialRegistry registry;
    static FcApiServer server;
    static FunctionHost db;
    static FunctionHost session;

    @BeforeAll
    static void start() throws Exception {
        Path jar = TestFunctionJar.build(dir);
        registry = new CredentialRegistry(new MVStore.Builder().open(), clock);
        db = new FunctionHost(new FunctionSpec("db", "demo.Echo::handleRequest", null, jar, Map.of(), false, 3, 128),
                Map.of("GREETING", "db"), FcApiServerTest.class.getClassLoader());
        session = new FunctionHost(new FunctionSpec("session", "demo.Echo::handleRequest", null, jar, Map.of(), false, 3, 128),
                Map.of("GREETING", "session"), FcApiServerTest.class.getClassLoader());
        Map<String, FunctionHost> functions = new LinkedHashMap<>();
        functions.put("db", db);
        functions.put("session", session);
        server = new FcApiServer(new InvokeAuthorizer(registry, invokeRole(), REGION, ACCOUNT), "svc", functions,
                new ExecutionRole(registry, "acs:ram::" + ACCOUNT + ":role/exec", "fc"), Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                () -> new ObjectMapper().createObjectNode()).start(0);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        db.close();
        session.close();
    }

    /** RAM with the login keys' role holding what docs/deploy.md grants it (fc:InvokeFunction on all). */
    static RamRoles invokeRole() {
        return new RamRoles().put("acs:ram::" + ACCOUNT + ":role/invoke", List.of("{\"Version\":\"1\",\"Statement\":"
                + "[{\"Effect\":\"Allow\",\"Action\":\"fc:InvokeFunction\",\"Resource\":\"*\"}]}"));
    }

    static Credential loginKey() {
        return registry.issueTemporary("acs:ram::" + ACCOUNT + ":role/invoke", "alice", DB_POLICY, Duration.ofHours(1));
    }

    static final class Answer {
        private final int status;
        private final Map<String, List<String>> headers;
        private final String body;

        Answer(int status, Map<String, List<String>> headers, String body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        int status() { return status; }
        String body() { return body; }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** Signs exactly as @alicloud/fc2 2.6.6 lib/client.js and lib/helper.js do. */
    static Answer fc2Invoke(String service, String function, String event, String keyId, String secret, String token,
                            Instant date) throws IOException {
        String path = "/2016-08-15/services/" + service + "/functions/" + function + "/invocations";
        byte[] body = event.getBytes(StandardCharsets.UTF_8);
        return send(path, Fc2Signing.invokeHeaders(path, body, ACCOUNT, keyId, secret, token, date), body);
    }

    static Answer send(String pathAndQuery, Map<String, String> headers, byte[] body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(server.endpoint() + pathAndQuery).openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        headers.forEach((k, v) -> {
            if (!k.equals("host")) {
                c.setRequestProperty(k, v);
            }
        });
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return new Answer(status, c.getHeaderFields(), text);
    }

    @Test
    void aLoginKeyInvokesTheDbFunctionAndGetsItsJsonOutput() throws Exception {
        Credential key = loginKey();
        Answer a = fc2Invoke("svc", "db", "{\"op\":\"get\"}", key.accessKeyId, key.accessKeySecret, key.securityToken,
                clock.instant());
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("content-type")).startsWith("application/json");
        assertThat(a.header("x-fc-request-id")).isNotBlank();
        assertThat(a.body()).contains("\"greeting\":\"db\"");
    }

    @Test
    void aWrongSecretIsRefusedAsSignatureNotMatch() throws Exception {
        Credential key = loginKey();
        Answer a = fc2Invoke("svc", "db", "{}", key.accessKeyId, key.accessKeySecret + "x", key.securityToken, clock.instant());
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.body()).contains("\"ErrorCode\":\"SignatureNotMatch\"");
        assertThat(a.header("x-fc-request-id")).isNotBlank();
    }

    @Test
    void anUnknownKeyIsRefusedAsInvalidAccessKeyId() throws Exception {
        Answer a = fc2Invoke("svc", "db", "{}", "STS.unknown", "secret", "CAIS", clock.instant());
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.body()).contains("\"ErrorCode\":\"InvalidAccessKeyID\"");
    }

    @Test
    void anExpiredKeyIsRefused() throws Exception {
        Credential key = registry.issueTemporary("acs:ram::" + ACCOUNT + ":role/invoke", "bob", DB_POLICY,
                Duration.ofMinutes(15));
        Instant later = clock.instant().plus(Duration.ofMinutes(16));
        Instant saved = clock.now;
        clock.now = later;
        try {
            Answer a = fc2Invoke("svc", "db", "{}", key.accessKeyId, key.accessKeySecret, key.securityToken, later);
            assertThat(a.status()).isEqualTo(403);
            assertThat(a.body()).contains("\"ErrorCode\":\"InvalidSecurityToken\"").contains("expired");
        } finally {
            clock.now = saved;
        }
    }

    @Test
    void aTemporaryKeyWithoutItsTokenIsRefused() throws Exception {
        Credential key = loginKey();
        Answer a = fc2Invoke("svc", "db", "{}", key.accessKeyId, key.accessKeySecret, null, clock.instant());
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.body()).contains("\"ErrorCode\":\"InvalidSecurityToken\"");
    }

    @Test
    void anotherKeysTokenIsRefused() throws Exception {
        Credential key = loginKey();
        Answer a = fc2Invoke("svc", "db", "{}", key.accessKeyId, key.accessKeySecret, loginKey().securityToken,
                clock.instant());
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.body()).contains("\"ErrorCode\":\"InvalidSecurityToken\"");
    }

    @Test
    void aDateMoreThanFifteenMinutesOffIsRefused() throws Exception {
        Credential key = loginKey();
        Answer a = fc2Invoke("svc", "db", "{}", key.accessKeyId, key.accessKeySecret, key.securityToken,
                clock.instant().minus(Duration.ofMinutes(16)));
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.body()).contains("\"ErrorCode\":\"RequestTimeTooSkewed\"");
    }

    interface ClockCheck {
        void at(Instant now) throws Exception;
    }

    /** Runs {@code check} with the server's clock on a whole second: request times have whole seconds. */
    static void atWholeSecond(ClockCheck check) throws Exception {
        Instant saved = clock.now;
        clock.now = saved.truncatedTo(ChronoUnit.SECONDS);
        try {
            check.at(clock.now);
        } finally {
            clock.now = saved;
        }
    }

    /** FC's limit, pinned on both sides of it and in both directions: 15 minutes pass, a second more does not. */
    @Test
    void fc2AcceptsADateUpToFifteenMinutesOffEitherWayAndRefusesOneSecondMore() throws Exception {
        Credential key = loginKey();
        atWholeSecond(now -> {
            for (Duration off : List.of(MAX_SKEW, MAX_SKEW.negated())) {
                Answer at = fc2Invoke("svc", "db", "{}", key.accessKeyId, key.accessKeySecret, key.securityToken,
                        now.plus(off));
                assertThat(at.status()).as("off by %s", off).isEqualTo(200);
                Duration over = off.isNegative() ? off.minusSeconds(1) : off.plusSeconds(1);
                Answer past = fc2Invoke("svc", "db", "{}", key.accessKeyId, key.accessKeySecret, key.securityToken,
                        now.plus(over));
                assertThat(past.status()).as("off by %s", over).isEqualTo(403);
                assertThat(past.body()).contains("\"ErrorCode\":\"RequestTimeTooSkewed\"");
                // the refusal carries the server's time: a client corrects its clock by it (client/test/clock.test.js)
                assertThat(Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(past.header("Date"))))
                        .isBetween(now.minusSeconds(5), Instant.now().plusSeconds(5));
            }
        });
    }

    @Test
    void fc3AcceptsADateUpToFifteenMinutesOffEitherWayAndRefusesOneSecondMoreInItsErrorShape() throws Exception {
        Credential key = loginKey();
        atWholeSecond(now -> {
            for (Duration off : List.of(MAX_SKEW, MAX_SKEW.negated())) {
                assertThat(fc3Invoke("db", "{}", key, key.accessKeySecret, now.plus(off)).status())
                        .as("off by %s", off).isEqualTo(200);
                Duration over = off.isNegative() ? off.minusSeconds(1) : off.plusSeconds(1);
                Answer past = fc3Invoke("db", "{}", key, key.accessKeySecret, now.plus(over));
                assertThat(past.status()).as("off by %s", over).isEqualTo(403);
                JsonNode error = new ObjectMapper().readTree(past.body());
                assertThat(error.path("Code").asText()).isEqualTo("RequestTimeTooSkewed");
                assertThat(error.path("RequestId").asText()).isEqualTo(past.header("x-fc-request-id"));
                assertThat(past.header("Date")).isNotBlank();
            }
        });
    }

    @Test
    void aMalformedDateIsABadRequest() throws Exception {
        Map<String, String> headers = new TreeMap<>();
        headers.put("date", "yesterday");
        headers.put("authorization", "FC someone:c2lnbmF0dXJl");
        Answer a = send("/2016-08-15/services/svc/functions/db/invocations", headers, new byte[0]);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body()).contains("\"ErrorCode\":\"InvalidArgument\"");
    }

    @Test
    void thePolicyDeniesAnyOtherFunction() throws Exception {
        Credential key = loginKey();
        Answer a = fc2Invoke("svc", "session", "{}", key.accessKeyId, key.accessKeySecret, key.securityToken,
                clock.instant());
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.body()).contains("\"ErrorCode\":\"AccessDenied\"");
    }

    @Test
    void aKeyWithoutPolicyReachesUnknownFunctionsAsNotFound() throws Exception {
        Credential key = registry.createPermanent("LTAI");
        Answer missing = fc2Invoke("svc", "nope", "{}", key.accessKeyId, key.accessKeySecret, null, clock.instant());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("\"ErrorCode\":\"FunctionNotFound\"");
        Answer otherService = fc2Invoke("other", "db", "{}", key.accessKeyId, key.accessKeySecret, null, clock.instant());
        assertThat(otherService.status()).isEqualTo(404);
        assertThat(otherService.body()).contains("\"ErrorCode\":\"ServiceNotFound\"");
    }

    @Test
    void concurrentInvocationsAreServedConcurrentlyOnTheWarmInstance() throws Exception {
        Credential key = loginKey();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Answer>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> fc2Invoke("svc", "db", "{}", key.accessKeyId, key.accessKeySecret, key.securityToken,
                        clock.instant()));
            }
            for (Future<Answer> f : pool.invokeAll(calls)) {
                assertThat(f.get().status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** FC 3.0 InvokeFunction with the V3 signature, computed here from the published algorithm. */
    static Answer fc3Invoke(String function, String event, Credential key, String secret) throws Exception {
        return fc3Invoke(function, event, key, secret, clock.instant());
    }

    static Answer fc3Invoke(String function, String event, Credential key, String secret, Instant date)
            throws Exception {
        String path = "/2023-03-30/functions/" + function + "/invocations";
        byte[] body = event.getBytes(StandardCharsets.UTF_8);
        return send(path, fc3Headers("127.0.0.1:" + server.port(), path, body, key, secret, date), body);
    }

    /** The headers of a V3-signed (ACS3-HMAC-SHA256) POST to {@code host}, by lowercase name. */
    static Map<String, String> fc3Headers(String host, String path, byte[] body, Credential key, String secret,
                                          Instant date) {
        return Acs3Signing.invokeHeaders(host, path, body, key.accessKeyId, secret, key.securityToken, date);
    }

    @Test
    void fc3InvokeWithAV3SignatureReachesTheDbFunction() throws Exception {
        Credential key = loginKey();
        Answer a = fc3Invoke("db", "{}", key, key.accessKeySecret);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).contains("\"greeting\":\"db\"");
    }

    @Test
    void fc3RefusesAWrongSecretAndAnotherFunction() throws Exception {
        Credential key = loginKey();
        Answer wrong = fc3Invoke("db", "{}", key, key.accessKeySecret + "x");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.body()).contains("\"Code\":\"SignatureNotMatch\"");
        Answer other = fc3Invoke("session", "{}", key, key.accessKeySecret);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.body()).contains("\"Code\":\"AccessDenied\"");
    }
}
