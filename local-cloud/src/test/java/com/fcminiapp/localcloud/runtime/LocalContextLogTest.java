package com.fcminiapp.localcloud.runtime;

import com.aliyun.fc.runtime.FunctionComputeLogger;
import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;
import com.fcminiapp.localcloud.template.FunctionSpec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A context keeps the lines its invocation logged (for the console's log), bounded, as the console printed them. */
class LocalContextLogTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final LocalContext context = new LocalContext("req-1", new Credential("id", "secret", "token"),
            new FunctionSpec("db", "A::handleRequest", null, Path.of("db.jar"), Map.of(), false, 3, 128), "svc",
            "LATEST", new PrintStream(printed, true, StandardCharsets.UTF_8));

    @Test
    void theLinesLoggedAreKeptAsPrintedAboveTheLevel() {
        FunctionComputeLogger logger = context.getLogger();
        logger.info("stored row a");
        logger.debug("not at INFO");
        logger.error("Tablestore failed");
        List<String> lines = context.logLines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\S+Z req-1 \\[INFO] stored row a");
        assertThat(lines.get(1)).endsWith(" req-1 [ERROR] Tablestore failed");
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo(lines.get(0) + System.lineSeparator()
                + lines.get(1) + System.lineSeparator());
    }

    @Test
    void aLongLineIsCutAtItsLimit() {
        context.getLogger().info("x".repeat(LocalContext.MAX_LINE_CHARS * 2));
        String kept = context.logLines().get(0);
        assertThat(kept).hasSize(LocalContext.MAX_LINE_CHARS + 1).endsWith("x…");
    }

    @Test
    void pastTheLimitTheFirstLinesAreKeptWithACountOfTheRest() {
        String message = "y".repeat(900);
        for (int i = 0; i < 40; i++) {
            context.getLogger().info(message);
        }
        List<String> lines = context.logLines();
        int keptChars = lines.subList(0, lines.size() - 1).stream().mapToInt(String::length).sum();
        assertThat(keptChars).isLessThanOrEqualTo(LocalContext.MAX_KEPT_CHARS)
                .isGreaterThan(LocalContext.MAX_KEPT_CHARS - 1000);
        int keptLines = lines.size() - 1;
        assertThat(lines.get(keptLines)).isEqualTo("(" + (40 - keptLines) + " more lines not kept; the console output"
                + " has them)");
        assertThat(printed.toString(StandardCharsets.UTF_8).lines().count()).isEqualTo(40);
    }
}
