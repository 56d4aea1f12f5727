package com.fcminiapp.localcloud.template;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateReaderTest {

    private static final String TEMPLATE = String.join("\n",
            "ROSTemplateFormatVersion: '2015-09-01'",
            "Transform: 'Aliyun::Serverless-2018-04-03'",
            "Parameters:",
            "  AppId: {Type: String, Default: '2021000000000000'}",
            "  Bucket: {Type: String, Default: files}",
            "Resources:",
            "  svc:",
            "    Type: 'Aliyun::Serverless::Service'",
            "    Properties: {Description: x}",
            "    session:",
            "      Type: 'Aliyun::Serverless::Function'",
            "      Properties:",
            "        Runtime: java11",
            "        CodeUri: ./session-function/target/session-function.jar",
            "        Handler: com.example.Session::handleRequest",
            "        Initializer: com.example.Session::initialize",
            "        Timeout: 15",
            "        InstanceLifecycleConfig:",
            "          PreStop: {Handler: com.example.Session::preStop, Timeout: 7}",
            "        EnvironmentVariables:",
            "          APP_ID: !Ref AppId",
            "          STS_ENDPOINT: !Sub 'sts.${ALIYUN::Region}.aliyuncs.com'",
            "          LONG_REF:",
            "            Ref: Bucket",
            "          LONG_SUB:",
            "            Fn::Sub: 'oss-${ALIYUN::Region}/${Bucket}'",
            "      Events:",
            "        http: {Type: HTTP, Properties: {AuthType: ANONYMOUS, Methods: ['POST']}}",
            "    db:",
            "      Type: 'Aliyun::Serverless::Function'",
            "      Properties: {Runtime: java11, CodeUri: db.jar, Handler: com.example.Db::handleRequest}",
            "  tables:",
            "    Type: 'Aliyun::Serverless::TableStore'",
            "    Properties: {ClusterType: HYBRID, Description: d}");

    private final TemplateReader reader = new TemplateReader(Map.of("ALIYUN::Region", "cn-hangzhou"));

    @Test
    void readsServiceFunctionsHandlersAndTriggers() {
        List<ServiceSpec> services = reader.read(TEMPLATE, Path.of("/repo"));
        assertThat(services).hasSize(1);
        ServiceSpec svc = services.get(0);
        assertThat(svc.name()).isEqualTo("svc");
        assertThat(svc.functions()).extracting(FunctionSpec::name).containsExactly("session", "db");
        FunctionSpec session = svc.function("session").orElseThrow();
        assertThat(session.handlerClass()).isEqualTo("com.example.Session");
        assertThat(session.initializerClass()).contains("com.example.Session");
        assertThat(session.hasHttpTrigger()).isTrue();
        assertThat(session.timeoutSeconds()).isEqualTo(15);
        assertThat(session.codeUri()).isEqualTo(Path.of("/repo/session-function/target/session-function.jar"));
        FunctionSpec db = svc.function("db").orElseThrow();
        assertThat(db.hasHttpTrigger()).isFalse();
        assertThat(db.initializer()).isEmpty();
        assertThat(db.codeUri()).isEqualTo(Path.of("/repo/db.jar"));
        assertThat(db.preStop()).isEmpty();
    }

    @Test
    void readsEachRamRoleByItsResolvedNameWithItsPolicyDocumentsResolved() {
        String template = String.join("\n",
                "Parameters:",
                "  RoleName: {Type: String, Default: fc-miniapp-invoke}",
                "Resources:",
                "  InvokeRole:",
                "    Type: 'ALIYUN::RAM::Role'",
                "    Properties:",
                "      RoleName: {Ref: RoleName}",
                "      AssumeRolePolicyDocument: {Version: '1', Statement: []}",
                "      Policies:",
                "        - PolicyName: {'Fn::Sub': '${RoleName}-invoke'}",
                "          PolicyDocument:",
                "            Version: '1'",
                "            Statement:",
                "              - Effect: Allow",
                "                Action: ['fc:InvokeFunction']",
                "                Resource:",
                "                  - Fn::Sub: 'acs:fc:${ALIYUN::Region}:1:functions/db'",
                "                  - !Sub 'acs:fc:${ALIYUN::Region}:1:functions/checkin'",
                "  Nameless:",
                "    Type: 'ALIYUN::RAM::Role'",
                "    Properties: {Policies: [{PolicyName: x, PolicyDocument: {Version: '1', Statement: []}}]}",
                "  svc:",
                "    Type: 'Aliyun::Serverless::Service'");

        Map<String, List<String>> roles = reader.readRoles(template);

        assertThat(roles).containsOnlyKeys("fc-miniapp-invoke");
        assertThat(roles.get("fc-miniapp-invoke")).containsExactly("{\"Version\":\"1\",\"Statement\":[{\"Effect\":"
                + "\"Allow\",\"Action\":[\"fc:InvokeFunction\"],\"Resource\":[\"acs:fc:cn-hangzhou:1:functions/db\","
                + "\"acs:fc:cn-hangzhou:1:functions/checkin\"]}]}");
    }

    @Test
    void aTemplateWithoutRolesHasNone() {
        assertThat(reader.readRoles(TEMPLATE)).isEmpty();
    }

    @Test
    void readsThePreStopHandlerAndItsTimeout() {
        FunctionSpec session = reader.read(TEMPLATE, Path.of("/repo")).get(0).function("session").orElseThrow();

        assertThat(session.preStop()).contains("com.example.Session::preStop");
        assertThat(session.preStopClass()).contains("com.example.Session");
        assertThat(session.preStopTimeoutSeconds()).isEqualTo(7);
    }

    @Test
    void aPreStopWithoutTimeoutGetsThreeSecondsAndAnEmptyHandlerIsNone() {
        FunctionSpec noTimeout = reader.read(TEMPLATE.replace(", Timeout: 7}", "}"), Path.of("/repo")).get(0)
                .function("session").orElseThrow();
        FunctionSpec empty = reader.read(TEMPLATE.replace("Handler: com.example.Session::preStop", "Handler: ''"),
                Path.of("/repo")).get(0).function("session").orElseThrow();

        assertThat(noTimeout.preStopTimeoutSeconds()).isEqualTo(3);
        assertThat(empty.preStop()).isEmpty();
    }

    @Test
    void refusesAPreStopTimeoutUnderOneSecond() {
        assertThatThrownBy(() -> reader.read(TEMPLATE.replace("Timeout: 7}", "Timeout: 0}"), Path.of("/repo")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("function session: the PreStop Timeout must be 1 second or more");
    }

    @Test
    void resolvesRefAndSubInShortAndLongForms() {
        Map<String, String> env = reader.read(TEMPLATE, Path.of("/repo")).get(0).function("session").orElseThrow()
                .environment();
        assertThat(env).containsEntry("APP_ID", "2021000000000000")
                .containsEntry("STS_ENDPOINT", "sts.cn-hangzhou.aliyuncs.com")
                .containsEntry("LONG_REF", "files")
                .containsEntry("LONG_SUB", "oss-cn-hangzhou/files");
    }

    @Test
    void refusesAnUnresolvableReference() {
        String broken = TEMPLATE.replace("!Ref AppId", "!Ref Missing");
        assertThatThrownBy(() -> reader.read(broken, Path.of("/repo")))
                .hasMessageContaining("unresolved reference Missing");
    }

    @Test
    void readsTheRepositoryTemplate() throws Exception {
        Path template = Path.of("..", "template.yml");
        List<ServiceSpec> services = new TemplateReader(Map.of("ALIYUN::Region", "cn-hangzhou",
                "ALIYUN::AccountId", "42")).read(template);
        // the two built-ins first; an app function's service (scripts/new-function.sh) may follow them
        assertThat(services).extracting(ServiceSpec::name).startsWith("fc-miniapp-session", "fc-miniapp");
        assertThat(services.get(0).function("session").orElseThrow().hasHttpTrigger()).isTrue();
        assertThat(services.get(1).function("db").orElseThrow().hasHttpTrigger()).isFalse();
        assertThat(services.get(0).function("session").orElseThrow().preStop())
                .contains("com.fcminiapp.session.SessionHttpHandler::preStop");
        assertThat(services.get(1).function("db").orElseThrow().preStop())
                .contains("com.fcminiapp.db.DbHandler::preStop");
    }

    @Test
    void aParameterWithoutDefaultTakesItsLocalValueAndOneWithADefaultKeepsIt() {
        String noDefault = TEMPLATE.replace("Bucket: {Type: String, Default: files}", "Bucket: {Type: String}");
        TemplateReader local = new TemplateReader(Map.of("ALIYUN::Region", "cn-hangzhou"),
                Map.of("Bucket", "local-files", "AppId", "1"));
        Map<String, String> env = local.read(noDefault, Path.of("/repo")).get(0).function("session").orElseThrow()
                .environment();
        assertThat(env).containsEntry("LONG_REF", "local-files").containsEntry("APP_ID", "2021000000000000");
        assertThat(reader.read(noDefault, Path.of("/repo")).get(0).function("session").orElseThrow().environment())
                .containsEntry("LONG_REF", "");
    }

    @Test
    void readsEachServicesPoliciesWithReferencesResolved() throws Exception {
        Path template = Path.of("..", "template.yml");
        Map<String, List<String>> policies = new java.util.HashMap<>();
        new TemplateReader(Map.of("ALIYUN::Region", "cn-hangzhou", "ALIYUN::AccountId", "42"),
                Map.of("OssBucket", "files", "TablestoreInstance", "inst", "LogProjectName", "log")).read(template)
                .forEach(s -> policies.put(s.name(), s.policies()));

        assertThat(policies.keySet()).contains("fc-miniapp-session", "fc-miniapp");
        assertThat(policies.get("fc-miniapp")).hasSize(1);
        assertThat(policies.get("fc-miniapp").get(0)).contains("\"acs:oss:*:42:files/users/*\"")
                .contains("\"acs:oss:*:42:files/public/*\"").contains("\"ots:Search\"")
                .contains("\"ots:GetRange\"").doesNotContain("sts:").doesNotContain("Ref").doesNotContain("Fn::Sub");
        assertThat(policies.get("fc-miniapp-session").get(0))
                .contains("\"Resource\":\"acs:ram::42:role/fc-miniapp-invoke\"")
                .contains("acs:ots:cn-hangzhou:42:instance/inst/table/session")
                .contains("acs:ots:cn-hangzhou:42:instance/inst/table/miniapp_users")
                // deleteAccount's listing, with the condition RAM (and local-cloud's evaluator) tests
                .contains("\"Condition\":{\"StringLike\":{\"oss:Prefix\":[\"users/*\",\"public/*\"]}}")
                .doesNotContain("oss:GetObject").doesNotContain("oss:PutObject");
    }

    @Test
    void readsEachFunctionsInstanceConcurrencyDefaultingToOne() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("ic");
        Path template = dir.resolve("template.yml");
        java.nio.file.Files.writeString(template, "ROSTemplateFormatVersion: '2015-09-01'\n"
                + "Transform: 'Aliyun::Serverless-2018-04-03'\nResources:\n  svc:\n"
                + "    Type: 'Aliyun::Serverless::Service'\n"
                + "    one:\n      Type: 'Aliyun::Serverless::Function'\n      Properties:\n"
                + "        Handler: a.B::handleRequest\n        CodeUri: ./a.jar\n"
                + "    many:\n      Type: 'Aliyun::Serverless::Function'\n      Properties:\n"
                + "        Handler: a.B::handleRequest\n        CodeUri: ./a.jar\n        InstanceConcurrency: 20\n");
        try {
            List<FunctionSpec> functions = new TemplateReader(Map.of(), Map.of()).read(template).get(0).functions();
            assertThat(functions).extracting(FunctionSpec::name, FunctionSpec::instanceConcurrency)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("one", 1),
                            org.assertj.core.groups.Tuple.tuple("many", 20));
        } finally {
            java.nio.file.Files.delete(template);
            java.nio.file.Files.delete(dir);
        }
    }

    @Test
    void readsTheRepositoryTemplatesRosTablesInTheInstanceItsParameterNames() throws Exception {
        List<TableSpec> tables = new TemplateReader(Map.of("ALIYUN::Region", "cn-hangzhou"),
                Map.of("TablestoreInstance", "inst")).readTables(Path.of("..", "template.yml"));

        assertThat(tables).extracting(TableSpec::instance).containsOnly("inst");
        assertThat(tables).extracting(TableSpec::name).containsExactlyInAnyOrder("session", "miniapp_users",
                "todo_list");
        assertThat(tables.stream().filter(t -> t.name().equals("miniapp_users")).findFirst().orElseThrow().primaryKey())
                .containsExactly(Map.entry("uid", "STRING"));
        assertThat(tables.stream().filter(t -> t.name().equals("todo_list")).findFirst().orElseThrow().primaryKey())
                .containsExactly(Map.entry("uid", "STRING"), Map.entry("id", "STRING"));
    }
}
