package com.fcminiapp.localcloud;

import com.fcminiapp.localcloud.runtime.TestFunctionJar;
import com.fcminiapp.localcloud.testing.TestFolders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The data folder holds the owner's secret and every user's data: local-cloud makes it and what holds keys owner-only,
 * and refuses to start, deleting nothing, when a link is anywhere inside it.
 */
class DataFolderTest {

    private static final String TEMPLATE = String.join("\n",
            "ROSTemplateFormatVersion: '2015-09-01'",
            "Transform: 'Aliyun::Serverless-2018-04-03'",
            "Resources:",
            "  app:",
            "    Type: 'Aliyun::Serverless::Service'",
            "    session:",
            "      Type: 'Aliyun::Serverless::Function'",
            "      Properties:",
            "        Runtime: java11",
            "        CodeUri: echo.jar",
            "        Handler: demo.Echo::handleRequest",
            "      Events:",
            "        http: {Type: HTTP, Properties: {AuthType: ANONYMOUS, Methods: ['POST']}}");

    @TempDir
    static Path dir;
    @TempDir
    Path elsewhere;

    @BeforeAll
    static void writeTemplate() throws IOException {
        TestFunctionJar.build(dir);
        Files.writeString(dir.resolve("template.yml"), TEMPLATE, StandardCharsets.UTF_8);
    }

    private static LocalCloud start(Path data) throws Exception {
        Options options = Options.parse("--port", "0", "--data", data.toString(),
                "--template", dir.resolve("template.yml").toString());
        return LocalCloud.start(options, null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void theDataFolderAndEveryFileHoldingKeysAreOwnerOnlyAlsoWhenTheyWereWorldReadable() throws Exception {
        Path fresh = elsewhere.resolve("fresh");
        try (LocalCloud cloud = start(fresh)) {
            assertThat(cloud.port()).isPositive();
        }
        assertOwnerOnly(fresh);
        Path old = elsewhere.resolve("old");
        try (LocalCloud cloud = start(old)) {
            assertThat(cloud.port()).isPositive();
        }
        // as an earlier local-cloud left them (created under a 022 umask)
        for (Path folder : new Path[] {old, old.resolve("function-builds"), old.resolve("oss")}) {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (Path file : new Path[] {old.resolve("local-cloud.mv.db"), old.resolve("oss/.oss-meta.mv.db")}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        try (LocalCloud cloud = start(old)) {
            assertThat(cloud.port()).isPositive();
        }
        assertOwnerOnly(old);
    }

    private static void assertOwnerOnly(Path data) throws IOException {
        assertThat(permissions(data)).isEqualTo("rwx------");
        assertThat(permissions(data.resolve("function-builds"))).isEqualTo("rwx------");
        assertThat(permissions(data.resolve("oss"))).isEqualTo("rwx------");
        assertThat(permissions(data.resolve("local-cloud.mv.db"))).isEqualTo("rw-------");
        assertThat(permissions(data.resolve("oss/.oss-meta.mv.db"))).isEqualTo("rw-------");
        assertThat(permissions(data.resolve("local-cloud.lock"))).isEqualTo("rw-------");
    }

    @Test
    void aFunctionBuildsLinkIsRefusedAtStartNamingItAndNothingItPointsToIsDeleted() throws Exception {
        Path data = elsewhere.resolve("data");
        Files.createDirectories(data);
        Path precious = Files.createDirectories(elsewhere.resolve("precious"));
        Files.writeString(precious.resolve("thesis.tex"), "years of work");
        Files.createSymbolicLink(data.resolve("function-builds"), precious);

        assertThatThrownBy(() -> start(data)).hasMessageContaining(data.resolve("function-builds")
                + " is a symbolic link").hasMessageContaining("Remove the link (nothing was changed)");
        assertThat(precious.resolve("thesis.tex")).hasContent("years of work");
        assertThat(data.resolve("local-cloud.mv.db")).doesNotExist();
    }

    @Test
    void theDataFolderItselfMayBeALinkTheUserNamed() throws Exception {
        Path real = Files.createDirectories(elsewhere.resolve("real"));
        Path named = Files.createSymbolicLink(elsewhere.resolve("named"), real);
        try (LocalCloud cloud = start(named)) {
            assertThat(cloud.port()).isPositive();
        }
        assertThat(real.resolve("local-cloud.mv.db")).isRegularFile();
        assertOwnerOnly(real);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local-cloud.mv.db", "local-cloud.lock", "oss", "oss/.oss-meta.mv.db", "exports"})
    void aLinkAnywhereInTheDataFolderIsRefusedAndWhatItPointsToIsLeftAlone(String entry) throws Exception {
        Path data = elsewhere.resolve("data");
        try (LocalCloud cloud = start(data)) {
            assertThat(cloud.port()).isPositive();
        }
        Path target = Files.writeString(elsewhere.resolve("target"), "untouched");
        Path link = data.resolve(entry);
        TestFolders.deleteTree(link);
        Files.createSymbolicLink(link, target);

        assertThatThrownBy(() -> start(data)).hasMessageContaining(link + " is a symbolic link");
        assertThat(target).hasContent("untouched");
    }
}
