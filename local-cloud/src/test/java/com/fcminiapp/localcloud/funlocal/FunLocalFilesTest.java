package com.fcminiapp.localcloud.funlocal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The files fun local reads: literal string environments per function, and fun's profile. */
class FunLocalFilesTest {

    @TempDir
    Path dir;

    @Test
    void everyLoopbackOrWildcardEndpointMovesToTheContainersHostAndNothingElseChanges() {
        Map<String, String> env = Map.of(
                "TABLESTORE_ENDPOINT", "http://127.0.0.1:4100",
                "STS_ENDPOINT", "127.0.0.1:4200",
                "OSS_ENDPOINT", "http://0.0.0.0:4300",
                "ALIPAY_GATEWAY", "http://localhost:4400/gateway.do",
                "STS_ROLE_ARN", "acs:ram::1:role/x",
                "NOTE", "127.0.0.1 without a port");

        Map<String, String> moved = FunLocalFiles.onHost(env, "172.17.0.1");

        assertThat(moved).containsEntry("TABLESTORE_ENDPOINT", "http://172.17.0.1:4100")
                .containsEntry("STS_ENDPOINT", "172.17.0.1:4200")
                .containsEntry("OSS_ENDPOINT", "http://172.17.0.1:4300")
                .containsEntry("ALIPAY_GATEWAY", "http://172.17.0.1:4400/gateway.do")
                .containsEntry("STS_ROLE_ARN", "acs:ram::1:role/x")
                .containsEntry("NOTE", "127.0.0.1 without a port");
    }

    @Test
    void theOverrideHoldsEachFunctionsEnvironmentAsStringsUnderItsService() throws Exception {
        FunLocalFiles.write(dir, Map.of("svc", Map.of("fn", Map.of("TIMEOUT", "5000", "FLAG", "true"))),
                "42", "cn-hangzhou", "STS.local", "secret", "token");

        Map<String, Object> tpl = new Yaml().load(Files.readString(dir.resolve("template.override.yml")));
        Object env = ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) tpl.get("Resources")).get("svc")).get("fn"))
                .get("Properties")).get("EnvironmentVariables");
        assertThat(env).isEqualTo(Map.of("TIMEOUT", "5000", "FLAG", "true"));
        Object log = ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) tpl.get("Resources")).get("svc"))
                .get("Properties")).get("LogConfig"));
        assertThat(log).isEqualTo(Map.of("Project", "fc-miniapp-local-log", "Logstore", "function-log"));
        assertThat(Files.readAllLines(dir.resolve(".env"))).contains("ACCOUNT_ID=42", "REGION=cn-hangzhou",
                "ACCESS_KEY_ID=STS.local", "ACCESS_KEY_SECRET=secret", "SECURITY_TOKEN=token");
    }

    @Test
    void eachFunctionGetsItsSampleEventUnderEvents() throws Exception {
        FunLocalFiles.writeEvents(dir, Map.of("checkin", FunLocalFiles.APP_EVENT, "db", FunLocalFiles.DB_EVENT));

        assertThat(Files.readString(dir.resolve("events/checkin.json")))
                .isEqualTo("{\"sid\": \"SESSION_ID\", \"input\": {}}\n");
        assertThat(Files.readString(dir.resolve("events/db.json")))
                .isEqualTo("{\"sid\": \"SESSION_ID\", \"op\": \"list\", \"limit\": 10}\n");
    }

    @Test
    void aFunctionNameOutsideFcsRulesNamesNoFile() {
        assertThatThrownBy(() -> FunLocalFiles.writeEvents(dir, Map.of("../escape", FunLocalFiles.APP_EVENT)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("escape.json")).doesNotExist();
    }
}
