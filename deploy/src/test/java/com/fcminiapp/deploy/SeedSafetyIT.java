package com.fcminiapp.deploy;

import com.fcminiapp.localcloud.LocalCloud;
import com.fcminiapp.localcloud.standin.FaultSwitch;
import com.fcminiapp.localcloud.testing.TestFolders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Seeds that break a rule, on local-cloud running the real db function: each is refused before anything is written,
 * naming its file and the db function's own reason, and every user stays exactly as before (every column of every
 * row, every object's bytes and headers); an import that fails part way (a stand-in's fault injected at any point)
 * leaves each user as before too, at once or, when putting them back fails as well, at the next start.
 */
class SeedSafetyIT {

    @TempDir
    static Path dir;
    static LocalCloud cloud;
    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        cloud = TwoTableCloud.start(dir, dir.resolve("data"));
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @BeforeEach
    void baseline() throws Exception {
        cloud.standIns().values().forEach(s -> s.faults().clear());
        cloud.importSeed(SeedFolderIT.seed(work.resolve("baseline"), SeedFolderIT.TODOS));
    }

    /** A seed that would change both users (all of it valid), to be spoiled by one bad thing. */
    private Path changed(String name) throws IOException {
        return SeedFolderIT.seed(work.resolve(name), SeedFolderIT.TODOS.replace("Crème", "Changed"));
    }

    private void assertRefusedAndNothingChanged(Path seed, String... message) throws IOException {
        Map<String, String> before = SeedClients.state(cloud);
        Throwable refusal = catchThrowable(() -> cloud.importSeed(seed));
        assertThat(SeedClients.state(cloud)).as("every user as before").isEqualTo(before);
        assertThat(refusal).hasMessageContaining("seed refused, nothing imported").hasMessageContainingAll(message);
    }

    private static void note(Path seed, String item) throws IOException {
        Files.writeString(seed.resolve("tables/notes.json"), "{\"ana\": [" + item + "]}");
    }

    @Test
    void aLinkedFileIsRefusedAndNothingItPointsToIsPublished() throws Exception {
        Path seed = changed("passwd");
        Files.createSymbolicLink(seed.resolve("files/ana/passwd.txt"), Path.of("/etc/passwd"));
        assertRefusedAndNothingChanged(seed, seed.resolve("files/ana/passwd.txt") + ": is a symbolic link");
    }

    @Test
    void aLinkToProcSelfEnvironIsRefused() throws Exception {
        Path seed = changed("environ");
        Files.createSymbolicLink(seed.resolve("files/ana/env"), Path.of("/proc/self/environ"));
        assertRefusedAndNothingChanged(seed, seed.resolve("files/ana/env") + ": is a symbolic link");
    }

    @Test
    void aLinkedUserFolderIsRefusedInsteadOfWipingTheUsersFiles() throws Exception {
        Path seed = changed("folder");
        // no files.json naming ana's files: the folder alone says what she has
        Files.delete(seed.resolve("files.json"));
        Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("id_rsa"), "secret");
        TestFolders.deleteTree(seed.resolve("files/ana"));
        Files.createSymbolicLink(seed.resolve("files/ana"), elsewhere);
        assertRefusedAndNothingChanged(seed, seed.resolve("files/ana") + ": is a symbolic link");
    }

    @Test
    void aNumberBeyondTheDoubleRangeIsRefusedByTheDbFunctionNamingTheFile() throws Exception {
        Path seed = changed("1e400");
        note(seed, "{\"id\": \"n1\", \"big\": 1e400}");
        assertRefusedAndNothingChanged(seed, "notes.json: user 'ana', item 'n1': the db function refuses it",
                "beyond what a double holds");
    }

    @Test
    void anItemOf1001FieldsIsRefusedByTheDbFunctionNamingTheFile() throws Exception {
        Path seed = changed("fields");
        StringBuilder item = new StringBuilder("{\"id\": \"n1\"");
        for (int i = 0; i < 1001; i++) {
            item.append(", \"f").append(i).append("\": ").append(i);
        }
        note(seed, item.append('}').toString());
        assertRefusedAndNothingChanged(seed, "notes.json: user 'ana', item 'n1': the db function refuses it",
                "at most 1000 fields");
    }

    @Test
    void anIdWithALoneSurrogateIsRefusedByTheDbFunctionNamingTheFile() throws Exception {
        Path seed = changed("surrogate");
        note(seed, "{\"id\": \"\\ud800\"}");
        assertRefusedAndNothingChanged(seed, "notes.json: user 'ana', item '", "the db function refuses it",
                "broken Unicode");
    }

    @ParameterizedTest
    @ValueSource(ints = {66, 900, 100_000})
    void deepNestingIsRefusedNamingTheFile(int depth) throws Exception {
        Path seed = changed("deep");
        note(seed, "{\"id\": \"n1\", \"v\": " + "[".repeat(depth) + "]".repeat(depth) + "}");
        // up to 100 levels local-cloud reads it and the db function (64 levels) refuses it; deeper, local-cloud does
        assertRefusedAndNothingChanged(seed, "notes.json", depth < 100
                ? "the db function refuses it: The request body is not valid JSON: it nests deeper than 64 levels"
                : "nests deeper than 100 levels");
    }

    @Test
    void aFileOverTheUploadLimitIsRefusedBeforeItIsRead() throws Exception {
        Path seed = changed("big");
        try (RandomAccessFile sparse = new RandomAccessFile(seed.resolve("files/ana/big.bin").toFile(), "rw")) {
            // 3 GiB that take no disk: reading them would take minutes and more memory than the test has
            sparse.setLength(3L << 30);
        }
        assertRefusedAndNothingChanged(seed, seed.resolve("files/ana/big.bin").toString(), "3221225472 bytes",
                "the db function refuses it: maxBytes must be a whole number from 1 to 10485760");
    }

    @Test
    void oneUserNamedByLoginNameAndByUidIsRefusedInsteadOfDroppingOne() throws Exception {
        Path seed = changed("twice");
        String bob = SeedClients.uidOf(cloud, "bob");
        Files.writeString(seed.resolve("tables/notes.json"), "{\"bob\": [{\"id\": \"a\"}], \"uid:" + bob
                + "\": [{\"id\": \"b\"}]}");
        assertRefusedAndNothingChanged(seed, "notes.json: user 'uid:" + bob + "' is user 'bob'",
                "name each user one way");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%2e%2e/x", "a/%2E%2e/x", "%252e%252e/x", "a%2fb", "price$.txt"})
    void aPathTheFilesApiRefusesIsRefusedWithItsPercentDecodingRule(String path) throws Exception {
        Path seed = changed("path");
        Path file = seed.resolve("files/ana").resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "x");
        assertRefusedAndNothingChanged(seed, file.toString(), "the db function refuses it: path must not hold");
    }

    @Test
    void aFieldNameTheDbFunctionRefusesIsRefusedWithItsMessage() throws Exception {
        Path seed = changed("name");
        note(seed, "{\"id\": \"n1\", \"_secret\": 1}");
        assertRefusedAndNothingChanged(seed, "notes.json: user 'ana', item 'n1'", "Field name \"_secret\" is reserved");
    }

    // ---- faults part way ----

    @ParameterizedTest
    // the owner's OSS client tries a request 4 times (the db function's clients, which write rows, once)
    @CsvSource({"tablestore, 1", "oss, 4"})
    void aFaultAtAnyPointOfAnImportLeavesEveryUserAsBefore(String service, int failing) throws Exception {
        FaultSwitch faults = cloud.standIns().get(service).faults();
        Path seed = faulty();
        long start = faults.requests();
        cloud.importSeed(seed);
        long requests = faults.requests() - start;
        int undone = 0;
        for (int i = 1; i <= 7; i++) {
            baseline();
            Map<String, String> before = SeedClients.state(cloud);
            faults.failAfter(requests * i / 8, failing);
            try {
                cloud.importSeed(seed);
            } catch (Exception e) {
                // refused before writing (the check or the undo failed), or undone after writing part of it
                assertThat(SeedClients.state(cloud)).as("every user as before").isEqualTo(before);
                assertThat(e).hasMessageContaining("nothing imported");
                undone += e.getMessage().contains("every user it had changed is back as before") ? 1 : 0;
            } finally {
                faults.clear();
            }
        }
        assertThat(undone).as("imports that failed part way and were undone").isPositive();
    }

    /** A seed changing both users of the baseline and adding a third. */
    private Path faulty() throws IOException {
        Path seed = changed("faulty");
        Files.writeString(seed.resolve("tables/notes.json"), "{\"ana\": [{\"id\": \"n2\"}], \"dan\": [{\"id\": \"d\"}]}");
        return seed;
    }

    @Test
    void anImportWhoseUndoFailsTooIsUndoneAtTheNextStart() throws Exception {
        Path data = work.resolve("data");
        Path seed = faulty();
        Map<String, String> before;
        try (LocalCloud own = TwoTableCloud.start(dir, data)) {
            FaultSwitch oss = own.standIns().get("oss").faults();
            own.importSeed(work.resolve("baseline"));
            long start = oss.requests();
            own.importSeed(seed);
            long requests = oss.requests() - start;
            own.importSeed(work.resolve("baseline"));
            before = SeedClients.state(own);
            // the import's last OSS request writes its last file: from there on OSS fails, for good
            oss.failAfter(requests - 1, Long.MAX_VALUE);
            assertThatThrownBy(() -> own.importSeed(seed)).hasMessageContaining("seed import failed part way")
                    .hasMessageContaining("putting its users back failed too")
                    .hasMessageContaining("put back when local-cloud next starts");
            assertThat(data.resolve("seed-import-undo")).isDirectory();
        }
        try (LocalCloud restarted = TwoTableCloud.start(dir, data)) {
            assertThat(SeedClients.state(restarted)).isEqualTo(before);
            assertThat(data.resolve("seed-import-undo")).doesNotExist();
        }
    }

    @Test
    void aBadSeedAtStartStopsLocalCloudWithTheReasonAndDeletesNothing() throws Exception {
        Path data = work.resolve("start-data");
        Path seed = changed("start");
        Files.createSymbolicLink(seed.resolve("files/ana/env"), Path.of("/proc/self/environ"));
        Map<String, String> before;
        try (LocalCloud own = TwoTableCloud.start(dir, data, "--import", work.resolve("baseline").toString())) {
            before = SeedClients.state(own);
        }
        assertThatThrownBy(() -> TwoTableCloud.start(dir, data, "--import", seed.toString()))
                .hasMessageContaining("seed refused, nothing imported")
                .hasMessageContaining(seed.resolve("files/ana/env") + ": is a symbolic link");
        try (LocalCloud restarted = TwoTableCloud.start(dir, data)) {
            assertThat(SeedClients.state(restarted)).isEqualTo(before);
        }
    }
}
