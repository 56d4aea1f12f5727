package com.fcminiapp.deploy;

import com.fcminiapp.localcloud.LocalCloud;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --import DIR} and export on local-cloud running the real function jars: a seed of two users (one by
 * login name, one by uid), two tables, nested values, non-ASCII text and binary files comes back byte for byte;
 * a malformed seed is refused naming the file and what is wrong, and leaves the data as it was.
 */
class SeedFolderIT {

    static final String TODOS = String.join("\n",
            "{",
            "  \"ana\": [",
            "    {",
            "      \"id\": \"t1\",",
            "      \"done\": false,",
            "      \"title\": \"Crème brûlée 🍮\",",
            "      \"when\": {",
            "        \"day\": \"2026-11-26\",",
            "        \"slots\": [",
            "          1,",
            "          2.5",
            "        ]",
            "      }",
            "    },",
            "    {",
            "      \"id\": \"t2\",",
            "      \"price\": 2.5,",
            "      \"qty\": 3",
            "    }",
            "  ],",
            "  \"uid:2088000000000042\": [",
            "    {",
            "      \"id\": \"x\",",
            "      \"tags\": [",
            "        \"a\",",
            "        {}",
            "      ]",
            "    }",
            "  ]",
            "}",
            "");
    static final String NOTES = "{\n  \"ana\": [\n    {\n      \"id\": \"n1\",\n      \"text\": \"日本語\"\n    }\n  ]\n}\n";
    static final String TYPES = "{\n  \"ana\": {\n    \"notes/a.txt\": {\n      \"contentType\": \"text/markdown\"\n"
            + "    }\n  }\n}\n";
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff};

    @TempDir
    Path dir;

    @Test
    void aMalformedSeedIsRefusedNamingTheFileAndTheDataStaysAsItWas() throws Exception {
        Path data = dir.resolve("data");
        Path good = seed(dir.resolve("good"), TODOS);
        importInto(data, good);
        // todo_list.json (read first) is valid and would replace ana's rows; notes.json breaks a rule
        Path bad = seed(dir.resolve("bad"), TODOS.replace("Crème", "Changed"));
        Files.writeString(bad.resolve("tables/notes.json"), NOTES.replace("\"text\"", "\"bad-name\""));
        assertThatThrownBy(() -> TwoTableCloud.start(dir, data, "--import", bad.toString()))
                .hasMessageContaining("nothing imported")
                .hasMessageContaining("notes.json")
                .hasMessageContaining("\"bad-name\" is not allowed");
        Files.writeString(bad.resolve("tables/notes.json"), "{\"ana\": [ {\"id\": \"n1\",} ]}");
        assertThatThrownBy(() -> TwoTableCloud.start(dir, data, "--import", bad.toString()))
                .hasMessageContaining("notes.json: is not valid JSON").hasMessageContaining("line 1");
        try (LocalCloud cloud = TwoTableCloud.start(dir, data)) {
            assertThat(tree(cloud.export(dir.resolve("after")))).isEqualTo(tree(good));
        }
    }

    @Test
    void anImportReplacesTheRowsAndFilesOfTheUsersItNamesOnly() throws Exception {
        Path data = dir.resolve("data");
        importInto(data, seed(dir.resolve("first"), TODOS));
        Path second = dir.resolve("second");
        Files.createDirectories(second.resolve("tables"));
        Files.writeString(second.resolve("tables/todo_list.json"), "{\"ana\": [{\"id\": \"only\"}]}");
        try (LocalCloud cloud = TwoTableCloud.start(dir, data, "--import", second.toString())) {
            Map<String, String> after = tree(cloud.export(dir.resolve("out")));
            assertThat(after.get("tables/todo_list.json")).contains("\"id\": \"only\"").doesNotContain("\"t1\"")
                    .contains("\"uid:2088000000000042\"");
            assertThat(after.get("tables/notes.json")).isEqualTo("{}\n");
            assertThat(after.keySet()).contains("files/uid:2088000000000042/data.bin")
                    .doesNotContain("files/ana/pics/dot.png", "files.json");
        }
    }

    @Test
    void importingASeedThenExportingOnTheCommandLineGivesTheSameFolderByteForByteAndExitsZero() throws Exception {
        Path data = dir.resolve("data");
        Path seed = seed(dir.resolve("seed"), TODOS);
        importInto(data, seed);
        Path out = dir.resolve("out");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                LocalCloud.class.getName(), "--data", data.toString(), "--template", dir.resolve("template.yml")
                .toString(), "--export", out.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("export finished").isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();
        assertThat(Files.readString(dir.resolve("child.log"))).contains("exported to " + out);
        assertThat(tree(out)).isEqualTo(tree(seed));
    }

    /** Starts local-cloud on {@code data} with {@code --import seed}, and stops it once it is up. */
    private void importInto(Path data, Path seed) throws Exception {
        try (LocalCloud cloud = TwoTableCloud.start(dir, data, "--import", seed.toString())) {
            assertThat(cloud.port()).isPositive();
        }
    }

    /** A seed folder in the canonical form an export writes. */
    static Path seed(Path root, String todos) throws IOException {
        Files.createDirectories(root.resolve("tables"));
        Files.writeString(root.resolve("tables/todo_list.json"), todos);
        Files.writeString(root.resolve("tables/notes.json"), NOTES);
        Files.createDirectories(root.resolve("files/ana/pics"));
        Files.createDirectories(root.resolve("files/ana/notes"));
        Files.createDirectories(root.resolve("files/uid:2088000000000042"));
        Files.write(root.resolve("files/ana/pics/dot.png"), PNG);
        Files.writeString(root.resolve("files/ana/notes/a.txt"), "# héllo\n");
        Files.write(root.resolve("files/uid:2088000000000042/data.bin"), new byte[] {0, 0, 7});
        Files.writeString(root.resolve("files.json"), TYPES);
        return root;
    }

    /** Every file under {@code root} by relative path, its bytes as ISO-8859-1 text (one char per byte). */
    static Map<String, String> tree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            Map<String, String> files = new TreeMap<>();
            for (Path file : walk.filter(Files::isRegularFile).collect(Collectors.toList())) {
                files.put(root.relativize(file).toString(),
                        new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
            return files;
        }
    }
}
