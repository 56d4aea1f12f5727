package com.fcminiapp.localcloud;

import com.fcminiapp.localcloud.testing.ChildLocalCloud;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One local-cloud per data folder: a second start says where the first one runs and exits non-zero instead of H2's
 * "The file is locked"; a killed one leaves nothing that blocks the next start.
 */
class DataDirLockTest {

    private static final Path TEMPLATE = Path.of("..", "template.yml").toAbsolutePath().normalize();

    @TempDir
    Path data;

    @Test
    void aSecondHolderIsToldWhoHoldsTheFolderUntilTheFirstReleasesIt() throws Exception {
        long pid = ProcessHandle.current().pid();
        try (DataDirLock first = DataDirLock.acquire(data)) {
            assertThatThrownBy(() -> DataDirLock.acquire(data)).isInstanceOf(DataDirLock.AlreadyRunning.class)
                    .hasMessage("local-cloud is already running on " + data + " (pid " + pid
                            + ", still starting); stop it, or start this one with another --data");
            first.record("http://127.0.0.1:9123");
            assertThat(Files.readString(data.resolve(DataDirLock.FILE)))
                    .isEqualTo("{\"pid\":" + pid + ",\"url\":\"http://127.0.0.1:9123\"}");
            assertThatThrownBy(() -> DataDirLock.acquire(data))
                    .hasMessageStartingWith("local-cloud is already running on " + data + " (pid " + pid
                            + ", http://127.0.0.1:9123)");
        }
        try (DataDirLock again = DataDirLock.acquire(data)) {
            assertThat(Files.readString(data.resolve(DataDirLock.FILE))).isEqualTo("{\"pid\":" + pid + "}");
        }
        assertThat(Files.readString(data.resolve(DataDirLock.FILE))).isEmpty();
    }

    @Test
    void aSecondProcessOnTheSameDataExitsNamingTheFirstAndAKilledFirstDoesNotBlockTheNext() throws Exception {
        String endpoint;
        try (ChildLocalCloud first = ChildLocalCloud.start(data, TEMPLATE)) {
            endpoint = first.ready().get("endpoint").asText();
            ChildLocalCloud.Exited second = ChildLocalCloud.runToExit(data, TEMPLATE);

            assertThat(second.status).isEqualTo(LocalCloud.ALREADY_RUNNING_EXIT);
            assertThat(second.output).contains("local-cloud is already running on " + data.toAbsolutePath()
                    + " (pid " + first.pid() + ", " + endpoint + ")").doesNotContain("The file is locked")
                    .doesNotContain("READY");
            first.kill();
        }
        assertThat(Files.readString(data.resolve(DataDirLock.FILE))).contains(endpoint);
        try (ChildLocalCloud next = ChildLocalCloud.start(data, TEMPLATE)) {
            assertThat(Files.readString(data.resolve(DataDirLock.FILE)))
                    .isEqualTo("{\"pid\":" + next.pid() + ",\"url\":\"" + next.ready().get("endpoint").asText()
                            + "\"}");
        }
    }
}
