package com.fcminiapp.localcloud;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's run command, {@code scripts/local-cloud.sh}, shows the build's progress (each module, the downloads
 * counted), then starts local-cloud with the arguments given; a failed build shows its errors and starts nothing.
 * Maven and java are stand-in scripts here ({@code MVNW}, {@code JAVA}), so no build runs.
 */
class RunScriptTest {

    private static final Path SCRIPT = Path.of("..", "scripts", "local-cloud.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path stub(String name, String body) throws Exception {
        Path stub = dir.resolve(name);
        Files.writeString(stub, "#!/usr/bin/env bash\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwx------"));
        return stub;
    }

    private String mavenOutput(int downloads, String end) {
        StringBuilder sb = new StringBuilder("echo '[INFO] Scanning for projects...'\n");
        for (int i = 0; i < downloads; i++) {
            sb.append("echo '[INFO] Downloaded from central: https://repo/a").append(i).append(".jar (1 kB at 1 MB/s)'\n");
        }
        sb.append("echo '[INFO] Building common 1.0.0-SNAPSHOT                                   [3/7]'\n");
        sb.append("echo '[INFO] Building jar: /x/common/target/common.jar'\n");
        sb.append(end);
        return sb.toString();
    }

    private Run run(Path mvnw, Path java, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(new java.util.ArrayList<>(List.of("bash", SCRIPT.toString())));
        builder.command().addAll(List.of(args));
        builder.environment().put("MVNW", mvnw.toString());
        builder.environment().put("JAVA", java.toString());
        builder.environment().put("TMPDIR", dir.toString());
        builder.redirectErrorStream(true);
        Process p = builder.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS));
    }

    private static final class Run {
        final int status;
        final String output;

        Run(int status, String output) {
            this.status = status;
            this.output = output;
        }
    }

    @Test
    void printsEachModuleAndTheDownloadCountThenStartsLocalCloudWithTheArguments() throws Exception {
        Path mvnw = stub("mvnw", "[ \"$*\" = '-B package -DskipTests' ] || exit 9\n"
                + mavenOutput(100, "echo '[INFO] BUILD SUCCESS'"));
        Path java = stub("java", "echo \"java $*\"");

        Run run = run(mvnw, java, "--port", "0", "--data", "d");

        assertThat(run.status).isEqualTo(0);
        assertThat(run.output).contains("  50 dependencies downloaded\n  100 dependencies downloaded\n")
                .contains("\n  Building common 1.0.0-SNAPSHOT [3/7]\n")
                .contains("java -jar local-cloud/target/local-cloud.jar --port 0 --data d")
                .doesNotContain("Building jar").doesNotContain("Scanning").doesNotContain("BUILD SUCCESS")
                .doesNotContain("Downloaded from");
        try (var left = Files.list(dir)) {
            assertThat(left.filter(f -> f.getFileName().toString().startsWith("local-cloud-build"))).isEmpty();
        }
    }

    @Test
    void aFailedBuildShowsItsErrorsKeepsTheLogAndStartsNothing() throws Exception {
        Path mvnw = stub("mvnw", mavenOutput(3, "echo '[ERROR] Failed to execute goal x on project common'\nexit 1"));
        Path java = stub("java", "echo started");

        Run run = run(mvnw, java);

        assertThat(run.status).isEqualTo(1);
        assertThat(run.output).contains("[ERROR] Failed to execute goal x on project common")
                .contains("the full log is in " + dir.resolve("local-cloud-build.")).doesNotContain("started");
    }
}
