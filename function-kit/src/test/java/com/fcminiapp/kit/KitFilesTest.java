package com.fcminiapp.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.kit.internal.oss.OssConnections;
import com.fcminiapp.kit.testing.KitTestCloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The users' files through the kit: the db function's rules, the caller's folder, OSS clients built on first use. */
class KitFilesTest {

    static final KitTestCloud cloud = KitTestCloud.start("notes");

    /** input {"op": "upload"|"download"|"none", "path", "owner"?}: the caller's files, or owner's on purpose. */
    static AppFunction files(Kit kit) {
        Files files = kit.files();
        return (caller, input) -> {
            String op = input.get("op").asText();
            if (op.equals("none")) {
                return kit.table("notes").rowsOf(caller).get("x");
            }
            UserFiles folder = input.has("owner") ? files.of(input.get("owner").asText()) : files.of(caller);
            String path = input.get("path").asText();
            return op.equals("upload") ? folder.uploadPolicy(path, "text/plain", null) : folder.downloadUrl(path);
        };
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    private static JsonNode call(TestHandler handler, String user, String input) {
        return cloud.invoke(handler, cloud.event(cloud.login(user), input));
    }

    @Test
    void anUploadFormAndADownloadUrlReachOnlyTheCallersFolder() {
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), KitFilesTest::files);
        byte[] bytes = "written by alice \u00e9".getBytes(StandardCharsets.UTF_8);

        JsonNode form = call(handler, "alice", "{\"op\":\"upload\",\"path\":\"notes/a.txt\"}").get("data");
        int stored = cloud.upload(form, bytes);
        ObjectNode elsewhere = form.deepCopy();
        ((ObjectNode) elsewhere.get("fields")).put("key", "users/" + cloud.uid("bob") + "/notes/a.txt");
        int refused = cloud.upload(elsewhere, bytes);
        JsonNode alicesUrl = call(handler, "alice", "{\"op\":\"download\",\"path\":\"notes/a.txt\"}").get("data");
        JsonNode bobsUrl = call(handler, "bob", "{\"op\":\"download\",\"path\":\"notes/a.txt\"}").get("data");

        assertThat(form.at("/fields/key").asText()).isEqualTo("users/" + cloud.uid("alice") + "/notes/a.txt");
        assertThat(form.at("/fields/Content-Type").asText()).isEqualTo("text/plain");
        assertThat(form.get("url").asText()).isEqualTo(cloud.ossEndpoint() + "/" + KitTestCloud.BUCKET);
        assertThat(stored).isEqualTo(200);
        assertThat(refused).isEqualTo(403);
        assertThat(cloud.download(alicesUrl.get("url").asText())).isEqualTo(bytes);
        assertThat(bobsUrl.get("url").asText()).contains("/users/" + cloud.uid("bob") + "/");
        assertThat(cloud.download(bobsUrl.get("url").asText())).isNull();
    }

    @Test
    void aPathBreakingTheDbFunctionsRulesIsInvalid() {
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), KitFilesTest::files);

        for (String path : List.of("../x", "a/%2e%2e/b", "/abs", "a$b", "a\\\\b", "dir/")) {
            JsonNode answer = call(handler, "carol", "{\"op\":\"upload\",\"path\":\"" + path + "\"}");
            assertThat(answer.at("/error/code").asText()).as(path).isEqualTo("INVALID_ARGUMENT");
        }
    }

    @Test
    void anotherUsersFolderIsReachedOnlyByNamingThatUser() {
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), KitFilesTest::files);
        String dave = cloud.uid("dave");

        JsonNode form = call(handler, "erin", "{\"op\":\"upload\",\"path\":\"gift.txt\",\"owner\":\"" + dave + "\"}")
                .get("data");

        assertThat(form.at("/fields/key").asText()).isEqualTo("users/" + dave + "/gift.txt");
        assertThat(cloud.upload(form, new byte[] {1})).isEqualTo(200);
    }

    @Test
    void noOssClientIsBuiltUntilTheFirstFileOperationAndThenOnlyOnce() {
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), KitFilesTest::files);
        int before = OssConnections.built();

        cloud.initialize(handler);
        JsonNode rowOnly = call(handler, "lazy", "{\"op\":\"none\"}");
        int afterRows = OssConnections.built();
        call(handler, "lazy", "{\"op\":\"upload\",\"path\":\"a.txt\"}");
        call(handler, "lazy", "{\"op\":\"download\",\"path\":\"a.txt\"}");
        int afterFiles = OssConnections.built();

        assertThat(rowOnly.has("data")).isTrue();
        assertThat(afterRows).isEqualTo(before);
        // OSS_PUBLIC_ENDPOINT is unset, so one client serves calls and signing
        assertThat(afterFiles).isEqualTo(before + 1);
    }

    @Test
    void withoutOssBucketEveryFileOperationIsInternalAndTheLogNamesOssBucket() {
        Map<String, String> env = cloud.env();
        env.remove("OSS_BUCKET");
        TestHandler handler = TestHandler.of(env, cloud.clock(), KitFilesTest::files);
        int logged = cloud.logLines().size();

        JsonNode rows = call(handler, "nobucket", "{\"op\":\"none\"}");
        JsonNode upload = call(handler, "nobucket", "{\"op\":\"upload\",\"path\":\"a.txt\"}");
        JsonNode download = call(handler, "nobucket", "{\"op\":\"download\",\"path\":\"a.txt\"}");

        assertThat(rows.has("data")).isTrue();
        for (JsonNode answer : List.of(upload, download)) {
            assertThat(answer.at("/error/code").asText()).isEqualTo("INTERNAL");
            assertThat(answer.toString()).doesNotContain("OSS_BUCKET");
        }
        assertThat(cloud.logLines().subList(logged, cloud.logLines().size()))
                .filteredOn(l -> l.contains("app failed: INTERNAL") && l.contains("OSS_BUCKET is missing"))
                .hasSize(2);
    }

    @Test
    void aBucketWithoutAnEndpointFailsTheStart() {
        Map<String, String> env = cloud.env();
        env.remove("OSS_ENDPOINT");
        TestHandler handler = TestHandler.of(env, cloud.clock(), KitFilesTest::files);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> handler.initialize(cloud.context()))
                .hasMessageContaining("OSS_ENDPOINT is missing");
    }
}
