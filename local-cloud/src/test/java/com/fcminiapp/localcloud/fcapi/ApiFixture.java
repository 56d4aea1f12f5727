package com.fcminiapp.localcloud.fcapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.runtime.ExecutionRole;
import com.fcminiapp.localcloud.runtime.FunctionHost;
import com.fcminiapp.localcloud.runtime.TestFunctionJar;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;
import com.fcminiapp.localcloud.standin.oss.OssStandIn;
import com.fcminiapp.localcloud.template.FunctionSpec;
import com.fcminiapp.localcloud.testing.Fc2Signing;
import com.fcminiapp.localcloud.testing.RawHttp;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An FC API on 127.0.0.1 with an OSS stand-in and two echo functions ({@code session} behind the HTTP trigger,
 * {@code db}) that see {@code OSS_PUBLIC_ENDPOINT}, and its admin origin on a port of its own, called with any
 * {@code Host} header through {@link RawHttp}; started once per test class ({@code @RegisterExtension static}).
 */
final class ApiFixture implements BeforeAllCallback, AfterAllCallback {

    static final String ACCOUNT = FcApiServerTest.ACCOUNT;
    static final String OWNER_SECRET_MARK = "owner-secret-in-ready";
    static final String ADMIN_TOKEN_MARK = "admin-token-in-ready";

    final CredentialRegistry registry = new CredentialRegistry(new MVStore.Builder().open(), Clock.systemUTC());
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final Map<String, FunctionHost> functions = new LinkedHashMap<>();
    private Path dir;
    private final long bodyBudget;
    /** The jar both functions run; a test may rebuild it. */
    Path jar;
    OssStandIn oss;
    FcApiServer server;

    /** A fixture whose FC endpoint holds at most the default bytes of request bodies at once. */
    ApiFixture() {
        this(BodyBudget.DEFAULT_BYTES);
    }

    /** A fixture whose FC endpoint holds at most {@code bodyBudget} bytes of request bodies at once. */
    ApiFixture(long bodyBudget) {
        this.bodyBudget = bodyBudget;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("fc-api-fixture");
        oss = new OssStandIn(0, registry, dir.resolve("oss")).start();
        jar = TestFunctionJar.build(dir);
        Map<String, String> env = Map.of("OSS_PUBLIC_ENDPOINT", oss.endpoint());
        functions.put("session", new FunctionHost(new FunctionSpec("session", "demo.Echo::handleRequest", null, jar,
                Map.of(), true, 3, 128), env, ApiFixture.class.getClassLoader()));
        functions.put("db", new FunctionHost(new FunctionSpec("db", "demo.Echo::handleRequest", null, jar,
                Map.of(), false, 3, 128), env, ApiFixture.class.getClassLoader()));
        ObjectNode info = new ObjectMapper().createObjectNode().put("endpoint", "http://127.0.0.1:9000")
                .put("adminToken", ADMIN_TOKEN_MARK).put("consoleUrl", "http://127.0.0.1:9001/_console/#token="
                        + ADMIN_TOKEN_MARK).put("accessKeySecret", OWNER_SECRET_MARK);
        server = new FcApiServer(new InvokeAuthorizer(registry, FcApiServerTest.invokeRole(), FcApiServerTest.REGION, ACCOUNT), "svc", functions,
                new ExecutionRole(registry, "acs:ram::" + ACCOUNT + ":role/exec", "fc"), Map.of("oss", oss),
                new PrintStream(log, true, StandardCharsets.UTF_8), () -> info).bodyBudget(bodyBudget).start(0);
    }

    /** A login's STS key: may invoke db only. */
    Credential stsKey() {
        return registry.issueTemporary("acs:ram::" + ACCOUNT + ":role/invoke", "alice", FcApiServerTest.DB_POLICY,
                Duration.ofHours(1));
    }

    /** Headers of an admin request: {@code Host: host} and, unless null, the admin token. */
    static Map<String, String> adminHeaders(String host, String token) {
        Map<String, String> headers = new java.util.HashMap<>();
        headers.put("Host", host);
        if (token != null) {
            headers.put("X-Local-Cloud-Token", token);
        }
        return headers;
    }

    /** {@code Host} naming the FC endpoint's own address and port, as a local client sends it. */
    String loopbackHost() {
        return "127.0.0.1:" + server.port();
    }

    /** {@code Host} naming the admin origin's address and port. */
    String adminHost() {
        return "127.0.0.1:" + server.adminPort();
    }

    /** A request to the FC endpoint. */
    RawHttp.Response request(String method, String path, Map<String, String> headers, String body) throws IOException {
        return RawHttp.send(new InetSocketAddress("127.0.0.1", server.port()), method, path, headers,
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** A request to the admin origin (the console and {@code /_admin/*}). */
    RawHttp.Response adminRequest(String method, String path, Map<String, String> headers, String body)
            throws IOException {
        return RawHttp.send(new InetSocketAddress("127.0.0.1", server.adminPort()), method, path, headers,
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** A GET of {@code path} on the admin origin with the admin token. */
    RawHttp.Response adminGet(String path) throws IOException {
        return adminRequest("GET", path, adminHeaders(adminHost(), server.adminToken()), "");
    }

    /** fc2's invocation of {@code function} with {@code event}, sent with header {@code Host: host}. */
    RawHttp.Response fc2Invoke(String host, String function, String event, Credential key) throws IOException {
        String path = "/2016-08-15/services/svc/functions/" + function + "/invocations";
        byte[] body = event.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>(Fc2Signing.invokeHeaders(path, body, ACCOUNT,
                key.accessKeyId, key.accessKeySecret, key.securityToken, Clock.systemUTC().instant()));
        headers.put("Host", host);
        return RawHttp.send(new InetSocketAddress("127.0.0.1", server.port()), "POST", path, headers, body);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        server.close();
        for (FunctionHost f : functions.values()) {
            f.close();
        }
        oss.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }
}
