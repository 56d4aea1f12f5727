package com.fcminiapp.localcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fcminiapp.localcloud.runtime.TestFunctionJar;
import com.fcminiapp.localcloud.testing.EchoTemplates;
import com.fcminiapp.localcloud.testing.Fc2Signing;
import com.fcminiapp.localcloud.testing.LoopbackAliases;
import com.fcminiapp.localcloud.testing.RawHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * local-cloud as a whole with {@code --host}: every server binds the address, READY names it (127.0.0.1 for a
 * wildcard), answers carry OSS URLs on the host the client called, and READY's admin token is new each start.
 * The functions are echo functions that answer {@code env:NAME} with their variable NAME.
 */
class LocalCloudHostTest {

    private static final String TEMPLATE = EchoTemplates.SESSION_AND_DB;

    @TempDir
    static Path dir;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeAll
    static void writeTemplate() throws IOException {
        TestFunctionJar.build(dir);
        Files.writeString(dir.resolve("template.yml"), TEMPLATE, StandardCharsets.UTF_8);
    }

    private LocalCloud start(String host, String data) throws Exception {
        Options options = Options.parse("--host", host, "--port", "0", "--data", dir.resolve(data).toString(),
                "--template", dir.resolve("template.yml").toString());
        return LocalCloud.start(options, null, new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    private static String value(RawHttp.Response r) throws IOException {
        assertThat(r.status).as(r.body).isEqualTo(200);
        return new ObjectMapper().readTree(r.body).path("value").asText();
    }

    private static RawHttp.Response post(String url, Map<String, String> headers, String event) throws IOException {
        return RawHttp.send("POST", url, headers, event.getBytes(StandardCharsets.UTF_8));
    }

    /** The db function invoked as fc2 does with READY's account key, at {@code endpoint}. */
    private static RawHttp.Response invokeDb(JsonNode ready, String endpoint, String event) throws IOException {
        String path = "/2016-08-15/services/svc/functions/db/invocations";
        byte[] body = event.getBytes(StandardCharsets.UTF_8);
        return post(endpoint + path, Fc2Signing.invokeHeaders(path, body, LocalCloud.ACCOUNT_ID,
                ready.path("accessKeyId").asText(), ready.path("accessKeySecret").asText(), null, Instant.now()),
                event);
    }

    @Test
    void onAConcreteAddressEveryServerAndEveryReadyUrlUsesIt() throws Exception {
        LoopbackAliases.assumeUsable("127.0.0.2");
        try (LocalCloud cloud = start("127.0.0.2", "concrete")) {
            JsonNode ready = cloud.readyInfo();
            int port = cloud.port();
            assertThat(ready.path("endpoint").asText()).isEqualTo("http://127.0.0.2:" + port);
            assertThat(ready.path("sessionUrl").asText())
                    .isEqualTo("http://127.0.0.2:" + port + "/2016-08-15/proxy/svc/session/");
            assertThat(ready.path("fc3InvokeUrl").asText()).startsWith("http://127.0.0.2:" + port + "/");
            assertThat(ready.path("adminUrl").asText()).matches("http://127\\.0\\.0\\.2:\\d+")
                    .isNotEqualTo(ready.path("endpoint").asText());
            ready.path("standIns").forEach(s -> assertThat(s.asText()).startsWith("http://127.0.0.2:"));
            assertThat(ready.path("standIns").size()).isEqualTo(4);
            assertThatThrownBy(() -> connect("127.0.0.1", port)).as("not on 127.0.0.1")
                    .isInstanceOf(ConnectException.class);

            String ossEndpoint = ready.path("standIns").path("oss").asText();
            assertThat(value(post(ready.path("sessionUrl").asText(), Map.of(), "env:OSS_PUBLIC_ENDPOINT")))
                    .isEqualTo(ossEndpoint);
            assertThat(value(invokeDb(ready, ready.path("endpoint").asText(), "env:OSS_PUBLIC_ENDPOINT")))
                    .isEqualTo(ossEndpoint);
        }
    }

    @Test
    void onEveryInterfaceReadySaysLoopbackAndUrlsFollowTheHostCalled() throws Exception {
        LoopbackAliases.assumeUsable("127.0.0.3");
        try (LocalCloud cloud = start("0.0.0.0", "wildcard")) {
            JsonNode ready = cloud.readyInfo();
            int port = cloud.port();
            int ossPort = cloud.standIns().get("oss").port();
            assertThat(ready.path("endpoint").asText()).isEqualTo("http://127.0.0.1:" + port);
            assertThat(ready.path("standIns").path("oss").asText()).isEqualTo("http://127.0.0.1:" + ossPort);
            assertThat(cloud.summary()).contains("reachable on every interface; use this machine's address");
            int adminPort = java.net.URI.create(ready.path("adminUrl").asText()).getPort();
            assertThat(ready.path("adminUrl").asText()).isEqualTo("http://127.0.0.1:" + adminPort);
            assertThatThrownBy(() -> connect("127.0.0.3", adminPort)).as("the admin port is on 127.0.0.1 only")
                    .isInstanceOf(ConnectException.class);

            String viaOtherAddress = "http://127.0.0.3:" + port;
            assertThat(value(post(viaOtherAddress + "/2016-08-15/proxy/svc/session/", Map.of(),
                    "env:OSS_PUBLIC_ENDPOINT")))
                    .isEqualTo("http://127.0.0.3:" + ossPort);
            assertThat(value(invokeDb(ready, viaOtherAddress, "env:OSS_PUBLIC_ENDPOINT")))
                    .isEqualTo("http://127.0.0.3:" + ossPort);
        }
    }

    @Test
    void readyCarriesAnAdminTokenNewOnEveryStartAndPrintedNowhereElseButInTheConsoleUrl() throws Exception {
        String first;
        try (LocalCloud cloud = start("127.0.0.1", "token")) {
            first = cloud.readyInfo().path("adminToken").asText();
            assertThat(first).matches("[A-Za-z0-9_-]{43}");
            String adminUrl = cloud.readyInfo().path("adminUrl").asText();
            assertThat(adminUrl).matches("http://127\\.0\\.0\\.1:\\d+").isNotEqualTo(cloud.endpoint());
            String consoleUrl = adminUrl + "/_console/#token=" + first;
            assertThat(cloud.readyInfo().path("consoleUrl").asText()).isEqualTo(consoleUrl);
            assertThat(cloud.summary()).contains("Console (open in a browser on this machine): " + consoleUrl + "\n")
                    .contains("X-Local-Cloud-Token");
            assertThat(cloud.summary().replace(consoleUrl, "")).doesNotContain(first);
        }
        try (LocalCloud cloud = start("127.0.0.1", "token")) {
            String second = cloud.readyInfo().path("adminToken").asText();
            assertThat(second).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(first);
            assertThat(cloud.readyInfo().path("consoleUrl").asText()).endsWith("/_console/#token=" + second);
            assertThat(cloud.summary().replace(cloud.consoleUrl(), "")).doesNotContain(second);
        }
        assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain(first);
        try (Stream<Path> files = Files.walk(dir.resolve("token"))) {
            assertThat(files.filter(Files::isRegularFile).anyMatch(f -> contains(f, first))).as("token persisted")
                    .isFalse();
        }
    }

    private static void connect(String address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 5000);
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
