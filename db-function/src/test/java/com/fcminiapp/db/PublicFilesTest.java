package com.fcminiapp.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.fcminiapp.db.DbFixture.json;
import static com.fcminiapp.db.FileOpsTest.code;
import static com.fcminiapp.db.FileOpsTest.download;
import static com.fcminiapp.db.FileOpsTest.upload;
import static org.assertj.core.api.Assertions.assertThat;

/** Public folders {@code public/<uid>/} (contract "Shared tables", files): everyone reads, only the owner writes. */
class PublicFilesTest {

    @RegisterExtension
    static final DbFixture fx = new DbFixture();

    private static ObjectNode pub(String path) {
        ObjectNode fields = json("{\"public\":true}");
        return path == null ? fields : fields.put("path", path);
    }

    private static ObjectNode pubOf(String owner, String path) {
        return pub(path).put("owner", owner);
    }

    private static void put(DbFixture.User u, ObjectNode fields, byte[] bytes) throws Exception {
        ObjectNode answer = fx.invoke(u.event("uploadPolicy", fields));
        assertThat(answer.has("data")).as(answer.toString()).isTrue();
        HttpResponse<String> posted = upload(answer.get("data"), bytes);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
    }

    private static List<String> paths(ObjectNode listing) {
        assertThat(listing.has("data")).as(listing.toString()).isTrue();
        List<String> paths = new ArrayList<>();
        listing.get("data").forEach(f -> paths.add(f.get("path").asText()));
        return paths;
    }

    private static int fetch(DbFixture.User u, ObjectNode fields) throws Exception {
        return download(fx.invoke(u.event("downloadUrl", fields)).at("/data/url").asText()).statusCode();
    }

    @Test
    void aliceUploadsToHerPublicFolderAndBobDownloadsAndListsIt() throws Exception {
        DbFixture.User alice = fx.newUser("alice");
        DbFixture.User bob = fx.newUser("bob");
        byte[] photo = "a photo".getBytes(StandardCharsets.UTF_8);

        JsonNode form = fx.invoke(alice.event("uploadPolicy", pub("posts/1.jpg").put("contentType", "image/jpeg")))
                .get("data");
        assertThat(form.at("/fields/key").asText()).isEqualTo("public/" + alice.uid + "/posts/1.jpg");
        assertThat(form.get("path").asText()).isEqualTo("posts/1.jpg");
        assertThat(upload(form, photo).statusCode()).isEqualTo(200);

        JsonNode link = fx.invoke(bob.event("downloadUrl", pubOf(alice.uid, "posts/1.jpg"))).get("data");
        HttpResponse<byte[]> got = download(link.get("url").asText());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(photo);
        assertThat(paths(fx.invoke(bob.event("listFiles", pubOf(alice.uid, null))))).containsExactly("posts/1.jpg");
        JsonNode urls = fx.invoke(bob.event("downloadUrls", pubOf(alice.uid, null)
                .set("paths", json("{\"p\":[\"posts/1.jpg\"]}").get("p")))).get("data");
        assertThat(download(urls.get(0).get("url").asText()).body()).isEqualTo(photo);

        // the owner reads it without naming herself; her private folder and bob's public one stay empty
        assertThat(paths(fx.invoke(alice.event("listFiles", pub(null))))).containsExactly("posts/1.jpg");
        assertThat(paths(fx.invoke(alice.event("listFiles", pubOf(alice.uid, null))))).containsExactly("posts/1.jpg");
        assertThat(fetch(alice, pub("posts/1.jpg"))).isEqualTo(200);
        assertThat(paths(fx.invoke(alice.event("listFiles", "{}")))).isEmpty();
        assertThat(paths(fx.invoke(bob.event("listFiles", pub(null))))).isEmpty();
        assertThat(fetch(bob, pub("posts/1.jpg"))).isEqualTo(404);
    }

    @Test
    void bobCannotUploadToOrRemoveFromAlicesPublicFolder() throws Exception {
        DbFixture.User alice = fx.newUser("alice");
        DbFixture.User bob = fx.newUser("bob");
        put(alice, pub("a.txt"), new byte[] {1});

        ObjectNode upload = fx.invoke(bob.event("uploadPolicy", pubOf(alice.uid, "a.txt")));
        ObjectNode remove = fx.invoke(bob.event("removeFile", pubOf(alice.uid, "a.txt")));

        assertThat(code(upload)).isEqualTo("PERMISSION_DENIED");
        assertThat(upload.at("/error/message").asText()).startsWith("Only its owner writes a public folder");
        assertThat(code(remove)).isEqualTo("PERMISSION_DENIED");
        assertThat(paths(fx.invoke(alice.event("listFiles", pub(null))))).containsExactly("a.txt");
        // naming herself is fine
        assertThat(fx.invoke(alice.event("removeFile", pubOf(alice.uid, "a.txt")))).isEqualTo(json("{\"data\":null}"));
        assertThat(paths(fx.invoke(bob.event("listFiles", pubOf(alice.uid, null))))).isEmpty();
        put(alice, pubOf(alice.uid, "b.txt"), new byte[] {2});
        assertThat(paths(fx.invoke(alice.event("listFiles", pub(null))))).containsExactly("b.txt");
    }

    @Test
    void alicesPublicFormCannotStoreIntoBobsFolderOrHerPrivateOne() throws Exception {
        DbFixture.User alice = fx.newUser("alice");
        DbFixture.User bob = fx.newUser("bob");
        JsonNode form = fx.invoke(alice.event("uploadPolicy", pub("x.txt"))).get("data");

        assertThat(upload(form, new byte[1], Map.of("key", "public/" + bob.uid + "/x.txt")).statusCode())
                .isEqualTo(403);
        assertThat(upload(form, new byte[1], Map.of("key", "users/" + alice.uid + "/x.txt")).statusCode())
                .isEqualTo(403);
        assertThat(paths(fx.invoke(bob.event("listFiles", pub(null))))).isEmpty();
        assertThat(paths(fx.invoke(alice.event("listFiles", "{}")))).isEmpty();
    }

    @Test
    void ownerWithoutPublicIsRefusedByEveryFileOp() {
        DbFixture.User alice = fx.newUser("alice");
        DbFixture.User bob = fx.newUser("bob");
        for (String op : List.of("uploadPolicy", "downloadUrl", "downloadUrls", "listFiles", "removeFile")) {
            for (String flag : List.of("", ",\"public\":false")) {
                ObjectNode fields = json("{\"path\":\"a.txt\",\"paths\":[\"a.txt\"]" + flag + "}")
                        .put("owner", alice.uid);
                ObjectNode answer = fx.invoke(bob.event(op, fields));
                assertThat(code(answer)).as(op + flag).isEqualTo("INVALID_ARGUMENT");
                assertThat(answer.at("/error/message").asText()).as(op).contains("\"public\": true");
            }
        }
    }

    @Test
    void publicMustBeABooleanAndOwnerAUid() {
        DbFixture.User bob = fx.newUser("bob");
        assertThat(code(fx.invoke(bob.event("downloadUrl", "{\"path\":\"a\",\"public\":\"yes\"}"))))
                .isEqualTo("INVALID_ARGUMENT");
        assertThat(code(fx.invoke(bob.event("downloadUrl", "{\"path\":\"a\",\"public\":true,\"owner\":5}"))))
                .isEqualTo("INVALID_ARGUMENT");
        List<String> bad = List.of("", "a/b", "x\u0001y", "x\u007fy", "u".repeat(129), ".", "..", "a b", "\uD800",
                "../users/x", "%2e%2e");
        for (String op : List.of("downloadUrl", "listFiles", "uploadPolicy", "removeFile")) {
            for (String owner : bad) {
                ObjectNode answer = fx.invoke(bob.event(op, pubOf(owner, "a.txt")));
                assertThat(code(answer)).as(op + " " + owner).isEqualTo("INVALID_ARGUMENT");
                assertThat(answer.at("/error/message").asText()).startsWith("owner must be a user's uid");
            }
        }
        String longest = "u".repeat(128);
        JsonNode link = fx.invoke(bob.event("downloadUrl", pubOf(longest, "a.txt"))).get("data");
        assertThat(link.get("url").asText()).contains("/public/" + longest + "/a.txt");
    }

    @Test
    void privateFilesAreUnreachableThroughPublicOrOwner() throws Exception {
        DbFixture.User alice = fx.newUser("alice");
        DbFixture.User bob = fx.newUser("bob");
        put(alice, json("{\"path\":\"secret.txt\"}"), new byte[] {7});
        assertThat(fetch(alice, json("{\"path\":\"secret.txt\"}"))).isEqualTo(200);

        assertThat(fetch(bob, pubOf(alice.uid, "secret.txt"))).isEqualTo(404);
        assertThat(fetch(bob, json("{\"path\":\"secret.txt\"}"))).isEqualTo(404);
        assertThat(paths(fx.invoke(bob.event("listFiles", pubOf(alice.uid, null))))).isEmpty();
        for (String path : List.of("../../users/" + alice.uid + "/secret.txt", "%2e%2e/%2e%2e/users/x",
                "../" + alice.uid + "/secret.txt")) {
            assertThat(code(fx.invoke(bob.event("downloadUrl", pubOf(alice.uid, path))))).as(path)
                    .isEqualTo("INVALID_ARGUMENT");
        }
        for (String owner : List.of("../users/" + alice.uid, alice.uid + "/../../users/" + alice.uid)) {
            assertThat(code(fx.invoke(bob.event("listFiles", pubOf(owner, null))))).as(owner)
                    .isEqualTo("INVALID_ARGUMENT");
        }
        // removing through the public folder leaves the private file alone
        assertThat(fx.invoke(alice.event("removeFile", pub("secret.txt")))).isEqualTo(json("{\"data\":null}"));
        assertThat(fetch(alice, json("{\"path\":\"secret.txt\"}"))).isEqualTo(200);
    }

    @Test
    void badPathsAreRefusedInPublicFoldersToo() {
        DbFixture.User alice = fx.newUser("alice");
        DbFixture.User bob = fx.newUser("bob");
        List<String> bad = List.of("", "/abs", "a//b", "..", "../x", "a/../b", "a\\b", "%2e%2e/x", "x\u0001y",
                "${filename}");
        for (String path : bad) {
            assertThat(code(fx.invoke(alice.event("uploadPolicy", pub(path))))).as(path).isEqualTo("INVALID_ARGUMENT");
            assertThat(code(fx.invoke(bob.event("downloadUrl", pubOf(alice.uid, path))))).as(path)
                    .isEqualTo("INVALID_ARGUMENT");
        }
        for (String prefix : List.of("/x", "../", "a//")) {
            ObjectNode fields = pubOf(alice.uid, null).put("prefix", prefix);
            assertThat(code(fx.invoke(bob.event("listFiles", fields)))).as(prefix).isEqualTo("INVALID_ARGUMENT");
        }
    }

    @Test
    void publicListingsPageWithTokensAndPrefixes() throws Exception {
        DbFixture.User alice = fx.newUser("alice");
        DbFixture.User bob = fx.newUser("bob");
        List<String> all = List.of("a/1.txt", "a/2.txt", "a/3.txt", "b.txt");
        for (String path : all) {
            put(alice, pub(path), path.getBytes(StandardCharsets.UTF_8));
        }
        List<String> seen = new ArrayList<>();
        String next = null;
        do {
            ObjectNode fields = pubOf(alice.uid, null).put("limit", 3);
            if (next != null) {
                fields.put("next", next);
            }
            ObjectNode page = fx.invoke(bob.event("listFiles", fields));
            seen.addAll(paths(page));
            next = page.get("next").isNull() ? null : page.get("next").asText();
        } while (next != null);

        assertThat(seen).containsExactlyElementsOf(all);
        assertThat(paths(fx.invoke(bob.event("listFiles", pubOf(alice.uid, null).put("prefix", "a/")))))
                .containsExactly("a/1.txt", "a/2.txt", "a/3.txt");
    }
}
