package com.fcminiapp.examples.guestbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.common.tables.TablesDeclaration;
import com.fcminiapp.localcloud.template.FunctionSpec;
import com.fcminiapp.localcloud.template.ServiceSpec;
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
 * examples/guestbook/template.yml as local-cloud reads it: the five declared tables (the db function's and the app
 * functions' DATA_TABLES are tables.json), each function in its own service with this module's handlers, each app
 * function's role holding exactly what it does to its one table, users' keys allowed db, post-notice, secret and like.
 */
class TemplateTest {

    static final Path TEMPLATE = Path.of("template.yml");
    static final String ARN = "acs:ots:cn-hangzhou:1234567890123456:instance/fcminiapp/table/";
    static final String LOG = "log:PostLogStoreLogs -> acs:log:cn-hangzhou:1234567890123456:project/"
            + "fc-miniapp-local-log/logstore/function-log";
    static final TemplateReader READER = new TemplateReader(
            Map.of("ALIYUN::Region", "cn-hangzhou", "ALIYUN::AccountId", "1234567890123456"),
            Map.of("TablestoreInstance", "fcminiapp", "LogProjectName", "fc-miniapp-local-log"));

    static String tablesJson() throws IOException {
        return Json.readTree(Files.readAllBytes(Path.of("tables.json"))).toString();
    }

    @Test
    void theDeclarationIsTheIssuesFiveTablesAndEveryFunctionReadsIt() throws IOException {
        TablesDeclaration declaration = TablesDeclaration.parse(tablesJson());
        assertThat(declaration.names()).containsExactly("todo_list", "guestbook", "lists", "notices", "secrets");
        assertThat(declaration.tables()).extracting(t -> t.mode().wireName())
                .containsExactly("private", "creator-write", "rules", "server-write", "server-only");
        for (String f : List.of("db", "post-notice", "secret", "like")) {
            assertThat(function(f).environment()).as(f).containsEntry("DATA_TABLES", tablesJson());
        }
        assertThat(function("db").environment()).containsEntry("SEARCH_INDEX_AUTO_CREATE", "false");
    }

    @Test
    void eachFunctionHasItsOwnService() throws IOException {
        Map<String, List<String>> services = READER.read(TEMPLATE).stream().collect(Collectors.toMap(
                ServiceSpec::name, s -> s.functions().stream().map(FunctionSpec::name).collect(Collectors.toList())));
        assertThat(services).containsExactlyInAnyOrderEntriesOf(Map.of("fc-miniapp-session", List.of("session"),
                "fc-miniapp", List.of("db"), "fc-miniapp-post-notice", List.of("post-notice"),
                "fc-miniapp-secret", List.of("secret"), "fc-miniapp-like", List.of("like")));
    }

    @Test
    void theAppFunctionsRunThisModulesHandlersOnItsShadedJarWithTheirOneTable() throws Exception {
        for (String[] f : new String[][] {{"post-notice", "PostNoticeHandler", "notices"},
                {"secret", "SecretHandler", "secrets"}, {"like", "LikeHandler", "guestbook"}}) {
            FunctionSpec spec = function(f[0]);
            String type = "com.fcminiapp.examples.guestbook." + f[1];
            assertThat(spec.handler()).isEqualTo(type + "::handleRequest");
            assertThat(spec.initializer()).contains(type + "::initialize");
            assertThat(spec.preStop()).contains(type + "::preStop");
            assertThat(spec.codeUri()).isEqualTo(Path.of("target", "guestbook-example.jar").toAbsolutePath());
            assertThat(spec.environment()).containsEntry("APP_TABLES", f[2])
                    .containsEntry("TABLESTORE_AUTO_CREATE", "false").doesNotContainKey("OSS_BUCKET");
            Class<?> handler = Class.forName(type);
            assertThat(handler.getConstructor().newInstance()).isNotNull();
            assertThat(handler.getConstructor(Map.class).newInstance(Map.of())).isNotNull();
        }
        assertThat(function("post-notice").environment()).containsKey(PostNoticeFunction.ADMINS);
        assertThat(function("secret").environment()).doesNotContainKey(PostNoticeFunction.ADMINS);
        assertThat(function("like").environment()).doesNotContainKey(PostNoticeFunction.ADMINS);
    }

    @Test
    void eachAppFunctionsRoleReadsSessionsAndCallersPhonesAndReachesOnlyItsOwnTable() throws IOException {
        assertThat(statements("fc-miniapp-post-notice")).containsExactlyInAnyOrder(
                "ots:GetRow -> " + ARN + "session",
                "ots:GetRow -> " + ARN + "miniapp_users",
                "ots:GetRow,ots:PutRow,ots:UpdateRow -> " + ARN + "notices",
                LOG);
        assertThat(statements("fc-miniapp-secret")).containsExactlyInAnyOrder(
                "ots:GetRow -> " + ARN + "session",
                "ots:GetRow -> " + ARN + "miniapp_users",
                "ots:GetRow,ots:PutRow,ots:UpdateRow,ots:DeleteRow -> " + ARN + "secrets",
                LOG);
        // like reads a post and updates it: it creates and removes none
        assertThat(statements("fc-miniapp-like")).containsExactlyInAnyOrder(
                "ots:GetRow -> " + ARN + "session",
                "ots:GetRow -> " + ARN + "miniapp_users",
                "ots:GetRow,ots:UpdateRow -> " + ARN + "guestbook",
                LOG);
    }

    @Test
    void usersKeysMayInvokeDbPostNoticeSecretAndLikeAndNothingElse() throws IOException {
        assertThat(function("session").environment()).containsEntry("CALLABLE_FUNCTIONS",
                "fc-miniapp-post-notice/post-notice,fc-miniapp-secret/secret,fc-miniapp-like/like");
        Map<String, Object> role = resource("InvokeRole");
        List<?> policies = (List<?>) ((Map<?, ?>) role.get("Properties")).get("Policies");
        List<?> statements = (List<?>) ((Map<?, ?>) ((Map<?, ?>) policies.get(0)).get("PolicyDocument")).get("Statement");
        assertThat(statements).hasSize(1);
        List<String> resources = new ArrayList<>();
        for (Object r : (List<?>) ((Map<?, ?>) statements.get(0)).get("Resource")) {
            resources.add(String.valueOf(((Map<?, ?>) r).get("Fn::Sub")));
        }
        String fc = "acs:fc:${ALIYUN::Region}:${ALIYUN::AccountId}:";
        assertThat(resources).containsExactly(fc + "services/fc-miniapp/functions/db", fc + "functions/db",
                fc + "services/fc-miniapp-post-notice/functions/post-notice", fc + "functions/post-notice",
                fc + "services/fc-miniapp-secret/functions/secret", fc + "functions/secret",
                fc + "services/fc-miniapp-like/functions/like", fc + "functions/like");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOutputsNameEachAppFunctionsServiceForTheClientsServices() throws IOException {
        Map<String, Object> outputs;
        try (Reader in = Files.newBufferedReader(TEMPLATE, StandardCharsets.UTF_8)) {
            outputs = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(in)).get("Outputs");
        }
        for (String[] o : new String[][] {{"PostNoticeServiceName", "fc-miniapp-post-notice"},
                {"SecretServiceName", "fc-miniapp-secret"}, {"LikeServiceName", "fc-miniapp-like"}}) {
            assertThat(((Map<String, Object>) outputs.get(o[0])).get("Value")).as(o[0]).isEqualTo(o[1]);
        }
    }

    @Test
    void theTablesAreTheSessionsTheUsersAndTheFiveDeclaredOnes() throws IOException {
        List<String> tables = READER.readTables(TEMPLATE).stream()
                .map(t -> t.instance() + "/" + t.name() + " " + t.primaryKey()).collect(Collectors.toList());
        List<String> expected = new ArrayList<>(List.of("fcminiapp/session {id=STRING}",
                "fcminiapp/miniapp_users {uid=STRING}"));
        TablesDeclaration.parse(tablesJson()).names()
                .forEach(n -> expected.add("fcminiapp/" + n + " {uid=STRING, id=STRING}"));
        assertThat(tables).containsExactlyElementsOf(expected);
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
