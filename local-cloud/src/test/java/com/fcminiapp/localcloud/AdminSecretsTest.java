package com.fcminiapp.localcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.localcloud.runtime.TestFunctionJar;
import com.fcminiapp.localcloud.testing.EchoTemplates;
import com.fcminiapp.localcloud.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Function code running inside local-cloud (the echo fixture behind the HTTP trigger) looks for the admin token
 * and the owner's AccessKeySecret where code can look without reading local-cloud's memory: its environment, the
 * FC endpoint's {@code /}, {@code /_admin/*} and {@code /_console/}, and the admin origin without the token. It
 * finds neither; READY (stdout) is the one place they are printed.
 */
class AdminSecretsTest {

    private static final String TEMPLATE = EchoTemplates.SESSION_AND_DB;
    private static final List<String> ADMIN_PATHS = List.of("/_admin/info", "/_admin/users", "/_admin/faults",
            "/_admin/invocations", "/_admin/functions", "/_admin/tables");

    @TempDir
    static Path dir;
    private static LocalCloud cloud;
    private static JsonNode ready;
    private static String token;
    private static String secret;

    @BeforeAll
    static void start() throws Exception {
        TestFunctionJar.build(dir);
        Files.writeString(dir.resolve("template.yml"), TEMPLATE, StandardCharsets.UTF_8);
        Options options = Options.parse("--port", "0", "--data", dir.resolve("data").toString(),
                "--template", dir.resolve("template.yml").toString());
        cloud = LocalCloud.start(options, null, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        ready = cloud.readyInfo();
        token = ready.path("adminToken").asText();
        secret = ready.path("accessKeySecret").asText();
        assertThat(token).hasSize(43);
        assertThat(secret).isNotEmpty();
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    /** What the function answers for {@code event}, sent to it through its HTTP trigger. */
    private static String function(String event) throws IOException {
        RawHttp.Response r = RawHttp.send("POST", ready.path("sessionUrl").asText(), Map.of(),
                event.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status).as(r.body).isEqualTo(200);
        return r.body;
    }

    private static String adminOrigin() {
        URI admin = URI.create(ready.path("adminUrl").asText());
        return admin.getScheme() + "://" + admin.getHost() + ":" + admin.getPort();
    }

    @Test
    void aFunctionsEnvironmentHoldsNeitherTheAdminTokenNorTheOwnerSecret() throws Exception {
        String environment = function("environment");
        assertThat(environment).contains("TABLESTORE_ENDPOINT").doesNotContain(token).doesNotContain(secret);
    }

    @Test
    void onTheFcEndpointTheRootTheAdminPathsAndTheConsoleAreFcsPathNotFound() throws Exception {
        String endpoint = ready.path("endpoint").asText();
        for (String path : List.of("/", "/_console/", "/_console/app.js", "/_admin", "/_admin/info", "/_admin/users",
                "/_admin/faults", "/_admin/invocations")) {
            String answer = function("fetch:" + endpoint + path);
            assertThat(answer).as(path).startsWith("404\n").contains("\"ErrorCode\":\"PathNotFound\"")
                    .doesNotContain(token).doesNotContain(secret);
        }
    }

    @Test
    void theAdminOriginRefusesEveryAdminPathWithoutTheTokenReadsIncluded() throws Exception {
        for (String path : ADMIN_PATHS) {
            String answer = function("fetch:" + adminOrigin() + path);
            assertThat(answer).as(path).startsWith("403\n").contains("X-Local-Cloud-Token")
                    .doesNotContain(token).doesNotContain(secret);
        }
        String page = function("fetch:" + adminOrigin() + "/_console/");
        assertThat(page).startsWith("200\n").contains("<title>local-cloud console</title>").doesNotContain(token)
                .doesNotContain(secret);
    }
}
