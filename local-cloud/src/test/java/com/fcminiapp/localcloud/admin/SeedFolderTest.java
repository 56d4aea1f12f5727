package com.fcminiapp.localcloud.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seed folder's shape: each refusal names the file and what to fix; a good folder is read whole, file sizes
 * taken without reading a byte; no link is ever followed. The item and path rules are the db function's
 * (SeedFolderIT, SeedSafetyIT).
 */
class SeedFolderTest {

    private static final List<String> TABLES = List.of("todo_list", "notes");
    private static final String BLOB = "abababababababababababababababababababababababababababababababab";

    @TempDir
    Path dir;
    @TempDir
    Path outside;

    private SeedFolder.Seed read() throws Exception {
        return SeedFolder.read(dir, TABLES, name -> "u-" + name);
    }

    private void table(String name, String json) throws IOException {
        Files.createDirectories(dir.resolve("tables"));
        Files.writeString(dir.resolve("tables").resolve(name), json);
    }

    private Path file(String relative, byte[] bytes) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    @Test
    void aGoodFolderIsReadWithUsersTablesFilesAndTheirTypes() throws Exception {
        table("todo_list.json", "{\"ana\": [{\"id\": \"a\", \"n\": 1}], \"uid:42\": [{\"id\": \"b\"}]}");
        file("files/ana/p/x.txt", new byte[] {1});
        file("files/ana/y.bin", new byte[] {2, 3});
        file("blobs/" + BLOB, new byte[] {4, 5, 6});
        Files.writeString(dir.resolve("files.json"), "{\"ana\": {\"y.bin\": {\"contentType\": \"image/png\"},"
                + " \"x/deep\": {\"blob\": \"" + BLOB + "\"}}}");
        SeedFolder.Seed seed = read();
        assertThat(seed.users.keySet()).containsExactly("42", "u-ana");
        SeedFolder.SeedUser ana = seed.users.get("u-ana");
        assertThat(ana.key).isEqualTo("ana");
        assertThat(ana.name).isEqualTo("ana");
        assertThat(seed.users.get("42").name).isNull();
        assertThat(ana.rows.get("todo_list").get(0).item.toString()).isEqualTo("{\"id\":\"a\",\"n\":1}");
        assertThat(ana.files.keySet()).containsExactly("p/x.txt", "x/deep", "y.bin");
        assertThat(ana.files.get("p/x.txt").contentType).isEqualTo("text/plain");
        assertThat(ana.files.get("y.bin").contentType).isEqualTo("image/png");
        assertThat(ana.files.get("y.bin").size).isEqualTo(2);
        assertThat(ana.files.get("x/deep").source).isEqualTo(dir.resolve("blobs/" + BLOB));
        assertThat(ana.files.get("x/deep").contentType).isEqualTo("application/octet-stream");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"ana\": [{\"id\": \"a\", \"_version\": 1}]}|field \"_version\" is reserved",
        "{\"ana\": [{\"id\": \"a\", \"n\": null}]}|is null; leave the field out",
        "{\"ana\": [{\"id\": \"a\"}, {\"id\": \"a\"}]}|has id 'a' twice",
        "{\"ana\": {\"id\": \"a\"}}|must hold an array of items",
        "{\"ana\": [7]}|every item must be a JSON object",
        "{\"a/b\": []}|a user is a login name",
        "{\"ana:x\": []}|a user is a login name",
        "{\"uid:a/b\": []}|uid:<uid> needs a uid of 1 to 128 letters",
        "{\"uid:local-cloud-seed-check-1\": []}|uid:<uid> needs a uid",
        "[1]|must be a JSON object",
        "{\"ana\": [{\"id\": \"a\",}]}|is not valid JSON",
        "{\"ana\": [], \"ana\": []}|is not valid JSON",
        "{\"ana\": []} {}|holds more after its JSON object",
        "''|is empty",
    })
    void aBadTableFileIsRefusedNamingItAndTheProblem(String json, String problem) throws Exception {
        table("notes.json", json);
        assertThatThrownBy(this::read).isInstanceOf(SeedFolder.SeedException.class)
                .hasMessageContaining(dir.resolve("tables/notes.json").toString()).hasMessageContaining(problem);
    }

    @ParameterizedTest
    @ValueSource(ints = {101, 900, 100_000})
    void nestingPastTheBoundIsRefusedNamingTheFileAndTheLine(int depth) throws Exception {
        table("notes.json", "{\"ana\": [{\"id\": \"deep\", \"v\": " + "[".repeat(depth) + "]".repeat(depth) + "}]}");
        assertThatThrownBy(this::read).isInstanceOf(SeedFolder.SeedException.class)
                .hasMessageContaining(dir.resolve("tables/notes.json").toString())
                .hasMessageContaining("nests deeper than 100 levels at line 1");
    }

    @Test
    void nestingUpToTheBoundIsReadSoTheDbFunctionJudgesIt() throws Exception {
        // 3 levels of seed structure (object, array, item) around the value
        table("notes.json", "{\"ana\": [{\"id\": \"deep\", \"v\": " + "[".repeat(97) + "]".repeat(97) + "}]}");
        assertThat(read().users.get("u-ana").rows.get("notes")).hasSize(1);
    }

    @Test
    void oneUserNamedByLoginNameAndByUidIsRefusedNamingBothPlaces() throws Exception {
        table("todo_list.json", "{\"bob\": [{\"id\": \"a\"}]}");
        table("notes.json", "{\"uid:u-bob\": [{\"id\": \"b\"}]}");
        // notes.json is read first
        assertThatThrownBy(this::read).hasMessageContaining("tables/todo_list.json: user 'bob'")
                .hasMessageContaining("is user 'uid:u-bob' (uid u-bob)").hasMessageContaining("tables/notes.json")
                .hasMessageContaining("name each user one way");
    }

    @Test
    void aUserNamedOneWayInTablesAndAnotherInFilesIsRefused() throws Exception {
        table("todo_list.json", "{\"uid:u-bob\": [{\"id\": \"a\"}]}");
        file("files/bob/x.txt", new byte[] {1});
        assertThatThrownBy(this::read).hasMessageContaining(dir.resolve("files/bob").toString())
                .hasMessageContaining("is user 'uid:u-bob'");
    }

    @Test
    void aFilesSizeIsTakenWithoutReadingIt() throws Exception {
        Path big = file("files/ana/big.bin", new byte[0]);
        try (RandomAccessFile sparse = new RandomAccessFile(big.toFile(), "rw")) {
            sparse.setLength(3L << 30);
        }
        assertThat(read().users.get("u-ana").files.get("big.bin").size).isEqualTo(3L << 30);
    }

    @Test
    void aTableFileOver64MebibytesIsRefusedBeforeItIsRead() throws Exception {
        table("notes.json", "");
        try (RandomAccessFile sparse = new RandomAccessFile(dir.resolve("tables/notes.json").toFile(), "rw")) {
            sparse.setLength(SeedFolder.MAX_JSON_BYTES + 1);
        }
        assertThatThrownBy(this::read).hasMessageContaining("notes.json: is 67108865 bytes")
                .hasMessageContaining("at most 67108864");
    }

    @ParameterizedTest
    @ValueSource(strings = {"files/ana/passwd.txt", "files/ana/env", "files/ana", "files/ana/sub", "files", "tables",
        "tables/notes.json", "files.json", "blobs", "blobs/" + BLOB})
    void aLinkAnywhereInTheSeedIsRefusedNamingItAndNothingItPointsToIsRead(String link) throws Exception {
        file("files/ana/keep.txt", new byte[] {1});
        Path secret = Files.writeString(outside.resolve("secret.txt"), "{\"ana\": []}");
        Files.createDirectories(outside.resolve("folder"));
        Files.writeString(outside.resolve("folder/secret.txt"), "s");
        Path target = link.equals("files/ana/passwd.txt") ? Path.of("/etc/passwd")
                : link.equals("files/ana/env") ? Path.of("/proc/self/environ")
                : link.contains(".") || link.startsWith("blobs/") ? secret : outside.resolve("folder");
        Path at = dir.resolve(link);
        Folders.deleteTree(at);
        Files.createDirectories(at.getParent());
        Files.createSymbolicLink(at, target);
        assertThatThrownBy(this::read).isInstanceOf(SeedFolder.SeedException.class)
                .hasMessageContaining(at + ": is a symbolic link")
                .hasMessageContaining("follows no link in a seed");
    }

    @Test
    void filesJsonMustMatchTheFilesAndBlobs() throws Exception {
        file("files/ana/here.txt", new byte[] {1});
        assertRefused("{\"ana\": {\"gone.txt\": {\"contentType\": \"text/plain\"}}}", "names ana's file 'gone.txt'");
        assertRefused("{\"ana\": {\"x\": {\"blob\": \"" + BLOB + "\"}}}", "'x' is in blobs/" + BLOB + ", which is"
                + " missing");
        file("blobs/" + BLOB, new byte[] {2});
        assertRefused("{\"ana\": {\"here.txt\": {\"blob\": \"" + BLOB + "\"}}}", "keeps ana's 'here.txt' in blobs/");
        assertRefused("{\"ana\": {\"a\": {\"blob\": \"" + BLOB + "\"}, \"b\": {\"blob\": \"" + BLOB + "\"}}}",
                "which another entry names too");
        assertRefused("{}", "blobs/" + BLOB + ": no entry of files.json names it");
        assertRefused("{\"ana\": {\"a\": {\"blob\": \"../x\"}}}", "must be {\"<user>\"");
        assertRefused("{\"ana\": {\"a\": {}}}", "must be {\"<user>\"");
        assertRefused("{\"ana\": {\"a\": {\"contentType\": 7}}}", "must be {\"<user>\"");
        assertRefused("{\"ana\": {\"a\": {\"blob\": \"" + BLOB + "\", \"extra\": 1}}}", "must be {\"<user>\"");
        Files.delete(dir.resolve("files.json"));
        file("blobs/not-hex", new byte[] {3});
        assertThatThrownBy(this::read).hasMessageContaining("blobs/not-hex: blobs/ holds only files named by 64 hex");
    }

    private void assertRefused(String filesJson, String problem) throws IOException {
        Files.writeString(dir.resolve("files.json"), filesJson);
        assertThatThrownBy(this::read).isInstanceOf(SeedFolder.SeedException.class).hasMessageContaining(problem);
    }

    @Test
    void aTableTheDbFunctionDoesNotServeIsRefused() throws Exception {
        table("todos.json", "{}");
        assertThatThrownBy(this::read).hasMessageContaining("todos.json: not a data table")
                .hasMessageContaining("[todo_list, notes]");
    }

    @Test
    void anUnexpectedEntryInTheFolderIsRefused() throws Exception {
        Files.createDirectories(dir.resolve("table"));
        assertThatThrownBy(this::read).hasMessageContaining("unexpected; a seed folder holds only tables/, files/");
    }

    @Test
    void aMissingFolderIsRefused() {
        assertThatThrownBy(() -> SeedFolder.read(dir.resolve("nope"), TABLES, n -> n))
                .hasMessageContaining("does not exist");
    }

    @Test
    void theImpliedTypeComesFromTheExtensionElseOctetStream() {
        assertThat(SeedFolder.impliedType("a/b.PNG")).isEqualTo("image/png");
        assertThat(SeedFolder.impliedType("a.b/c")).isEqualTo("application/octet-stream");
        assertThat(SeedFolder.impliedType("notes.txt")).isEqualTo("text/plain");
    }
}
