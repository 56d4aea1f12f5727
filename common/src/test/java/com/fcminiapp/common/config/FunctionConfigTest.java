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
    void theSessionFunctionOwnsWhatAnAccountDeletionClearsButNoFileServingVariable() {
        assertThat(SessionConfig.VARIABLES).contains("DATA_TABLES", "OSS_ENDPOINT", "OSS_PUBLIC_ENDPOINT", "OSS_BUCKET")
                .noneMatch(n -> n.equals("UPLOAD_MAX_BYTES") || n.equals("URL_EXPIRY_SECONDS")
                        || n.equals("SEARCH_INDEX_AUTO_CREATE"));
    }

    @Test
    void aReaderRefusesAVariableItsFunctionDoesNotOwn() {
        EnvReader reader = new EnvReader(Map.of("ALIPAY_PRIVATE_KEY", "k"), DbConfig.VARIABLES);

        assertThatThrownBy(() -> reader.optional("ALIPAY_PRIVATE_KEY", EnvReader.TABLE_NAME, "x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ALIPAY_PRIVATE_KEY is not a variable of this function");
    }

    @Test
    void anAppFunctionNeedsOnlyTheTablestoreVariablesAndHasNoTablesOrFilesByDefault() {
        AppConfig config = AppConfig.read(Map.of("TABLESTORE_ENDPOINT", "http://127.0.0.1:1",
                "TABLESTORE_INSTANCE", "miniapp", "ALIPAY_PRIVATE_KEY", "not-a-key"));

        assertThat(config.problems()).isEmpty();
        assertThat(config.appTables()).isEmpty();
        assertThat(config.appTablesKnown()).isTrue();
        assertThat(config.ossBucket()).isEmpty();
        assertThat(AppConfig.VARIABLES).noneMatch(n -> n.startsWith("ALIPAY_") || n.startsWith("STS_"));
        assertThat(config.tables()).isNull();
    }

    @Test
    void anAppFunctionsTablesMustEachBeDeclaredWhenDataTablesIsADeclaration() {
        Map<String, String> env = new HashMap<>(Map.of("TABLESTORE_ENDPOINT", "http://127.0.0.1:1",
                "TABLESTORE_INSTANCE", "miniapp", "APP_TABLES", "guestbook,todo_list,extra",
                "DATA_TABLES", "{\"todo_list\":{},\"guestbook\":{\"mode\":\"creator-write\"}}"));

        assertThat(AppConfig.read(env).problems()).containsExactly("APP_TABLES names extra, which DATA_TABLES does "
                + "not declare (declare it in tables.json, or drop it from APP_TABLES)");

        env.put("APP_TABLES", "guestbook");
        AppConfig config = AppConfig.read(env);
        assertThat(config.problems()).isEmpty();
        assertThat(config.tables().table("guestbook").mode().wireName()).isEqualTo("creator-write");

        env.remove("DATA_TABLES");
        assertThat(AppConfig.read(env).tables().table("guestbook").shared()).isFalse();
        env.put("DATA_TABLES", "{\"guestbook\":{\"mode\":\"public\"}}");
        assertThat(AppConfig.read(env).problems()).singleElement().asString()
                .startsWith("DATA_TABLES is not a valid table declaration: table \"guestbook\": mode must be one of");
    }

    @Test
    void aBadAppEnvironmentIsListedNotThrownNamingEveryVariableButNoValue() {
        Map<String, String> env = new HashMap<>(Map.of("TABLESTORE_INSTANCE", "miniapp", "APP_TABLES", "a,b c",
                "OSS_BUCKET", "files", "URL_EXPIRY_SECONDS", "forever-secret"));

        AppConfig config = AppConfig.read(env);

        assertThat(config.problems()).containsExactly(
                "TABLESTORE_ENDPOINT is missing (expected an http(s) URL)",
                "APP_TABLES must be a comma-separated list of Tablestore table names",
                "URL_EXPIRY_SECONDS must be a whole number from 60 to 86400",
                "OSS_ENDPOINT is missing (expected an http(s) URL; OSS_BUCKET is set)");
        assertThat(config.appTablesKnown()).isFalse();
    }

    @Test
    void aTeamsReaderTakesAnyNameButTheKitsAndCollectsItsProblems() {
        EnvReader team = EnvReader.others(Map.of("GREETING", " hi ", "LIMIT", "x", "OSS_BUCKET", "files"),
                AppConfig.VARIABLES);

        assertThat(team.optional("GREETING", java.util.regex.Pattern.compile(".+"), "a value")).contains("hi");
        assertThat(team.integer("LIMIT", 3, 1, 9)).isEqualTo(3);
        assertThat(team.required("OSS_BUCKET", java.util.regex.Pattern.compile(".+"), "a value")).isNull();
        assertThat(team.required("bad-name", java.util.regex.Pattern.compile(".+"), "a value")).isNull();
        assertThat(team.problems()).containsExactly("LIMIT must be a whole number from 1 to 9",
                "OSS_BUCKET is a variable of the function kit; give the function's own variable another name",
                "a variable name must be a letter or _, then up to 127 letters, digits or _ (not bad-name)");
        assertThatThrownBy(team::finish).isInstanceOf(ConfigException.class);
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
    void theDbConfigReadsTheDeclarationAndSearchIndexCreationAndNamesABadDeclarationsTable() {
        Map<String, String> env = dbEnv();
        env.put("DATA_TABLES", "{\"notes\":{},\"guestbook\":{\"mode\":\"creator-write\","
                + "\"indexes\":{\"likes\":\"integer\"}}}");
        DbConfig config = DbConfig.from(env);
        assertThat(config.dataTables()).containsExactly("notes", "guestbook");
        assertThat(config.tables().table("guestbook").indexType("likes").wireName()).isEqualTo("integer");
        assertThat(config.searchIndexAutoCreate()).isTrue();

        env.put("SEARCH_INDEX_AUTO_CREATE", "false");
        assertThat(DbConfig.from(env).searchIndexAutoCreate()).isFalse();

        env.put("SEARCH_INDEX_AUTO_CREATE", "sometimes");
        env.put("DATA_TABLES", "{\"guestbook\":{\"mode\":\"creator-write\",\"indexes\":{\"secret42\":\"date\"}}}");
        assertThatThrownBy(() -> DbConfig.from(env)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "DATA_TABLES is not a valid table declaration: table \"guestbook\": index \"secret42\": the "
                                + "type must be one of string, integer, number, boolean, string[]",
                        "SEARCH_INDEX_AUTO_CREATE must be true or false"));
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
