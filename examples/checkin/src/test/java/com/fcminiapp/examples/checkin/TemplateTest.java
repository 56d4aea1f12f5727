package com.fcminiapp.examples.checkin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.localcloud.template.FunctionSpec;
import com.fcminiapp.localcloud.template.ServiceSpec;
import com.fcminiapp.localcloud.template.TableSpec;
import com.fcminiapp.localcloud.template.TemplateReader;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * examples/checkin/template.yml as local-cloud reads it: each function in its own service with the handlers of this
 * module, roles holding exactly what each function does, users' keys allowed exactly db, checkin and leaderboard.
 */
class TemplateTest {

    static final Path TEMPLATE = Path.of("template.yml");
    static final String ARN = "acs:ots:cn-hangzhou:1234567890123456:instance/fcminiapp/table/";
    static final String LOG = "log:PostLogStoreLogs -> acs:log:cn-hangzhou:1234567890123456:project/"
            + "fc-miniapp-local-log/logstore/function-log";
    static final TemplateReader READER = new TemplateReader(
            Map.of("ALIYUN::Region", "cn-hangzhou", "ALIYUN::AccountId", "1234567890123456"),
            Map.of("TablestoreInstance", "fcminiapp", "LogProjectName", "fc-miniapp-local-log"));

    @Test
    void eachFunctionHasItsOwnService() throws IOException {
        Map<String, List<String>> services = READER.read(TEMPLATE).stream().collect(Collectors.toMap(
                ServiceSpec::name, s -> s.functions().stream().map(FunctionSpec::name).collect(Collectors.toList())));
        assertThat(services).containsExactlyInAnyOrderEntriesOf(Map.of("fc-miniapp-session", List.of("session"),
                "fc-miniapp", List.of("db"), "fc-miniapp-checkin", List.of("checkin"),
                "fc-miniapp-leaderboard", List.of("leaderboard")));
    }

    @Test
    void theAppFunctionsRunThisModulesHandlersOnItsShadedJarWithTheCheckinTable() throws Exception {
        for (String[] f : new String[][] {{"checkin", "CheckinHandler"}, {"leaderboard", "LeaderboardHandler"}}) {
            FunctionSpec spec = function(f[0]);
            String type = "com.fcminiapp.examples.checkin." + f[1];
            assertThat(spec.handler()).isEqualTo(type + "::handleRequest");
            assertThat(spec.initializer()).contains(type + "::initialize");
            assertThat(spec.preStop()).contains(type + "::preStop");
            assertThat(spec.codeUri()).isEqualTo(Path.of("target", "checkin-example.jar").toAbsolutePath());
            assertThat(spec.environment()).containsEntry("APP_TABLES", "checkin")
                    .containsEntry("TABLESTORE_AUTO_CREATE", "false").doesNotContainKey("OSS_BUCKET");
            // FC builds the handler with its no-arg constructor, local-cloud with the environment
            Class<?> handler = Class.forName(type);
            assertThat(handler.getConstructor().newInstance()).isNotNull();
            assertThat(handler.getConstructor(Map.class).newInstance(Map.of())).isNotNull();
        }
        assertThat(function("session").codeUri())
                .isEqualTo(Path.of("..", "..", "session-function", "target", "session-function.jar").toAbsolutePath()
                        .normalize());
        assertThat(function("db").codeUri())
                .isEqualTo(Path.of("..", "..", "db-function", "target", "db-function.jar").toAbsolutePath().normalize());
    }

    @Test
    void eachAppFunctionsRoleReadsSessionsAndUsersAndDoesOnlyWhatItsFunctionDoesToTheCheckinTable() throws IOException {
        assertThat(statements("fc-miniapp-checkin")).containsExactlyInAnyOrder(
                "ots:GetRow -> " + ARN + "session",
                "ots:GetRow -> " + ARN + "miniapp_users",
                "ots:GetRow,ots:PutRow,ots:UpdateRow -> " + ARN + "checkin",
                LOG);
        assertThat(statements("fc-miniapp-leaderboard")).containsExactlyInAnyOrder(
                "ots:GetRow -> " + ARN + "session",
                "ots:GetRow -> " + ARN + "miniapp_users",
                "ots:GetRange -> " + ARN + "checkin",
                LOG);
    }

    @Test
    void theSessionFunctionsDeleteAccountClearsTheCheckinTableWhichOnlyTheAppFunctionsName() throws IOException {
        assertThat(function("session").environment()).containsEntry("DATA_TABLES", "todo_list")
                .containsEntry("APP_TABLES", CheckinTable.NAME);
        assertThat(statements("fc-miniapp-session"))
                .contains("ots:GetRange,ots:BatchWriteRow -> " + ARN + CheckinTable.NAME)
                .noneMatch(s -> s.endsWith(ARN + CheckinTable.NAME) && !s.startsWith("ots:GetRange,ots:BatchWriteRow "));
    }

    @Test
    void usersKeysMayInvokeDbCheckinAndLeaderboardAndNothingElse() throws IOException {
        assertThat(function("session").environment())
                .containsEntry("CALLABLE_FUNCTIONS", "fc-miniapp-checkin/checkin,fc-miniapp-leaderboard/leaderboard")
                .containsEntry("DB_FUNCTION_NAME", "db").containsEntry("DB_SERVICE_NAME", "fc-miniapp");
        Map<String, Object> role = resource("InvokeRole");
        List<?> policies = (List<?>) ((Map<?, ?>) role.get("Properties")).get("Policies");
        assertThat(policies).hasSize(1);
        List<?> statements = (List<?>) ((Map<?, ?>) ((Map<?, ?>) policies.get(0)).get("PolicyDocument")).get("Statement");
        assertThat(statements).hasSize(1);
        Map<?, ?> statement = (Map<?, ?>) statements.get(0);
        assertThat(statement.get("Action")).isEqualTo(List.of("fc:InvokeFunction"));
        List<String> resources = new ArrayList<>();
        for (Object r : (List<?>) statement.get("Resource")) {
            resources.add(String.valueOf(((Map<?, ?>) r).get("Fn::Sub")));
        }
        String fc = "acs:fc:${ALIYUN::Region}:${ALIYUN::AccountId}:";
        assertThat(resources).containsExactly(fc + "services/fc-miniapp/functions/db", fc + "functions/db",
                fc + "services/fc-miniapp-checkin/functions/checkin", fc + "functions/checkin",
                fc + "services/fc-miniapp-leaderboard/functions/leaderboard", fc + "functions/leaderboard");
    }

    @Test
    void theTablesAreTheSessionsTheUsersTheTodosAndTheCheckins() throws IOException {
        List<String> tables = READER.readTables(TEMPLATE).stream()
                .map(t -> t.instance() + "/" + t.name() + " " + t.primaryKey()).collect(Collectors.toList());
        assertThat(tables).containsExactly("fcminiapp/session {id=STRING}", "fcminiapp/miniapp_users {uid=STRING}",
                "fcminiapp/todo_list {uid=STRING, id=STRING}", "fcminiapp/checkin {uid=STRING, id=STRING}");
        assertThat(READER.readTables(TEMPLATE)).extracting(TableSpec::name).contains(CheckinTable.NAME);
    }

    static FunctionSpec function(String name) throws IOException {
        return READER.read(TEMPLATE).stream().flatMap(s -> s.functions().stream()).filter(f -> f.name().equals(name))
                .findFirst().orElseThrow();
    }

    /** Each statement of the service's role as {@code action,action -> resource}. */
    static List<String> statements(String service) throws IOException {
        ServiceSpec spec = READER.read(TEMPLATE).stream().filter(s -> s.name().equals(service)).findFirst()
                .orElseThrow();
        List<String> out = new ArrayList<>();
        for (String policy : spec.policies()) {
            for (JsonNode statement : Json.readTree(policy.getBytes(StandardCharsets.UTF_8)).path("Statement")) {
                assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
                List<String> actions = new ArrayList<>();
                statement.path("Action").forEach(a -> actions.add(a.asText()));
                out.add(String.join(",", actions) + " -> " + statement.path("Resource").asText());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> resource(String name) throws IOException {
        try (Reader in = Files.newBufferedReader(TEMPLATE, StandardCharsets.UTF_8)) {
            Map<String, Object> top = new Yaml().load(in);
            return (Map<String, Object>) ((Map<String, Object>) top.get("Resources")).get(name);
        }
    }
}
