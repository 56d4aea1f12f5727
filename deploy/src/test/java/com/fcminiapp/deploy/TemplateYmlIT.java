package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.config.DbConfig;
import com.fcminiapp.common.config.SessionConfig;
import org.junit.jupiter.api.Test;

import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** template.yml (Funcraft, FC 2.0) is valid for `fun` and matches what the build produces and the code reads. */
class TemplateYmlIT {

    private static final JsonNode TEMPLATE = DeployFiles.yaml("template.yml");
    private static final JsonNode SERVICE = TEMPLATE.path("Resources").path("fc-miniapp");

    @Test
    void funValidateAcceptsTheTemplate() throws Exception {
        DeployFiles.Run run = DeployFiles.tool("fun", Map.of(), "validate", "-t", "template.yml");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout + run.stderr).as(run.toString()).doesNotContain("ERR!");
    }

    @Test
    void funValidateRejectsAMemorySizeFcDoesNotOffer() throws Exception {
        Path bad = Files.createTempFile("template-bad", ".yml");
        try {
            Files.writeString(bad, Files.readString(DeployFiles.root().resolve("template.yml"))
                    .replace("MemorySize: 512", "MemorySize: 500"));
            DeployFiles.Run run = DeployFiles.tool("fun", Map.of(), "validate", "-t", bad.toString());

            assertThat(run.exitCode).as(run.toString()).isNotZero();
        } finally {
            Files.deleteIfExists(bad);
        }
    }

    @Test
    void sessionFunctionEnvironmentIsExactlyWhatItsConfigReads() {
        assertThat(envNames(function("session"))).isEqualTo(expected(SessionConfig.VARIABLES));
    }

    @Test
    void dbFunctionEnvironmentIsExactlyWhatItsConfigReads() {
        assertThat(envNames(function("db"))).isEqualTo(expected(DbConfig.VARIABLES));
    }

    @Test
    void noSecretHasADefaultInTheTemplate() {
        assertThat(TEMPLATE.path("Parameters").path("AlipayPrivateKey").path("Default").asText()).isEmpty();
        assertThat(TEMPLATE.path("Parameters").path("AlipayPrivateKey").path("NoEcho").asBoolean()).isTrue();
    }

    @Test
    void functionPropertiesFollowFcRules() {
        for (String name : new String[] {"session", "db"}) {
            JsonNode p = function(name);
            assertThat(p.path("Runtime").asText()).as(name).isEqualTo("java11");
            assertThat(p.path("Handler").asText()).as(name).matches(FcProps.JAVA_HANDLER);
            assertThat(p.path("Initializer").asText()).as(name).matches(FcProps.JAVA_HANDLER);
            assertThat(FcProps.validMemory(p.path("MemorySize").asInt())).as(name + " MemorySize").isTrue();
            assertThat(FcProps.validTimeout(p.path("Timeout").asInt())).as(name + " Timeout").isTrue();
            assertThat(FcProps.validInitializerTimeout(p.path("InitializationTimeout").asInt()))
                    .as(name + " InitializationTimeout").isTrue();
        }
    }

    @Test
    void everyCodeUriIsAJarTheBuildProduces() {
        assertThat(function("session").path("CodeUri").asText()).isEqualTo("./session-function/target/session-function.jar");
        assertThat(function("db").path("CodeUri").asText()).isEqualTo("./db-function/target/db-function.jar");
        for (String name : new String[] {"session", "db"}) {
            assertThat(DeployFiles.codePath(function(name).path("CodeUri").asText())).as(name).isRegularFile();
        }
    }

    @Test
    void sessionHandlerAndInitializerExistInItsJarWithFcSignatures() throws Exception {
        assertHandlersInJar(function("session"));
    }

    @Test
    void dbHandlerAndInitializerExistInItsJarWithFcSignatures() throws Exception {
        assertHandlersInJar(function("db"));
    }

    @Test
    void sessionFunctionHasAnAnonymousPostHttpTrigger() {
        JsonNode trigger = SERVICE.path("session").path("Events").path("http");
        assertThat(trigger.path("Type").asText()).isEqualTo("HTTP");
        assertThat(trigger.path("Properties").path("AuthType").asText()).isEqualTo("ANONYMOUS");
        assertThat(trigger.path("Properties").path("Methods")).hasSize(1);
        assertThat(trigger.path("Properties").path("Methods").get(0).asText()).isEqualTo("POST");
        assertThat(SERVICE.path("db").has("Events")).as("the db function is invoked, never triggered").isFalse();
    }

    @Test
    void serviceRoleGrantsNoWildcardAction() {
        for (JsonNode policy : SERVICE.path("Properties").path("Policies")) {
            assertThat(policy.isObject()).as("inline statements only, no managed *FullAccess policy").isTrue();
            for (JsonNode statement : policy.path("Statement")) {
                assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
                for (JsonNode action : statement.path("Action")) {
                    assertThat(action.asText()).doesNotContain("*");
                }
                assertThat(statement.path("Resource").toString()).isNotEqualTo("\"*\"");
            }
        }
    }

    @Test
    void tablestoreInstanceAndTablesMatchTheEnvironment() {
        JsonNode session = function("session").path("EnvironmentVariables");
        String instance = session.path("TABLESTORE_INSTANCE").asText();
        JsonNode ots = TEMPLATE.path("Resources").path(instance);
        assertThat(ots.path("Type").asText()).isEqualTo("Aliyun::Serverless::TableStore");
        assertThat(ots.path("Properties").path("ClusterType").asText()).isIn("HYBRID", "SSD");
        assertThat(ots.path("Properties").path("Description").asText()).isNotBlank();
        assertThat(ots.path(session.path("SESSION_TABLE").asText()).path("Type").asText())
                .isEqualTo("Aliyun::Serverless::TableStore::Table");
        for (String table : function("db").path("EnvironmentVariables").path("DATA_TABLES").asText().split(",")) {
            assertThat(table).doesNotContain("-");
            JsonNode keys = ots.path(table.trim()).path("Properties").path("PrimaryKeyList");
            assertThat(keys).as(table).hasSize(2);
            assertThat(keys.get(0).path("Name").asText()).isEqualTo("uid");
            assertThat(keys.get(1).path("Name").asText()).isEqualTo("id");
        }
    }

    static JsonNode function(String name) {
        JsonNode f = SERVICE.path(name);
        assertThat(f.path("Type").asText()).as(name).isEqualTo("Aliyun::Serverless::Function");
        return f.path("Properties");
    }

    private static void assertHandlersInJar(JsonNode props) throws Exception {
        Path jar = DeployFiles.codePath(props.path("CodeUri").asText());
        try (URLClassLoader loader = DeployFiles.isolatedLoader(jar)) {
            assertThat(DeployFiles.fcMethod(loader, props.path("Handler").asText(), false))
                    .as(props.path("Handler").asText() + " in " + jar.getFileName()).isPresent();
            assertThat(DeployFiles.fcMethod(loader, props.path("Initializer").asText(), true))
                    .as(props.path("Initializer").asText() + " in " + jar.getFileName()).isPresent();
        }
    }

    private static Set<String> envNames(JsonNode props) {
        Set<String> names = new TreeSet<>();
        props.path("EnvironmentVariables").fieldNames().forEachRemaining(names::add);
        return names;
    }

    static Set<String> expected(java.util.List<String> variables) {
        Set<String> names = new TreeSet<>(variables);
        // FC sets these itself in every instance
        names.remove("FC_REGION");
        names.remove("FC_ACCOUNT_ID");
        return names;
    }
}
