package com.fcminiapp.localcloud.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The seed folder's checks: each refusal names the file and what to fix; a good folder is read whole. */
class SeedFolderTest {

    private static final List<String> TABLES = List.of("todo_list", "notes");

    @TempDir
    Path dir;

    private SeedFolder.Seed read() throws Exception {
        return SeedFolder.read(dir, TABLES);
    }

    private void table(String name, String json) throws IOException {
        Files.createDirectories(dir.resolve("tables"));
        Files.writeString(dir.resolve("tables").resolve(name), json);
    }

    @Test
    void aGoodFolderIsReadWithUsersTablesFilesAndTheirTypes() throws Exception {
        table("todo_list.json", "{\"ana\": [{\"id\": \"a\", \"n\": 1}], \"uid:42\": [{\"id\": \"b\"}]}");
        Files.createDirectories(dir.resolve("files/ana/p"));
        Files.write(dir.resolve("files/ana/p/x.txt"), new byte[] {1});
        Files.write(dir.resolve("files/ana/y.bin"), new byte[] {2});
        Files.writeString(dir.resolve("files.json"), "{\"ana\": {\"y.bin\": {\"contentType\": \"image/png\"}}}");
        SeedFolder.Seed seed = read();
        assertThat(seed.users()).containsExactly("ana", "uid:42");
        assertThat(seed.rows.get("ana").get("todo_list").get(0).toString()).isEqualTo("{\"id\":\"a\",\"n\":1}");
        assertThat(seed.files.get("ana").keySet()).containsExactly("p/x.txt", "y.bin");
        assertThat(seed.files.get("ana").get("p/x.txt").contentType).isEqualTo("text/plain");
        assertThat(seed.files.get("ana").get("y.bin").contentType).isEqualTo("image/png");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"ana\": [{\"id\": \"a\", \"bad-name\": 1}]}|field name \"bad-name\" is not allowed",
        "{\"ana\": [{\"id\": \"a\", \"_version\": 1}]}|field \"_version\" is reserved",
        "{\"ana\": [{\"id\": \"a\", \"uid\": \"x\"}]}|field \"uid\" is reserved",
        "{\"ana\": [{\"id\": \"a\", \"n\": null}]}|is null; leave the field out",
        "{\"ana\": [{\"id\": 7}]}|an item's \"id\" must be a string",
        "{\"ana\": [{\"title\": \"no id\"}]}|an item's \"id\" must be a string",
        "{\"ana\": [{\"id\": \"a\"}, {\"id\": \"a\"}]}|has id 'a' twice",
        "{\"ana\": {\"id\": \"a\"}}|must hold an array of items",
        "{\"a/b\": []}|a user is a login name",
        "{\"ana:x\": []}|a user is a login name",
        "[1]|must be a JSON object",
        "{\"ana\": [{\"id\": \"a\",}]}|is not valid JSON",
        "{\"ana\": [], \"ana\": []}|is not valid JSON",
    })
    void aBadTableFileIsRefusedNamingItAndTheProblem(String json, String problem) throws Exception {
        table("notes.json", json);
        assertThatThrownBy(this::read).isInstanceOf(SeedFolder.SeedException.class)
                .hasMessageContaining(dir.resolve("tables/notes.json").toString()).hasMessageContaining(problem);
    }

    @Test
    void anIdOf256CharactersIsTakenAnd257Refused() throws Exception {
        table("notes.json", "{\"ana\": [{\"id\": \"" + "i".repeat(256) + "\"}]}");
        assertThat(read().rows.get("ana").get("notes")).hasSize(1);
        table("notes.json", "{\"ana\": [{\"id\": \"" + "i".repeat(257) + "\"}]}");
        assertThatThrownBy(this::read).hasMessageContaining("1 to 256 characters");
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
    void aFileWhosePathBreaksTheFilesRuleIsRefused() throws Exception {
        Files.createDirectories(dir.resolve("files/ana"));
        Files.write(dir.resolve("files/ana/price$.txt"), new byte[] {1});
        assertThatThrownBy(this::read).hasMessageContaining("price$.txt").hasMessageContaining("breaks the files API");
    }

    @Test
    void filesJsonNamingAMissingFileOrABadTypeIsRefused() throws Exception {
        Files.createDirectories(dir.resolve("files/ana"));
        Files.writeString(dir.resolve("files.json"), "{\"ana\": {\"gone.txt\": {\"contentType\": \"text/plain\"}}}");
        assertThatThrownBy(this::read).hasMessageContaining("files.json: names ana's file 'gone.txt'");
        Files.writeString(dir.resolve("files.json"), "{\"ana\": {\"gone.txt\": {\"contentType\": \"plain\"}}}");
        assertThatThrownBy(this::read).hasMessageContaining("files.json").hasMessageContaining("contentType");
    }

    @Test
    void aMissingFolderIsRefused() {
        assertThatThrownBy(() -> SeedFolder.read(dir.resolve("nope"), TABLES)).hasMessageContaining("does not exist");
    }

    @Test
    void theImpliedTypeComesFromTheExtensionElseOctetStream() {
        assertThat(SeedFolder.impliedType("a/b.PNG")).isEqualTo("image/png");
        assertThat(SeedFolder.impliedType("a.b/c")).isEqualTo("application/octet-stream");
        assertThat(SeedFolder.impliedType("notes.txt")).isEqualTo("text/plain");
    }
}
