package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.config.DbConfig;
import com.fcminiapp.common.config.SessionConfig;
import com.fcminiapp.common.tables.TablesDeclaration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * s.yaml (Serverless Devs, FC 3.0) resolves with `s preview` and matches the build and the code, for the two built-ins
 * and every app function; an app function added at the marker lines (AppFunctionFixture) passes the same checks.
 */
class SYamlIT {

    /** What the deployer exports before `s deploy`; fake values, only to resolve the file offline. */
    private static final Map<String, String> DEPLOY_ENV = Map.of(
            "ACCOUNT_ID", "1234567890123456",
            "FC_SESSION_ROLE_ARN", "acs:ram::1234567890123456:role/fc-miniapp-session",
            "FC_DB_ROLE_ARN", "acs:ram::1234567890123456:role/fc-miniapp-db",
            "TABLESTORE_INSTANCE", "fcminiappx1",
            "LOG_PROJECT", "fc-miniapp-log-x1",
            "ALIPAY_APP_ID", "2021000000000000",
            "ALIPAY_PRIVATE_KEY", "preview-private-key",
            "ALIPAY_PUBLIC_KEY", "preview-public-key",
            "STS_ROLE_ARN", "acs:ram::1234567890123456:role/fc-miniapp-invoke",
            "OSS_BUCKET", "fc-miniapp-files");

    private static final AppFunctionFixture PROBE = new AppFunctionFixture("probe", List.of("probe_rows"), true, true);

    private static JsonNode resolved;
    /** The var as s.yaml writes it, before resolution. */
    private static final String S_YAML_TEXT_VAR = DeployFiles.yaml("s.yaml").path("vars").path("dataTables").asText();

    @BeforeAll
    static void preview() throws Exception {
        resolved = preview("s.yaml");
    }

    /** What `s preview` resolves {@code file} (a path from the repository root, or absolute) to. */
    private static JsonNode preview(String file) throws Exception {
        return preview(file, Map.of());
    }

    /** As {@link #preview(String)} with {@code more} exported too. */
    private static JsonNode preview(String file, Map<String, String> more) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(DEPLOY_ENV);
        env.putAll(more);
        DeployFiles.Run run = DeployFiles.tool("s", env, "preview", "-t", file, "-o", "json");
        assertThat(run.exitCode).as(run.toString()).isZero();
        // s prints log lines (a root-user warning) before the document
        int start = run.stdout.indexOf("{\n");
        assertThat(start).as(run.toString()).isNotNegative();
        return DeployFiles.JSON.readTree(run.stdout.substring(start));
    }

    /** Every function resource of a resolved s.yaml, built-ins first. */
    private static List<String> functions(JsonNode document) {
        List<String> out = new ArrayList<>();
        document.path("resources").fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void anAppFunctionAddedAtTheMarkersResolvesAndPassesEveryPerFunctionCheck() throws Exception {
        // next to s.yaml: its ${file('./tables.json')} is read relative to the file
        Path file = Files.createTempFile(DeployFiles.root(), ".s-app", ".yaml");
        try {
            Files.writeString(file, PROBE.addToSYaml(Files.readString(DeployFiles.root().resolve("s.yaml"))));
            JsonNode document = preview(file.toString());

            // after the repository's own functions (scripts/new-function.sh may have added app functions)
            List<String> expected = new ArrayList<>(functions(resolved));
            expected.add("probe");
            assertThat(functions(document)).containsExactlyElementsOf(expected);
            assertThat(appFunctionProblems(document, "probe")).isEmpty();
            assertFunctionFollowsFc3Rules("probe", props(document, "probe"));
            assertHandlersInJar(props(document, "probe"));
            assertThat(props(document, "probe").path("role").asText())
                    .isEqualTo("acs:ram::1234567890123456:role/fc-miniapp-probe");
            List<String> callable = new ArrayList<>(Descriptors.list(
                    props("session").path("environmentVariables").path("CALLABLE_FUNCTIONS").asText()));
            callable.add("probe");
            assertThat(props(document, "session").path("environmentVariables").path("CALLABLE_FUNCTIONS").asText())
                    .isEqualTo(String.join(",", callable));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The idle-mode provision config fc3 sends (its IProvisionConfig: every field; FC 3.0 PutProvisionConfig). */
    private static String idleProvision(int instances) {
        return "{\"defaultTarget\":" + instances + ",\"alwaysAllocateCPU\":false,\"alwaysAllocateGPU\":false,"
                + "\"scheduledActions\":[],\"targetTrackingPolicies\":[]}";
    }

    /**
     * Off by default: each built-in's provisionConfig is false, which fc3's deploy treats as none
     * (src/subCommands/deploy/index.ts: {@code if (this.inputs.props.provisionConfig)}), and everything else resolves
     * exactly as the file without the option does.
     */
    @Test
    void withoutProvisionedInstancesTheBuiltInsProvisionConfigIsFalseAndTheRestIsAsWithoutTheOption() throws Exception {
        String text = Files.readString(DeployFiles.root().resolve("s.yaml"));
        String without = text.replace("      provisionConfig: ${vars.provisionConfig}\n", "")
                .replaceAll("(?m)^  provision(edInstances|Config): .*\n", "");
        assertThat(without).doesNotContain("provisionConfig:").doesNotContain("provisionedInstances:");
        Path file = Files.createTempFile(DeployFiles.root(), ".s-noprov", ".yaml");
        JsonNode plain;
        try {
            Files.writeString(file, without);
            plain = preview(file.toString());
        } finally {
            Files.deleteIfExists(file);
        }
        JsonNode off = resolved.deepCopy();
        for (String builtIn : Descriptors.S_YAML_BUILT_INS) {
            assertThat(props(builtIn).path("provisionConfig").isBoolean()).as(builtIn).isTrue();
            assertThat(props(builtIn).path("provisionConfig").asBoolean()).as(builtIn).isFalse();
            ((com.fasterxml.jackson.databind.node.ObjectNode) off.path("resources").path(builtIn).path("props"))
                    .remove("provisionConfig");
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) off.path("vars")).remove(List.of("provisionedInstances",
                "provisionConfig"));
        assertThat(off).isEqualTo(plain);
    }

    @Test
    void withOneProvisionedInstanceTheSessionAndDbFunctionsEachGetOneInIdleMode() throws Exception {
        JsonNode one = preview("s.yaml", Map.of("PROVISIONED_INSTANCES", "1"));
        JsonNode three = preview("s.yaml", Map.of("PROVISIONED_INSTANCES", "3"));

        for (String builtIn : Descriptors.S_YAML_BUILT_INS) {
            assertThat(props(one, builtIn).path("provisionConfig").toString()).as(builtIn).isEqualTo(idleProvision(1));
            assertThat(props(three, builtIn).path("provisionConfig").toString()).as(builtIn)
                    .isEqualTo(idleProvision(3));
        }
        for (String app : Descriptors.sYamlAppFunctions(one)) {
            assertThat(props(one, app).has("provisionConfig")).as(app).isFalse();
        }
        assertThat(one.path("vars").path("provisionedInstances").asText()).isEqualTo("1");
        assertThat(resolved.path("vars").path("provisionedInstances").asText()).isEqualTo("0");
    }

    /** The phone key: from the environment, empty (phone numbers off) when not exported; the session function's only. */
    @Test
    void theAlipayAesKeyComesFromTheEnvironmentEmptyByDefaultAndOnlyTheSessionFunctionHasIt() throws Exception {
        assertThat(props("session").path("environmentVariables").path("ALIPAY_AES_KEY").asText()).isEmpty();
        JsonNode keyed = preview("s.yaml", Map.of("ALIPAY_AES_KEY", "c2l4dGVlbi1ieXRlLWtleQ=="));
        assertThat(props(keyed, "session").path("environmentVariables").path("ALIPAY_AES_KEY").asText())
                .isEqualTo("c2l4dGVlbi1ieXRlLWtleQ==");
        for (String f : functions(resolved)) {
            JsonNode env = props(f).path("environmentVariables");
            assertThat(env.path("USERS_TABLE").asText()).as(f).isEqualTo(Descriptors.USERS_TABLE);
            if (!f.equals("session")) {
                assertThat(env.has("ALIPAY_AES_KEY")).as(f).isFalse();
            }
        }
        for (String name : List.of("DATA_TABLES", "OSS_ENDPOINT", "OSS_PUBLIC_ENDPOINT", "OSS_BUCKET")) {
            assertThat(props("session").path("environmentVariables").path(name))
                    .as(name).isEqualTo(props("db").path("environmentVariables").path(name));
        }
    }

    @Test
    void eachMarkerLineIsInTheFileOnceAtTheIndentationOfWhatGoesAboveIt() throws Exception {
        String text = Files.readString(DeployFiles.root().resolve("s.yaml"));
        assertThat(text).containsOnlyOnce("\n  # new-function.sh: callable functions\n  callableFunctions: ")
                .endsWith("\n  # new-function.sh: resources\n");
    }

    @Test
    void everyAppFunctionHasTheKitsVariablesItsOwnRoleAndCode() {
        for (String app : Descriptors.sYamlAppFunctions(resolved)) {
            assertThat(appFunctionProblems(resolved, app)).as(app).isEmpty();
        }
    }

    /** Why app function {@code app} of the resolved {@code document} is not as the function kit and the build need it. */
    private static List<String> appFunctionProblems(JsonNode document, String app) {
        JsonNode p = props(document, app);
        List<String> problems = new ArrayList<>(AppFunctionRules.environmentProblems("function " + app,
                environment(p), environment(props(document, "db"))));
        problems.addAll(AppFunctionRules.codeProblems("function " + app, p.path("code").asText(),
                p.path("handler").asText().replaceAll("::.*", "")));
        if (p.has("triggers")) {
            problems.add("function " + app + " has triggers: an app function is invoked with a user's key");
        }
        if (!p.path("functionName").asText().equals(app)) {
            problems.add("function " + app + " is named " + p.path("functionName").asText());
        }
        return problems;
    }

    private static Map<String, String> environment(JsonNode props) {
        Map<String, String> env = new TreeMap<>();
        props.path("environmentVariables").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    @Test
    void previewResolvesEveryVariableFromTheEnvironment() {
        assertThat(resolved.path("edition").asText()).isEqualTo("3.0.0");
        assertThat(resolved.path("resources").toString()).doesNotContain("${");
        assertThat(props("session").path("environmentVariables").path("ALIPAY_PRIVATE_KEY").asText())
                .isEqualTo("preview-private-key");
        assertThat(props("db").path("environmentVariables").path("OSS_BUCKET").asText()).isEqualTo("fc-miniapp-files");
    }

    @Test
    void previewRefusesToResolveWithoutTheSecrets() throws Exception {
        Map<String, String> env = new LinkedHashMap<>(DEPLOY_ENV);
        env.remove("ALIPAY_PRIVATE_KEY");
        DeployFiles.Run run = DeployFiles.tool("s", env, "preview", "-t", "s.yaml", "-o", "json");

        assertThat(run.exitCode).as(run.toString()).isNotZero();
    }

    @Test
    void theFileHoldsNoSecret() throws Exception {
        String text = Files.readString(DeployFiles.root().resolve("s.yaml"));
        for (String secret : List.of("ALIPAY_PRIVATE_KEY", "ALIPAY_PUBLIC_KEY", "ALIPAY_APP_ID", "STS_ROLE_ARN")) {
            assertThat(text).contains(secret + ": ${env('" + secret + "')}");
        }
        assertThat(text).doesNotContainPattern("MII[A-Za-z0-9+/]{20,}");
    }

    @Test
    void functionPropsFollowFc3Rules() {
        for (String name : functions(resolved)) {
            assertFunctionFollowsFc3Rules(name, props(name));
        }
    }

    private static void assertFunctionFollowsFc3Rules(String name, JsonNode p) {
        for (String required : List.of("region", "functionName", "runtime", "code", "handler", "role")) {
            assertThat(p.path(required).asText()).as(name + " " + required).isNotBlank();
        }
        assertThat(p.path("runtime").asText()).as(name).isEqualTo("java11");
        assertThat(p.path("handler").asText()).as(name).matches(FcProps.JAVA_HANDLER);
        assertThat(p.path("memorySize").isInt()).as(name).isTrue();
        assertThat(FcProps.validMemory(p.path("memorySize").asInt())).as(name + " memorySize").isTrue();
        assertThat(FcProps.validTimeout(p.path("timeout").asInt())).as(name + " timeout").isTrue();
        JsonNode init = p.path("instanceLifecycleConfig").path("initializer");
        assertThat(init.path("handler").asText()).as(name).matches(FcProps.JAVA_HANDLER);
        assertThat(FcProps.validInitializerTimeout(init.path("timeout").asInt())).as(name).isTrue();
        JsonNode preStop = p.path("instanceLifecycleConfig").path("preStop");
        assertThat(preStop.path("handler").asText()).as(name).matches(FcProps.JAVA_HANDLER);
        assertThat(preStop.path("timeout").asInt()).as(name + " preStop timeout")
                .isEqualTo(FcProps.PRESTOP_TIMEOUT);
    }

    @Test
    void sessionFunctionUsesTheFc3EventHandler() {
        assertThat(props("session").path("handler").asText())
                .isEqualTo("com.fcminiapp.session.SessionHttpEventHandler::handleRequest");
        assertThat(props("session").path("instanceLifecycleConfig").path("initializer").path("handler").asText())
                .isEqualTo("com.fcminiapp.session.SessionHttpEventHandler::initialize");
    }

    @Test
    void sessionFunctionHasAnAnonymousPostHttpTriggerAndTheDbFunctionNone() {
        JsonNode triggers = props("session").path("triggers");
        assertThat(triggers).hasSize(1);
        JsonNode trigger = triggers.get(0);
        assertThat(trigger.path("triggerType").asText()).isEqualTo("http");
        assertThat(trigger.path("triggerConfig").path("authType").asText()).isEqualTo("anonymous");
        assertThat(trigger.path("triggerConfig").path("methods")).hasSize(1);
        assertThat(trigger.path("triggerConfig").path("methods").get(0).asText()).isEqualTo("POST");
        assertThat(props("db").has("triggers")).isFalse();
        for (String app : Descriptors.sYamlAppFunctions(resolved)) {
            assertThat(props(app).has("triggers")).as(app).isFalse();
        }
    }

    @Test
    void everyCodePathIsAJarTheBuildProduces() {
        assertThat(props("session").path("code").asText()).isEqualTo("./session-function/target/session-function.jar");
        assertThat(props("db").path("code").asText()).isEqualTo("./db-function/target/db-function.jar");
        for (String name : new String[] {"session", "db"}) {
            assertThat(DeployFiles.codePath(props(name).path("code").asText())).as(name).isRegularFile();
        }
        for (String name : functions(resolved)) {
            assertThat(AppFunctionRules.codeProblems(name, props(name).path("code").asText(),
                    props(name).path("handler").asText().replaceAll("::.*", ""))).as(name).isEmpty();
        }
    }

    /** An app function's module may build after this one (nothing here depends on it): its jar is checked once built. */
    @Test
    void everyBuiltAppFunctionsHandlerInitializerAndPreStopExistInItsJar() throws Exception {
        for (String app : Descriptors.sYamlAppFunctions(resolved)) {
            if (Files.isRegularFile(DeployFiles.codePath(props(app).path("code").asText()))) {
                assertHandlersInJar(props(app));
            }
        }
    }

    @Test
    void eachFunctionBuildsItsOwnJarBeforeItDeploys() {
        for (String name : new String[] {"session", "db"}) {
            assertThat(props(name).path("code").asText()).isEqualTo("./" + name + "-function/target/" + name + "-function.jar");
        }
        for (String name : functions(resolved)) {
            JsonNode action = resolved.path("resources").path(name).path("actions").path("pre-deploy").get(0);
            assertThat(action.path("run").asText()).as(name).isEqualTo("./mvnw -B -DskipTests -pl "
                    + AppFunctionRules.module(props(name).path("code").asText()) + " -am package");
            assertThat(DeployFiles.codePath(action.path("path").asText())).isEqualTo(DeployFiles.root());
        }
    }

    @Test
    void previewRefusesToResolveWithoutAGloballyUniqueName() throws Exception {
        for (String name : new String[] {"TABLESTORE_INSTANCE", "LOG_PROJECT", "OSS_BUCKET", "FC_DB_ROLE_ARN", "ACCOUNT_ID"}) {
            Map<String, String> env = new LinkedHashMap<>(DEPLOY_ENV);
            env.remove(name);
            DeployFiles.Run run = DeployFiles.tool("s", env, "preview", "-t", "s.yaml", "-o", "json");

            assertThat(run.exitCode).as(name + " " + run).isNotZero();
        }
    }

    @Test
    void eachFunctionLogsIntoTheNamedProjectAndCreatesNoTable() {
        for (String name : functions(resolved)) {
            assertThat(props(name).path("logConfig").path("project").asText()).as(name).isEqualTo("fc-miniapp-log-x1");
            assertThat(props(name).path("logConfig").path("logstore").asText()).as(name).isEqualTo("function-log");
            assertThat(props(name).path("environmentVariables").path("TABLESTORE_AUTO_CREATE").asText()).isEqualTo("false");
        }
    }

    @Test
    void sessionFunctionEnvironmentIsExactlyWhatItsConfigReads() {
        assertThat(envNames(props("session"))).isEqualTo(TemplateYmlIT.expected(SessionConfig.VARIABLES));
    }

    /** s.yaml names tables.json itself ({@code ${file()}}): what `s preview` resolves is the file, and it parses. */
    @Test
    void theDbFunctionsDataTablesResolvesToTablesJsonAndTheJavaParserReadsIt() throws Exception {
        String tablesJson = Files.readString(DeployFiles.root().resolve("tables.json"));
        String resolvedValue = props("db").path("environmentVariables").path("DATA_TABLES").asText();

        assertThat(S_YAML_TEXT_VAR).isEqualTo("${file('./tables.json')}");
        assertThat(resolvedValue).isEqualTo(tablesJson);
        assertThat(TablesDeclaration.parse(resolvedValue).names()).containsExactlyElementsOf(DeployFiles.declaredTables());
        assertThat(props("db").path("environmentVariables").path("SEARCH_INDEX_AUTO_CREATE").asText())
                .as("no Serverless Devs component creates search indexes: the db function does").isEqualTo("true");
        for (String app : Descriptors.sYamlAppFunctions(resolved)) {
            assertThat(props(app).path("environmentVariables").path("DATA_TABLES").asText()).as(app)
                    .isEqualTo(tablesJson);
        }
    }

    @Test
    void dbFunctionEnvironmentIsExactlyWhatItsConfigReads() {
        assertThat(envNames(props("db"))).isEqualTo(TemplateYmlIT.expected(DbConfig.VARIABLES));
    }

    @Test
    void eachFunctionsJvmStartsWithTheOptionsOfTheTemplate() {
        for (String name : functions(resolved)) {
            assertThat(props(name).path("environmentVariables").path("JAVA_TOOL_OPTIONS").asText()).as(name)
                    .isEqualTo(TemplateYmlIT.JAVA_TOOL_OPTIONS);
        }
    }

    @Test
    void sessionFunctionNamesTheDbFunctionItGrantsAccessTo() {
        assertThat(props("session").path("environmentVariables").path("DB_FUNCTION_NAME").asText())
                .isEqualTo(props("db").path("functionName").asText());
    }

    @Test
    void sessionHandlerInitializerAndPreStopExistInItsJarWithFcSignatures() throws Exception {
        assertHandlersInJar(props("session"));
    }

    @Test
    void dbHandlerInitializerAndPreStopExistInItsJarWithFcSignatures() throws Exception {
        assertHandlersInJar(props("db"));
    }

    private static JsonNode props(String name) {
        return props(resolved, name);
    }

    private static JsonNode props(JsonNode document, String name) {
        JsonNode resource = document.path("resources").path(name);
        assertThat(resource.path("component").asText()).as(name).isEqualTo("fc3");
        return resource.path("props");
    }

    private static void assertHandlersInJar(JsonNode props) throws Exception {
        Path jar = DeployFiles.codePath(props.path("code").asText());
        String handler = props.path("handler").asText();
        String initializer = props.path("instanceLifecycleConfig").path("initializer").path("handler").asText();
        try (URLClassLoader loader = DeployFiles.isolatedLoader(jar)) {
            assertThat(DeployFiles.fcMethod(loader, handler, false)).as(handler + " in " + jar.getFileName()).isPresent();
            assertThat(DeployFiles.fcMethod(loader, initializer, true)).as(initializer + " in " + jar.getFileName())
                    .isPresent();
            String preStop = props.path("instanceLifecycleConfig").path("preStop").path("handler").asText();
            assertThat(DeployFiles.preStopMethod(loader, preStop)).as(preStop + " in " + jar.getFileName()).isPresent();
        }
    }

    private static Set<String> envNames(JsonNode props) {
        Set<String> names = new TreeSet<>();
        props.path("environmentVariables").fieldNames().forEachRemaining(names::add);
        return names;
    }
}
