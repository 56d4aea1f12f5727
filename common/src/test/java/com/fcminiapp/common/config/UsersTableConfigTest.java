package com.fcminiapp.common.config;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** USERS_TABLE is read the same way by every function, and no data table may be the session or users table. */
class UsersTableConfigTest {

    @Test
    void everyFunctionReadsUsersTableWithTheSameDefault() {
        assertThat(DbConfig.from(dbEnv()).tablestore().usersTable()).isEqualTo("miniapp_users");
        assertThat(AppConfig.read(dbEnv()).tablestore().usersTable()).isEqualTo("miniapp_users");
        assertThat(SessionConfig.VARIABLES).contains("USERS_TABLE");
        assertThat(DbConfig.VARIABLES).contains("USERS_TABLE");
        assertThat(AppConfig.VARIABLES).contains("USERS_TABLE");

        Map<String, String> env = dbEnv();
        env.put("USERS_TABLE", "members");
        assertThat(DbConfig.from(env).tablestore().usersTable()).isEqualTo("members");
        env.put("USERS_TABLE", "no such-name");
        assertThat(AppConfig.read(env).problems()).containsExactly("USERS_TABLE is not a Tablestore table name");
    }

    @Test
    void aDataTableNamedAsTheSessionOrUsersTableStopsTheDbFunction() {
        Map<String, String> env = dbEnv();
        env.put("DATA_TABLES", "todo_list,session,miniapp_users");

        assertThatThrownBy(() -> DbConfig.from(env)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "DATA_TABLES names session, the session table (SESSION_TABLE); give the data table another name",
                        "DATA_TABLES names miniapp_users, the users table (USERS_TABLE); give the data table another"
                                + " name"));

        env.put("SESSION_TABLE", "sessions");
        env.put("USERS_TABLE", "members");
        assertThat(DbConfig.from(env).dataTables()).containsExactly("todo_list", "session", "miniapp_users");
    }

    @Test
    void anAppTableOrDeclaredTableNamedAsTheUsersTableIsAProblemOfTheAppFunction() {
        Map<String, String> env = dbEnv();
        env.put("APP_TABLES", "notes,miniapp_users");
        assertThat(AppConfig.read(env).problems()).containsExactly(
                "APP_TABLES names miniapp_users, the users table (USERS_TABLE); give the data table another name");

        env.put("APP_TABLES", "notes");
        env.put("DATA_TABLES", "{\"notes\":{},\"session\":{}}");
        assertThat(AppConfig.read(env).problems()).containsExactly(
                "DATA_TABLES names session, the session table (SESSION_TABLE); give the data table another name");
    }

    @Test
    void theUsersTableCannotBeTheSessionTable() {
        Map<String, String> env = dbEnv();
        env.put("USERS_TABLE", "session");

        assertThatThrownBy(() -> DbConfig.from(env)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "USERS_TABLE and SESSION_TABLE name the same table; give the users table another name"));
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
