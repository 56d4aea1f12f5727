package com.fcminiapp.common.config;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each function's configuration names only its own variables and reaches no other. */
class FunctionConfigTest {

    @Test
    void theDbFunctionOwnsNoAlipayOrStsVariable() {
        assertThat(DbConfig.VARIABLES).noneMatch(n -> n.startsWith("ALIPAY_") || n.startsWith("STS_")
                || n.startsWith("DB_") || n.startsWith("FC_"));
    }

    @Test
    void theSessionFunctionOwnsNoOssOrDataTableVariable() {
        assertThat(SessionConfig.VARIABLES).noneMatch(n -> n.startsWith("OSS_") || n.equals("DATA_TABLES")
                || n.equals("UPLOAD_MAX_BYTES") || n.equals("URL_EXPIRY_SECONDS"));
    }

    @Test
    void aReaderRefusesAVariableItsFunctionDoesNotOwn() {
        EnvReader reader = new EnvReader(Map.of("ALIPAY_PRIVATE_KEY", "k"), DbConfig.VARIABLES);

        assertThatThrownBy(() -> reader.optional("ALIPAY_PRIVATE_KEY", EnvReader.TABLE_NAME, "x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ALIPAY_PRIVATE_KEY is not a variable of this function");
    }

    @Test
    void theDbConfigIgnoresTheSessionFunctionsSecretsInItsEnvironment() {
        Map<String, String> env = dbEnv();
        env.put("ALIPAY_PRIVATE_KEY", "not-a-key");
        env.put("STS_ROLE_ARN", "nonsense");

        DbConfig config = DbConfig.from(env);

        assertThat(config.ossBucket()).isEqualTo("files");
        assertThat(config.tablestore().instance()).isEqualTo("miniapp");
        assertThat(config.dataTables()).isEqualTo(List.of("todo_list"));
    }

    @Test
    void aBadDbEnvironmentNamesEveryVariableButNoValue() {
        Map<String, String> env = dbEnv();
        env.put("OSS_BUCKET", "Bad_Bucket");
        env.put("UPLOAD_MAX_BYTES", "0");
        env.remove("TABLESTORE_ENDPOINT");

        assertThatThrownBy(() -> DbConfig.from(env)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "TABLESTORE_ENDPOINT is missing (expected an http(s) URL)",
                        "OSS_BUCKET is not an OSS bucket name",
                        "UPLOAD_MAX_BYTES must be a whole number from 1 to 5368709120"))
                .hasMessageNotContaining("Bad_Bucket");
    }

    @Test
    void theSessionConfigNamesOnlyItsOwnMissingVariables() {
        assertThatThrownBy(() -> SessionConfig.from(dbEnv())).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(String.join(";", ((ConfigException) e).problems()))
                        .contains("ALIPAY_APP_ID", "STS_ROLE_ARN", "DB_FUNCTION_NAME", "FC_REGION")
                        .doesNotContain("OSS_", "TABLESTORE_"));
    }

    private static Map<String, String> dbEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("TABLESTORE_ENDPOINT", "http://127.0.0.1:1");
        env.put("TABLESTORE_INSTANCE", "miniapp");
        env.put("OSS_ENDPOINT", "http://127.0.0.1:2");
        env.put("OSS_BUCKET", "files");
        return env;
    }
}
