package com.fcminiapp.localcloud.fcapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fcminiapp.localcloud.runtime.TestFunctionJar;
import com.fcminiapp.localcloud.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /_admin/functions} shows each function's jar and the build its instance runs — after a rebuild, the
 * new one — to a local caller with the admin token only.
 */
class FunctionsEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ApiFixture api = new ApiFixture();

    private static JsonNode functions() throws Exception {
        RawHttp.Response r = api.adminGet("/_admin/functions");
        assertThat(r.status).isEqualTo(200);
        assertThat(r.headers).containsEntry("cache-control", "no-store");
        return JSON.readTree(r.body);
    }

    private static JsonNode function(JsonNode all, String name) {
        for (JsonNode f : all.get("functions")) {
            if (f.get("function").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no function " + name + " in " + all);
    }

    private static String sha256(Path file) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    @Test
    void showsEachFunctionsJarAndAfterARebuildTheNewBuildItsNextCallLoaded() throws Exception {
        RawHttp.Response first = api.fc2Invoke(api.loopbackHost(), "db", "a", api.stsKey());
        assertThat(first.body).contains("\"build\":\"1\"");
        JsonNode db = function(functions(), "db");
        assertThat(db.get("service").asText()).isEqualTo("svc");
        assertThat(db.get("jar").asText()).isEqualTo(api.jar.toAbsolutePath().toString());
        assertThat(db.get("build").get("sha256").asText()).isEqualTo(sha256(api.jar));
        assertThat(db.get("build").get("size").asLong()).isEqualTo(Files.size(api.jar));
        assertThat(db.get("initialized").asBoolean()).isTrue();
        String loadedAt = db.get("loadedAt").asText();

        Path rebuilt = TestFunctionJar.build(Files.createTempDirectory(api.jar.getParent(), "v2"), "2");
        Files.write(api.jar, Files.readAllBytes(rebuilt), StandardOpenOption.TRUNCATE_EXISTING);
        Files.setLastModifiedTime(api.jar, FileTime.fromMillis(1_700_000_000_000L));
        RawHttp.Response second = api.fc2Invoke(api.loopbackHost(), "db", "a", api.stsKey());

        assertThat(second.body).contains("\"build\":\"2\"");
        JsonNode after = function(functions(), "db");
        assertThat(after.get("build").get("sha256").asText()).isEqualTo(sha256(rebuilt));
        assertThat(after.get("build").get("modified").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(Instant.parse(after.get("loadedAt").asText())).isAfterOrEqualTo(Instant.parse(loadedAt));
    }

    @Test
    void aFunctionNotCalledYetHasNoBuild() throws Exception {
        JsonNode session = function(functions(), "session");
        assertThat(session.get("build").isNull()).isTrue();
        assertThat(session.get("loadedAt").isNull()).isTrue();
        assertThat(session.get("initialized").asBoolean()).isFalse();
    }

    @Test
    void isRefusedWithoutTheTokenWithAWrongOneAndFromAnotherHost() throws Exception {
        String token = api.server.adminToken();
        Map<String, Map<String, String>> denied = Map.of(
                "no token", ApiFixture.adminHeaders(api.adminHost(), null),
                "wrong token", ApiFixture.adminHeaders(api.adminHost(), token.substring(1) + "x"),
                "rebound host", ApiFixture.adminHeaders("evil.example:" + api.server.adminPort(), token));
        denied.forEach((why, h) -> {
            try {
                RawHttp.Response r = api.adminRequest("GET", "/_admin/functions", h, "");
                assertThat(r.status).as(why).isEqualTo(403);
                assertThat(r.body).as(why).contains("\"ErrorCode\":\"AccessDenied\"").doesNotContain("sha256");
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
    }
}
