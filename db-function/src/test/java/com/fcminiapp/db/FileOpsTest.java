package com.fcminiapp.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.fcminiapp.db.DbFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

class FileOpsTest {

    @RegisterExtension
    static final DbFixture fx = new DbFixture();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static String code(ObjectNode answer) {
        return answer.path("error").path("code").asText(null);
    }

    /** Posts {@code bytes} through the returned form as a mini-program would (multipart, file last). */
    static HttpResponse<String> upload(JsonNode form, byte[] bytes) throws IOException, InterruptedException {
        return upload(form, bytes, Map.of());
    }

    static HttpResponse<String> upload(JsonNode form, byte[] bytes, Map<String, String> overrides)
            throws IOException, InterruptedException {
        String boundary = "----b" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Iterator<Map.Entry<String, JsonNode>> it = form.get("fields").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String value = overrides.getOrDefault(field.getKey(), field.getValue().asText());
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + form.get("fileField").asText() + "\"; filename=\"f.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(form.get("url").asText()))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> download(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void anUploadThroughTheFormComesBackThroughThePresignedGet() throws Exception {
        DbFixture.User u = fx.newUser("f");
        ObjectNode answer = fx.invoke(u.event("uploadPolicy", "{\"path\":\"photos/cat 1.jpg\",\"contentType\":\"image/jpeg\"}"));
        JsonNode form = answer.get("data");
        assertThat(form.get("url").asText()).isEqualTo(fx.oss.endpoint() + "/" + DbFixture.BUCKET);
        assertThat(form.get("fileField").asText()).isEqualTo("file");
        assertThat(form.get("path").asText()).isEqualTo("photos/cat 1.jpg");
        assertThat(form.at("/fields/key").asText()).isEqualTo("users/" + u.uid + "/photos/cat 1.jpg");
        assertThat(form.at("/fields/OSSAccessKeyId").asText()).isEqualTo(fx.executionKey.accessKeyId);
        assertThat(form.at("/fields/x-oss-security-token").asText()).isEqualTo(fx.executionKey.securityToken);
        assertThat(form.at("/fields/success_action_status").asText()).isEqualTo("200");
        assertThat(Instant.parse(form.get("expiresAt").asText())).isAfter(fx.clock.instant());
        String policy = new String(java.util.Base64.getDecoder().decode(form.at("/fields/policy").asText()),
                StandardCharsets.UTF_8);
        JsonNode conditions = json(policy).get("conditions");
        assertThat(conditions).contains(
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add("eq").add("$key")
                        .add("users/" + u.uid + "/photos/cat 1.jpg"),
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add("content-length-range").add(0)
                        .add(10 * 1024 * 1024));

        byte[] bytes = "meow \u0000\u00ff bytes".getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> posted = upload(form, bytes);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

        JsonNode link = fx.invoke(u.event("downloadUrl", "{\"path\":\"photos/cat 1.jpg\"}")).get("data");
        assertThat(Instant.parse(link.get("expiresAt").asText())).isAfter(fx.clock.instant());
        HttpResponse<byte[]> got = download(link.get("url").asText());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(bytes);
    }

    @Test
    void anUploadOverMaxBytesIsRefusedByTheStore() throws Exception {
        DbFixture.User u = fx.newUser("f");
        JsonNode form = fx.invoke(u.event("uploadPolicy", "{\"path\":\"small.txt\",\"maxBytes\":10}")).get("data");
        assertThat(upload(form, new byte[11]).statusCode()).isEqualTo(400);
        assertThat(upload(form, new byte[10]).statusCode()).isEqualTo(200);
    }

    @Test
    void theFormCannotStoreAnotherKeyOrAnotherContentType() throws Exception {
        DbFixture.User u = fx.newUser("f");
        DbFixture.User other = fx.newUser("g");
        JsonNode form = fx.invoke(u.event("uploadPolicy", "{\"path\":\"a.txt\",\"contentType\":\"text/plain\"}")).get("data");
        assertThat(upload(form, new byte[3], Map.of("key", "users/" + other.uid + "/a.txt")).statusCode()).isEqualTo(403);
        assertThat(upload(form, new byte[3], Map.of("key", "users/" + u.uid + "/b.txt")).statusCode()).isEqualTo(403);
        assertThat(upload(form, new byte[3], Map.of("Content-Type", "text/html")).statusCode()).isEqualTo(403);
        assertThat(upload(form, new byte[3], Map.of("success_action_status", "201")).statusCode()).isEqualTo(403);
        JsonNode listing = fx.invoke(other.event("listFiles", "{}")).get("data");
        assertThat(listing).isEmpty();
    }

    @Test
    void uploadPolicyRefusesBadArguments() {
        DbFixture.User u = fx.newUser("f");
        for (String fields : List.of("{}", "{\"path\":5}", "{\"path\":\"a\",\"maxBytes\":0}",
                "{\"path\":\"a\",\"maxBytes\":" + (10 * 1024 * 1024 + 1) + "}", "{\"path\":\"a\",\"maxBytes\":\"10\"}",
                "{\"path\":\"a\",\"contentType\":\"text/html\\r\\nX: y\"}", "{\"path\":\"a\",\"contentType\":\"nonsense\"}")) {
            assertThat(code(fx.invoke(u.event("uploadPolicy", fields)))).as(fields).isEqualTo("INVALID_ARGUMENT");
        }
    }

    @Test
    void badPathsAreRefusedByEveryFileOp() {
        DbFixture.User u = fx.newUser("f");
        List<String> bad = List.of("", "/abs", "a//b", "a/", "..", "../x", "a/../b", ".", "a/./b", "a\\b",
                "%2e%2e/x", "a/%2E%2E", "%252e%252e/x", "%2e", "a%2fb/..", "x\u0001y", "x\u007fy",
                "é".repeat(257), "\uD800x", "${filename}", "up/${filename}", "a$b", "$");
        for (String op : List.of("uploadPolicy", "downloadUrl", "removeFile")) {
            for (String path : bad) {
                ObjectNode event = u.event(op, json("{}").put("path", path));
                assertThat(code(fx.invoke(event))).as(op + " " + path).isEqualTo("INVALID_ARGUMENT");
            }
        }
        for (String prefix : List.of("/x", "../", "a/../", "%2e%2e/", "a\\", "a//", "$", "up/${filename}")) {
            assertThat(code(fx.invoke(u.event("listFiles", json("{}").put("prefix", prefix))))).as(prefix)
                    .isEqualTo("INVALID_ARGUMENT");
        }
    }

    @Test
    void aPathOf512BytesIsAccepted() {
        DbFixture.User u = fx.newUser("f");
        String path = "d/" + "é".repeat(255);
        assertThat(path.getBytes(StandardCharsets.UTF_8)).hasSize(512);
        assertThat(fx.invoke(u.event("downloadUrl", json("{}").put("path", path))).has("data")).isTrue();
    }

    @Test
    void listFilesPagesThroughTheCallersFolderWithPrefixAndRemoveFileDeletes() throws Exception {
        DbFixture.User u = fx.newUser("f");
        Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<String> paths = List.of("docs/a.txt", "docs/b.txt", "docs/c.txt", "img/x.png", "top.txt");
        for (String path : paths) {
            JsonNode form = fx.invoke(u.event("uploadPolicy", json("{}").put("path", path))).get("data");
            assertThat(upload(form, path.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        }
        List<String> seen = new ArrayList<>();
        String next = null;
        do {
            ObjectNode fields = json("{\"limit\":2}");
            if (next != null) {
                fields.put("next", next);
            }
            ObjectNode page = fx.invoke(u.event("listFiles", fields));
            for (JsonNode file : page.get("data")) {
                seen.add(file.get("path").asText());
                assertThat(file.get("size").asLong()).isEqualTo(file.get("path").asText().length());
                assertThat(Instant.parse(file.get("lastModified").asText())).isBetween(before, Instant.now());
            }
            next = page.get("next").isNull() ? null : page.get("next").asText();
        } while (next != null);
        assertThat(seen).containsExactlyElementsOf(paths);

        ObjectNode docs = fx.invoke(u.event("listFiles", "{\"prefix\":\"docs/\"}"));
        assertThat(docs.get("data")).hasSize(3);
        assertThat(docs.get("next").isNull()).isTrue();

        assertThat(fx.invoke(u.event("removeFile", "{\"path\":\"docs/b.txt\"}"))).isEqualTo(json("{\"data\":null}"));
        assertThat(fx.invoke(u.event("removeFile", "{\"path\":\"docs/b.txt\"}"))).isEqualTo(json("{\"data\":null}"));
        assertThat(fx.invoke(u.event("listFiles", "{\"prefix\":\"docs/\"}")).get("data")).hasSize(2);

        for (String bad : List.of("{\"limit\":0}", "{\"limit\":101}", "{\"next\":\"zz\"}", "{\"prefix\":3}")) {
            assertThat(code(fx.invoke(u.event("listFiles", bad)))).as(bad).isEqualTo("INVALID_ARGUMENT");
        }
        assertThat(fx.invoke(u.event("listFiles", "{\"limit\":100}")).get("data")).hasSize(4);
    }

    @Test
    void theOssSdkLogsNothingOfItsOwnWhenCallsFail() {
        DbFixture.User u = fx.newUser("g");
        List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        fx.oss.faults().fail();
        try {
            assertThat(code(fx.invoke(u.event("listFiles", "{}")))).isEqualTo("UPSTREAM_UNAVAILABLE");
        } finally {
            fx.oss.faults().clear();
            root.removeHandler(capture);
        }

        assertThat(records).noneMatch(r -> String.valueOf(r.getLoggerName()).startsWith("com.aliyun.oss"));
    }

    @Test
    void anOssOutageIsUpstreamUnavailable() {
        DbFixture.User u = fx.newUser("f");
        fx.oss.faults().fail();
        try {
            assertThat(code(fx.invoke(u.event("listFiles", "{}")))).isEqualTo("UPSTREAM_UNAVAILABLE");
            assertThat(code(fx.invoke(u.event("removeFile", "{\"path\":\"a\"}")))).isEqualTo("UPSTREAM_UNAVAILABLE");
        } finally {
            fx.oss.faults().clear();
        }
    }
    /** Stores {@code key} as is with the bucket owner's key (a PostObject with an empty policy), as other tools might. */
    static void plant(String key, byte[] bytes) throws Exception {
        String policy = java.util.Base64.getEncoder().encodeToString(("{\"expiration\":\""
                + Instant.now().plusSeconds(600) + "\",\"conditions\":[]}").getBytes(StandardCharsets.UTF_8));
        ObjectNode form = json("{\"fileField\":\"file\"}");
        form.put("url", fx.oss.endpoint() + "/" + DbFixture.BUCKET);
        form.putObject("fields").put("key", key).put("policy", policy)
                .put("OSSAccessKeyId", fx.adminKey.accessKeyId)
                .put("Signature", com.aliyun.oss.common.auth.ServiceSignature.create()
                        .computeSignature(fx.adminKey.accessKeySecret, policy));
        HttpResponse<String> posted = upload(form, bytes);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(204);
    }

    static List<String> listAll(DbFixture.User u, int limit) {
        List<String> seen = new ArrayList<>();
        String next = null;
        do {
            ObjectNode fields = json("{}").put("limit", limit);
            if (next != null) {
                fields.put("next", next);
            }
            ObjectNode page = fx.invoke(u.event("listFiles", fields));
            assertThat(page.has("data")).as(page.toString()).isTrue();
            page.get("data").forEach(file -> seen.add(file.get("path").asText()));
            next = page.get("next").isNull() ? null : page.get("next").asText();
        } while (next != null);
        return seen;
    }

    @Test
    void oddStoredKeysAreListedAndEachCanBeRemovedWithoutReachingOtherFolders() throws Exception {
        DbFixture.User u = fx.newUser("odd");
        DbFixture.User victim = fx.newUser("victim");
        plant("users/" + victim.uid + "/x", new byte[] {1});
        List<String> odd = List.of("up/../../" + victim.uid + "/x", "ctl\u0001char", "a$b{x}", "%2e%2e/y",
                "dot/./z", "tab\tand<xml>&amp;", "two//slashes", "trailing/", "back\\slash", "\u007fdel");
        for (String path : odd) {
            plant("users/" + u.uid + "/" + path, new byte[] {2});
        }

        List<String> listed = listAll(u, 3);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(odd);
        for (String path : listed) {
            assertThat(fx.invoke(u.event("removeFile", json("{}").put("path", path)))).as(path)
                    .isEqualTo(json("{\"data\":null}"));
        }
        assertThat(listAll(u, 20)).isEmpty();
        assertThat(listAll(victim, 20)).containsExactly("x");
    }

    @Test
    void aRuleBreakingPathThatNamesNoStoredFileIsStillRefused() throws Exception {
        DbFixture.User u = fx.newUser("odd");
        DbFixture.User other = fx.newUser("other");
        plant("users/" + other.uid + "/x", new byte[] {1});
        for (String path : List.of("../" + other.uid + "/x", "a${filename}", "x\u0001", "/x")) {
            assertThat(code(fx.invoke(u.event("removeFile", json("{}").put("path", path))))).as(path)
                    .isEqualTo("INVALID_ARGUMENT");
        }
        assertThat(listAll(other, 20)).containsExactly("x");
    }

    @Test
    void listFilesPagesAreExactlyTheLimitWithTwentyByDefault() throws Exception {
        DbFixture.User u = fx.newUser("page");
        for (int i = 0; i < 21; i++) {
            plant("users/" + u.uid + "/f" + (char) ('a' + i), new byte[i]);
        }
        ObjectNode first = fx.invoke(u.event("listFiles", "{}"));
        assertThat(first.get("data")).hasSize(20);
        assertThat(first.get("data").get(19).get("path").asText()).isEqualTo("ft");
        assertThat(first.get("data").get(19).get("size").asLong()).isEqualTo(19);
        ObjectNode second = fx.invoke(u.event("listFiles", json("{}").put("next", first.get("next").asText())));
        assertThat(second.get("data")).hasSize(1);
        assertThat(second.get("data").get(0).get("path").asText()).isEqualTo("fu");
        assertThat(second.get("next").isNull()).isTrue();
        assertThat(fx.invoke(u.event("listFiles", "{\"limit\":1}")).get("data")).hasSize(1);
        assertThat(fx.invoke(u.event("listFiles", "{\"limit\":21}")).get("next").isNull()).isTrue();
        assertThat(fx.invoke(u.event("listFiles", "{\"limit\":20}")).get("next").isNull()).isFalse();
    }

    private static JsonNode conditions(JsonNode form) {
        return json(new String(java.util.Base64.getDecoder().decode(form.at("/fields/policy").asText()),
                StandardCharsets.UTF_8)).get("conditions");
    }

    private static com.fasterxml.jackson.databind.node.ArrayNode eq(String field, String value) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add("eq").add("$" + field).add(value);
    }

    @Test
    void aFormWithoutContentTypePinsOctetStreamAsAnAttachment() throws Exception {
        DbFixture.User u = fx.newUser("ct");
        JsonNode form = fx.invoke(u.event("uploadPolicy", "{\"path\":\"page.html\"}")).get("data");
        assertThat(form.at("/fields/Content-Type").asText()).isEqualTo("application/octet-stream");
        assertThat(form.at("/fields/Content-Disposition").asText()).isEqualTo("attachment");
        assertThat(conditions(form)).contains(eq("Content-Type", "application/octet-stream"),
                eq("Content-Disposition", "attachment"));

        assertThat(upload(form, new byte[1], Map.of("Content-Type", "text/html")).statusCode()).isEqualTo(403);
        assertThat(upload(form, new byte[1], Map.of("Content-Disposition", "inline")).statusCode()).isEqualTo(403);
        assertThat(upload(form, "<script>".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> got = download(fx.invoke(u.event("downloadUrl", "{\"path\":\"page.html\"}")).at("/data/url").asText());
        assertThat(got.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(got.headers().firstValue("Content-Disposition")).hasValue("attachment");
    }

    @Test
    void onlyRasterImagesAndPlainTextAreServedInline() throws Exception {
        DbFixture.User u = fx.newUser("ct");
        Map<String, Boolean> inline = Map.of("image/png", true, "IMAGE/JPEG", true, "text/plain; charset=utf-8", true,
                "text/html", false, "image/svg+xml", false, "application/xhtml+xml", false, "text/xml", false,
                "application/pdf", false);
        for (Map.Entry<String, Boolean> type : inline.entrySet()) {
            String path = "t" + Math.abs(type.getKey().hashCode());
            JsonNode form = fx.invoke(u.event("uploadPolicy", json("{}").put("path", path)
                    .put("contentType", type.getKey()))).get("data");
            assertThat(form.at("/fields/Content-Type").asText()).isEqualTo(type.getKey());
            assertThat(conditions(form)).as(type.getKey()).contains(eq("Content-Type", type.getKey()));
            assertThat(form.at("/fields/Content-Disposition").isMissingNode()).as(type.getKey()).isEqualTo(type.getValue());
            assertThat(upload(form, new byte[1]).statusCode()).isEqualTo(200);
            HttpResponse<byte[]> got = download(fx.invoke(u.event("downloadUrl", json("{}").put("path", path)))
                    .at("/data/url").asText());
            assertThat(got.headers().firstValue("Content-Type")).hasValue(type.getKey());
            assertThat(got.headers().firstValue("Content-Disposition")).as(type.getKey())
                    .isEqualTo(type.getValue() ? java.util.Optional.empty() : java.util.Optional.of("attachment"));
        }
    }

    @Test
    void theFormPinsTheBucketExactly() throws Exception {
        DbFixture.User u = fx.newUser("b");
        JsonNode form = fx.invoke(u.event("uploadPolicy", "{\"path\":\"a.txt\"}")).get("data");
        assertThat(conditions(form)).contains(json("{\"bucket\":\"" + DbFixture.BUCKET + "\"}"));
        String longer = DbFixture.BUCKET + "-x";
        fx.oss.createBucket(longer);
        ObjectNode elsewhere = ((ObjectNode) form.deepCopy()).put("url", fx.oss.endpoint() + "/" + longer);
        assertThat(upload(elsewhere, new byte[1]).statusCode()).isEqualTo(403);
        assertThat(upload(form, new byte[1]).statusCode()).isEqualTo(200);
    }

    /** A downloadUrls event of {@code u} asking for {@code paths}. */
    static ObjectNode urlsEvent(DbFixture.User u, List<String> paths) {
        ObjectNode event = u.event("downloadUrls", "{}");
        com.fasterxml.jackson.databind.node.ArrayNode array = event.putArray("paths");
        for (String path : paths) {
            array.add(path);
        }
        return event;
    }

    /** {@code n} paths that keep every rule, none twice. */
    private static List<String> goodPaths(int n) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            paths.add("p/" + i + ".jpg");
        }
        return paths;
    }

    private static void assertRefused(ObjectNode answer, String what, String messageStart) {
        assertThat(code(answer)).as(what + " " + answer).isEqualTo("INVALID_ARGUMENT");
        assertThat(answer.has("data")).as(what).isFalse();
        assertThat(answer.at("/error/message").asText()).as(what).startsWith(messageStart);
    }

    @Test
    void aHundredPathsAreAnsweredInRequestOrderEachAsDownloadUrlAnswersItAndEachUrlGetsItsOwnBytes() throws Exception {
        DbFixture.User u = fx.newUser("many");
        List<String> paths = new ArrayList<>();
        // not in key order, so the answer's order can only be the request's
        for (int i = 99; i >= 0; i--) {
            paths.add((i % 2 == 0 ? "photos/" : "thumbs/") + i + (i % 10 == 0 ? " \u00e9t\u00e9.jpg" : ".jpg"));
        }
        for (String path : paths) {
            JsonNode form = fx.invoke(u.event("uploadPolicy", json("{}").put("path", path))).get("data");
            assertThat(upload(form, ("bytes of " + path).getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        }

        ObjectNode answer = fx.invoke(urlsEvent(u, paths));
        assertThat(answer.fieldNames()).toIterable().containsExactly("data");
        JsonNode data = answer.get("data");
        assertThat(data).hasSize(100);
        Instant expiresAt = fx.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(900);
        for (int i = 0; i < paths.size(); i++) {
            JsonNode entry = data.get(i);
            assertThat(entry.fieldNames()).toIterable().containsExactly("path", "url", "expiresAt");
            assertThat(entry.get("path").asText()).isEqualTo(paths.get(i));
            assertThat(Instant.parse(entry.get("expiresAt").asText())).isEqualTo(expiresAt);
            ObjectNode single = (ObjectNode) fx.invoke(u.event("downloadUrl", json("{}").put("path", paths.get(i))))
                    .get("data");
            assertThat(entry).as(paths.get(i)).isEqualTo(single.put("path", paths.get(i)));
            HttpResponse<byte[]> got = download(entry.get("url").asText());
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("bytes of " + paths.get(i));
        }
    }

    @Test
    void downloadUrlsTakesAHundredPathsAndRefusesAHundredAndOneNamingTheLimit() {
        DbFixture.User u = fx.newUser("limit");
        assertThat(fx.invoke(urlsEvent(u, goodPaths(100))).get("data")).hasSize(100);
        ObjectNode answer = fx.invoke(urlsEvent(u, goodPaths(101)));
        assertRefused(answer, "101 paths", "paths holds 101 paths; send at most 100 per call");
        assertThat(fx.invoke(urlsEvent(u, goodPaths(1))).get("data")).hasSize(1);
    }

    @Test
    void downloadUrlsRefusesNoPathsAnEmptyArrayAndPathsThatAreNotAnArray() {
        DbFixture.User u = fx.newUser("none");
        assertRefused(fx.invoke(urlsEvent(u, List.of())), "[]", "paths is empty; send 1 to 100");
        assertRefused(fx.invoke(u.event("downloadUrls", "{}")), "missing", "paths is missing");
        assertRefused(fx.invoke(u.event("downloadUrls", "{\"paths\":null}")), "null", "paths is missing");
        // the single-path op's field is not taken instead
        assertRefused(fx.invoke(u.event("downloadUrls", "{\"path\":\"a.jpg\"}")), "path", "paths is missing");
        for (String paths : List.of("\"a.jpg\"", "{\"0\":\"a.jpg\"}", "5", "true")) {
            assertRefused(fx.invoke(u.event("downloadUrls", "{\"paths\":" + paths + "}")), paths,
                    "paths must be an array");
        }
    }

    @Test
    void aPathBreakingTheRulesAtIndexKRefusesTheWholeCallNamingPathsK() {
        DbFixture.User u = fx.newUser("badk");
        List<String> bad = List.of("", "/abs", "a//b", "a/", "..", "../x", "a/../b", ".", "a/./b", "a\\b",
                "%2e%2e/x", "a/%2E%2E", "%252e%252e/x", "%2e", "a%2fb/..", "x\u0001y", "x\u007fy",
                "\u00e9".repeat(257), "\uD800x", "${filename}", "up/${filename}", "a$b", "$");
        for (int k : new int[] {0, 37, 99}) {
            for (String path : bad) {
                List<String> paths = goodPaths(100);
                paths.set(k, path);
                assertRefused(fx.invoke(urlsEvent(u, paths)), k + " " + path, "paths[" + k + "] ");
            }
        }
        List<String> twoBad = goodPaths(10);
        twoBad.set(2, "../x");
        twoBad.set(5, "a$b");
        assertRefused(fx.invoke(urlsEvent(u, twoBad)), "first bad", "paths[2] must not hold . or ..");
        List<String> dollar = goodPaths(4);
        dollar.set(3, "up/${filename}");
        assertRefused(fx.invoke(urlsEvent(u, dollar)), "dollar", "paths[3] must not hold $");
    }

    @Test
    void anElementThatIsNotAStringIsRefusedNamingItsIndex() {
        DbFixture.User u = fx.newUser("types");
        for (String element : List.of("5", "null", "true", "{}", "[\"a.jpg\"]", "1.5")) {
            String fields = "{\"paths\":[\"a.jpg\",\"b.jpg\"," + element + ",\"c.jpg\"]}";
            assertRefused(fx.invoke(u.event("downloadUrls", fields)), element, "paths[2] must be a string");
        }
    }

    @Test
    void aRepeatedPathIsAnsweredEachTimeItIsAsked() {
        DbFixture.User u = fx.newUser("dup");
        List<String> paths = List.of("a.jpg", "b.jpg", "a.jpg", "a.jpg");
        JsonNode data = fx.invoke(urlsEvent(u, paths)).get("data");
        assertThat(data).hasSize(4);
        for (int i = 0; i < paths.size(); i++) {
            assertThat(data.get(i).get("path").asText()).isEqualTo(paths.get(i));
        }
        assertThat(data.get(2)).isEqualTo(data.get(0));
        assertThat(data.get(3)).isEqualTo(data.get(0));
        assertThat(data.get(1).get("url").asText()).isNotEqualTo(data.get(0).get("url").asText());
    }

    @Test
    void downloadUrlsSignsWithoutCallingOssSoItAnswersEvenWhileOssIsDown() {
        DbFixture.User u = fx.newUser("offline");
        fx.oss.faults().fail();
        try {
            assertThat(code(fx.invoke(u.event("listFiles", "{}")))).isEqualTo("UPSTREAM_UNAVAILABLE");
            JsonNode data = fx.invoke(urlsEvent(u, goodPaths(100))).get("data");
            assertThat(data).hasSize(100);
            assertThat(data.get(99).get("url").asText()).startsWith(fx.oss.endpoint() + "/" + DbFixture.BUCKET
                    + "/users/" + u.uid + "/p/99.jpg?");
        } finally {
            fx.oss.faults().clear();
        }
    }

    @Test
    void aMissingOrUnknownOpIsRefusedListingEveryOpWithDownloadUrls() {
        DbFixture.User u = fx.newUser("ops");
        String ops = "put, get, list, add, query, count, update, remove, uploadPolicy, downloadUrl, downloadUrls, "
                + "listFiles or removeFile.";
        ObjectNode missing = fx.invoke(DbFixture.json("{}").put("sid", u.sid));
        assertThat(missing.at("/error/message").asText()).isEqualTo("op is missing; use " + ops);
        ObjectNode unknown = fx.invoke(u.event("downloadURLs", json("{\"paths\":[\"a.jpg\"]}")));
        assertThat(unknown.at("/error/message").asText()).isEqualTo("Unknown op; use " + ops);
    }
}
