package com.fcminiapp.session;

import com.fcminiapp.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The initializer refuses a bad environment with one message naming every problem, never a value. */
class SessionConfigTest {

    @Test
    void initializeNamesEveryMissingVariable() {
        SessionInvokeHandler handler = new SessionInvokeHandler(Map.of());

        assertThatThrownBy(() -> handler.initialize(null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("ALIPAY_APP_ID", "ALIPAY_PRIVATE_KEY", "ALIPAY_PUBLIC_KEY", "STS_ROLE_ARN",
                        "TABLESTORE_ENDPOINT", "TABLESTORE_INSTANCE", "DB_FUNCTION_NAME", "FC_REGION", "FC_ACCOUNT_ID",
                        "OSS_ENDPOINT", "OSS_BUCKET");
    }

    @Test
    void badDeletionVariablesAreEachNamedButNotEchoed() {
        try (SessionCloud cloud = new SessionCloud()) {
            Map<String, String> env = cloud.environment();
            env.put("DATA_TABLES", "todo_list,bad-name!");
            env.put("OSS_ENDPOINT", "ftp://oss.secret-host");
            env.put("OSS_PUBLIC_ENDPOINT", "not a url");
            env.put("OSS_BUCKET", "Bad_Bucket");

            assertThatThrownBy(() -> new SessionInvokeHandler(env).initialize(cloud.context()))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(4))
                    .hasMessageContainingAll("DATA_TABLES", "OSS_ENDPOINT", "OSS_PUBLIC_ENDPOINT", "OSS_BUCKET")
                    .hasMessageNotContaining("secret-host")
                    .hasMessageNotContaining("Bad_Bucket")
                    .hasMessageNotContaining("bad-name");
        }
    }

    @Test
    void dataTablesNamingTheSessionOrTheUsersTableIsRefused() {
        try (SessionCloud cloud = new SessionCloud()) {
            Map<String, String> env = cloud.environment();
            env.put("DATA_TABLES", "todo_list," + SessionCloud.SESSION_TABLE + ",miniapp_users");

            assertThatThrownBy(() -> new SessionInvokeHandler(env).initialize(cloud.context()))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2))
                    .hasMessageContainingAll("DATA_TABLES names session, the session table",
                            "DATA_TABLES names miniapp_users, the users table");
        }
    }

    @Test
    void appTablesNamingADataTableTheSessionOrTheUsersTableIsRefused() {
        try (SessionCloud cloud = new SessionCloud()) {
            Map<String, String> env = cloud.environment();
            env.put("DATA_TABLES", "todo_list");
            env.put("APP_TABLES", "checkin, todo_list," + SessionCloud.SESSION_TABLE + ",miniapp_users");

            assertThatThrownBy(() -> new SessionInvokeHandler(env).initialize(cloud.context()))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(3))
                    .hasMessageContainingAll("APP_TABLES names todo_list, which DATA_TABLES declares",
                            "APP_TABLES names session, the session table",
                            "APP_TABLES names miniapp_users, the users table")
                    .hasMessageNotContaining("checkin");
        }
    }

    @Test
    void appTablesIsACommaListOfTableNamesEmptyWhenUnset() {
        try (SessionCloud cloud = new SessionCloud()) {
            Map<String, String> env = cloud.environment();
            env.remove("APP_TABLES");
            assertThat(com.fcminiapp.common.config.SessionConfig.from(env).appTables()).isEmpty();
            env.put("APP_TABLES", "");
            assertThat(com.fcminiapp.common.config.SessionConfig.from(env).appTables()).isEmpty();
            env.put("APP_TABLES", " checkin ,scores,checkin");
            assertThat(com.fcminiapp.common.config.SessionConfig.from(env).appTables())
                    .containsExactly("checkin", "scores");
            env.put("APP_TABLES", "checkin,bad-name!");

            assertThatThrownBy(() -> com.fcminiapp.common.config.SessionConfig.from(env))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                            "APP_TABLES must be a comma-separated list of Tablestore table names"));
        }
    }

    @Test
    void theDeletionVariablesAreReadAsTheDbFunctionReadsThem() {
        try (SessionCloud cloud = new SessionCloud()) {
            Map<String, String> env = cloud.environment();
            env.remove("DATA_TABLES");
            com.fcminiapp.common.config.SessionConfig config = com.fcminiapp.common.config.SessionConfig.from(env);

            assertThat(config.dataTables().names()).containsExactly("todo_list");
            assertThat(config.ossPublicEndpoint()).isEqualTo(config.ossEndpoint()).isEqualTo(cloud.oss.endpoint());
            assertThat(config.ossBucket()).isEqualTo(SessionCloud.BUCKET);
        }
    }

    @Test
    void badValuesAreNamedButNotEchoed() {
        try (SessionCloud cloud = new SessionCloud()) {
            Map<String, String> env = cloud.environment();
            env.put("ALIPAY_PRIVATE_KEY", "secret-not-a-key");
            env.put("STS_DURATION_SECONDS", "60");
            env.put("SESSION_TTL_SECONDS", "soon");
            env.put("TABLESTORE_AUTO_CREATE", "maybe");
            env.put("STS_ROLE_ARN", "arn:aws:iam::1:role/x");

            assertThatThrownBy(() -> new SessionInvokeHandler(env).initialize(cloud.context()))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(5))
                    .hasMessageContainingAll("ALIPAY_PRIVATE_KEY", "STS_DURATION_SECONDS", "SESSION_TTL_SECONDS",
                            "TABLESTORE_AUTO_CREATE", "STS_ROLE_ARN")
                    .hasMessageNotContaining("secret-not-a-key")
                    .hasMessageNotContaining("arn:aws");
        }
    }

    @Test
    void aRequestToAMisconfiguredFunctionIsInternalWithoutDetail() {
        SessionInvokeHandler handler = new SessionInvokeHandler(Map.of("ALIPAY_PRIVATE_KEY", "hunter2"));
        EntryPoint.Reply reply;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            handler.handleRequest(new java.io.ByteArrayInputStream("{\"authCode\":\"a:1\"}".getBytes()), out, null);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }

        assertThat(out.toString()).contains("\"code\":\"INTERNAL\"").doesNotContain("hunter2", "ALIPAY");
    }
}
