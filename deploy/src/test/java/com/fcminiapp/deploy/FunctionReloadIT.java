package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.localcloud.LocalCloud;
import com.fcminiapp.localcloud.Options;
import com.fcminiapp.localcloud.testing.Fc2Signing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real db function rebuilt under a running local-cloud: the next call runs the new jar on a new instance
 * (initialized again), the rows written before are still there, and {@code /_admin/functions} names the new build.
 * The template and jars are copies, so the build's own jars are never rewritten.
 */
class FunctionReloadIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void aRebuiltDbFunctionServesTheNextCallWithTheDataKept() throws Exception {
        Path template = dir.resolve("template.yml");
        Files.copy(DeployFiles.root().resolve("template.yml"), template);
        for (String fn : new String[] {"session-function", "db-function"}) {
            Path jar = Files.createDirectories(dir.resolve(fn).resolve("target")).resolve(fn + ".jar");
            Files.copy(DeployFiles.root().resolve(fn).resolve("target").resolve(fn + ".jar"), jar);
        }
        Path dbJar = dir.resolve("db-function/target/db-function.jar");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (LocalCloud cloud = LocalCloud.start(Options.parse("--port", "0", "--data", dir.resolve("data").toString(),
                "--template", template.toString()), null, new PrintStream(console, true, StandardCharsets.UTF_8))) {
            JsonNode ready = cloud.readyInfo();
            JsonNode alice = login(ready, "alice:reload-it");
            JsonNode put = invokeDb(ready, alice, "\"op\":\"put\",\"obj\":{\"id\":\"t1\",\"title\":\"milk\"}");
            assertThat(put.path("data").path("_version").asInt()).as("put %s", put).isEqualTo(1);
            JsonNode before = db(functions(ready));
            assertThat(before.path("build").path("sha256").asText()).isEqualTo(sha256(dbJar));

            rebuildInPlace(dbJar);
            JsonNode got = invokeDb(ready, alice, "\"op\":\"get\",\"id\":\"t1\"");

            assertThat(got.path("data").path("title").asText()).as("get %s", got).isEqualTo("milk");
            assertThat(got.path("data").path("_version").asInt()).isEqualTo(1);
            JsonNode after = db(functions(ready));
            assertThat(after.path("build").path("sha256").asText()).isEqualTo(sha256(dbJar))
                    .isNotEqualTo(before.path("build").path("sha256").asText());
            assertThat(Instant.parse(after.path("loadedAt").asText()))
                    .isAfter(Instant.parse(before.path("loadedAt").asText()));
            assertThat(after.path("initialized").asBoolean()).isTrue();
            assertThat(console.toString(StandardCharsets.UTF_8)).contains("function db reloaded: build "
                    + sha256(dbJar).substring(0, 12));
        }
    }

    /** The same classes plus one resource, written over the jar in place as a build tool may. */
    private static void rebuildInPlace(Path jar) throws Exception {
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        try (ZipFile in = new ZipFile(jar.toFile()); ZipOutputStream out = new ZipOutputStream(rebuilt)) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                out.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream bytes = in.getInputStream(entry)) {
                    bytes.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("rebuilt.txt"));
            out.write("2".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Files.write(jar, rebuilt.toByteArray(), StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static JsonNode db(JsonNode functions) {
        for (JsonNode f : functions.path("functions")) {
            if (f.path("function").asText().equals("db")) {
                return f;
            }
        }
        throw new AssertionError("no db function in " + functions);
    }

    private static JsonNode functions(JsonNode ready) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                URI.create(ready.path("endpoint").asText() + "/_admin/functions")).timeout(Duration.ofSeconds(30))
                .header("X-Local-Cloud-Token", ready.path("adminToken").asText()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("functions %s", answer.body()).isEqualTo(200);
        return DeployFiles.JSON.readTree(answer.body());
    }

    private static JsonNode login(JsonNode ready, String authCode) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(ready.path("sessionUrl").asText()))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"authCode\":\"" + authCode + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("login %s", answer.body()).isEqualTo(200);
        return DeployFiles.JSON.readTree(answer.body());
    }

    private static JsonNode invokeDb(JsonNode ready, JsonNode session, String fields) throws Exception {
        JsonNode sts = session.path("sts");
        String path = "/2016-08-15/services/" + ready.path("serviceName").asText() + "/functions/"
                + ready.path("dbFunctionName").asText() + "/invocations";
        byte[] body = ("{\"sid\":\"" + session.path("sessionId").asText() + "\"," + fields + "}")
                .getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ready.path("endpoint").asText() + path))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        Fc2Signing.invokeHeaders(path, body, ready.path("accountId").asText(), sts.path("AccessKeyId").asText(),
                sts.path("AccessKeySecret").asText(), sts.path("SecurityToken").asText(), Instant.now())
                .forEach(request::header);
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("invoke %s", answer.body()).isEqualTo(200);
        return DeployFiles.JSON.readTree(answer.body());
    }

    private static String sha256(Path file) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
