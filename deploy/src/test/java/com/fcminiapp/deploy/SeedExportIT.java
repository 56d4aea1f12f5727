package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.localcloud.LocalCloud;
import com.fcminiapp.localcloud.standin.FaultSwitch;
import com.fcminiapp.localcloud.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Exports on local-cloud running the real functions: whatever paths users store (a file and a folder of the same
 * name, a 300-byte segment, names equal but for case) the export is written whole and an import of it gives back
 * every file byte for byte at its path with its type; a failed export leaves nothing and a retry works; imported
 * files are stored as uploads are (HTML as an attachment), also after an export and an import.
 */
class SeedExportIT {

    static final String LONG = "s".repeat(300);

    @TempDir
    static Path dir;
    static LocalCloud cloud;
    static JsonNode eve;

    @BeforeAll
    static void start() throws Exception {
        cloud = TwoTableCloud.start(dir, dir.resolve("data"));
        eve = SeedClients.login(cloud, "eve");
        SeedClients.db(cloud, eve, SeedClients.event("put").put("table", "notes").set("obj",
                SeedClients.JSON.createObjectNode().put("id", "n1").put("text", "hé")));
        byte[] binary = {0, (byte) 0xff, '<', 's', '>'};
        SeedClients.upload(cloud, eve, "x", "application/octet-stream", binary);
        SeedClients.upload(cloud, eve, "x/y", "text/plain", "inside x".getBytes(StandardCharsets.UTF_8));
        SeedClients.upload(cloud, eve, LONG + "/f.txt", "text/plain", "long".getBytes(StandardCharsets.UTF_8));
        SeedClients.upload(cloud, eve, "Photo.png", "image/png", new byte[] {1});
        SeedClients.upload(cloud, eve, "photo.png", "image/png", new byte[] {2});
        SeedClients.upload(cloud, eve, "a:b?.txt", "text/markdown", "# md".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void everyPathAUserStoredIsExportedAndAnImportGivesEachBackByteForByte() throws Exception {
        Path first = cloud.export(dir.resolve("first-" + UUID.randomUUID()));
        assertThat(first.resolve("files/eve/x")).isRegularFile();
        JsonNode listed = SeedClients.JSON.readTree(first.resolve("files.json").toFile()).path("eve");
        for (String kept : new String[] {"x/y", LONG + "/f.txt", "photo.png", "a:b?.txt"}) {
            String blob = listed.path(kept).path("blob").asText();
            assertThat(first.resolve("blobs").resolve(blob)).as(kept).isRegularFile();
        }
        Map<String, String> before = eveFiles(cloud);
        Path data = dir.resolve("copy-" + UUID.randomUUID());
        try (LocalCloud copy = TwoTableCloud.start(dir, data, "--import", first.toString())) {
            assertThat(eveFiles(copy)).isEqualTo(before);
            Path second = copy.export(dir.resolve("second-" + UUID.randomUUID()));
            assertThat(SeedFolderIT.tree(second)).isEqualTo(SeedFolderIT.tree(first));
        }
        assertThat(before).containsKeys("x", "x/y", LONG + "/f.txt", "Photo.png", "photo.png", "a:b?.txt");
    }

    /** Eve's files by path: type, disposition and bytes, as stored. */
    private static Map<String, String> eveFiles(LocalCloud on) throws Exception {
        String prefix = "file users/" + SeedClients.uidOf(on, "eve") + "/";
        Map<String, String> files = new TreeMap<>();
        SeedClients.state(on).forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                files.put(key.substring(prefix.length()), value);
            }
        });
        return files;
    }

    @Test
    void anExportFailingHalfWayLeavesNoFolderAndARetryWritesItWhole() throws Exception {
        Path parent = Files.createDirectories(dir.resolve("exports-" + UUID.randomUUID()));
        Path target = parent.resolve("snapshot");
        FaultSwitch oss = cloud.standIns().get("oss").faults();
        // rows are written first, then each file is read from OSS: fail OSS after a few files
        oss.failAfter(4, Long.MAX_VALUE);
        try {
            assertThatThrownBy(() -> cloud.export(target)).hasMessageContaining("OSS");
        } finally {
            oss.clear();
        }
        assertThat(target).doesNotExist();
        try (Stream<Path> left = Files.list(parent)) {
            assertThat(left.collect(Collectors.toList())).isEmpty();
        }
        assertThat(cloud.export(target)).isEqualTo(target);
        assertThat(SeedFolderIT.tree(target)).isEqualTo(SeedFolderIT.tree(cloud.export(parent.resolve("again"))));
    }

    @Test
    void anImportedHtmlFileIsServedAsAnAttachmentAlsoAfterAnExportAndAnImport() throws Exception {
        Path seed = dir.resolve("html-" + UUID.randomUUID());
        Files.createDirectories(seed.resolve("files/hal"));
        Files.writeString(seed.resolve("files/hal/page.html"), "<script>alert(document.cookie)</script>");
        Files.writeString(seed.resolve("files/hal/note.txt"), "plain");
        cloud.importSeed(seed);
        JsonNode hal = SeedClients.login(cloud, "hal");
        assertServedAsUploadsAre(cloud, hal);
        Path exported = cloud.export(dir.resolve("html-export-" + UUID.randomUUID()));
        try (LocalCloud copy = TwoTableCloud.start(dir, dir.resolve("html-copy-" + UUID.randomUUID()), "--import",
                exported.toString())) {
            assertServedAsUploadsAre(copy, SeedClients.login(copy, "hal"));
        }
    }

    private static void assertServedAsUploadsAre(LocalCloud on, JsonNode hal) throws Exception {
        RawHttp.Response page = SeedClients.download(on, hal, "page.html");
        assertThat(page.status).isEqualTo(200);
        assertThat(page.headers.get("content-type")).isEqualTo("text/html");
        assertThat(page.headers.get("content-disposition")).isEqualTo("attachment");
        RawHttp.Response note = SeedClients.download(on, hal, "note.txt");
        assertThat(note.headers.get("content-type")).isEqualTo("text/plain");
        assertThat(note.headers).doesNotContainKey("content-disposition");
    }
}
