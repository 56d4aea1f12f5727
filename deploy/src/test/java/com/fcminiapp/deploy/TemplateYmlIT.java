package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.config.DbConfig;
import com.fcminiapp.common.config.SessionConfig;
import com.fcminiapp.common.tables.TablesDeclaration;
import org.junit.jupiter.api.Test;

import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * template.yml (Funcraft, FC 2.0) is valid for `fun` and matches what the build produces and the code reads, for the
 * two built-ins and every app function; an app function added at the marker lines (AppFunctionFixture) passes the
 * same checks.
 */
class TemplateYmlIT {

    private static final JsonNode TEMPLATE = DeployFiles.yaml("template.yml");
    private static final JsonNode RESOURCES = TEMPLATE.path("Resources");
    /** Each function in its own service, so each has its own role. */
    private static final Map<String, String> SERVICE_OF = Map.of("session", "fc-miniapp-session", "db", "fc-miniapp");
    /** Every function of the template → its service. */
    private static final Map<String, String> FUNCTIONS = Descriptors.templateFunctions(TEMPLATE);
    private static final AppFunctionFixture PROBE = new AppFunctionFixture("probe", List.of("probe_rows"), true, true);
    /**
     * The JVM options each function's JVM reads from its environment: C1 only, measured to cut the cold start
     * (docs/performance.md). Valid on Java 11 (FC's java11 runtime): an unknown option would stop the JVM.
     */
    static final String JAVA_TOOL_OPTIONS = "-XX:TieredStopAtLevel=1";

    /**
     * Funcraft 3.6.24's schema (lib/language-service/schema/ros, 214 ROS types) predates ALIYUN::OTS::SearchIndex, so
     * `fun validate` refuses those resources and only those; everything else it validates. `fun deploy --use-ros`
     * does not run this validation and hands the template to ROS as it is (docs/deploy.md, "Tables").
     */
    @Test
    void funValidateAcceptsTheTemplateButForTheSearchIndexesItsSchemaDoesNotKnow() throws Exception {
        String text = Files.readString(DeployFiles.root().resolve("template.yml"));
        DeployFiles.Run whole = DeployFiles.tool("fun", Map.of(), "validate", "-t", "template.yml");
        DeployFiles.Run rest = validate(FunValidate.withoutSearchIndexes(text));

        assertThat(rest.exitCode).as(rest.toString()).isZero();
        assertThat(rest.stdout + rest.stderr).as(rest.toString()).doesNotContain("ERR!");
        assertThat(whole.exitCode).as(whole.toString()).isNotZero();
        assertThat(FunValidate.errorResources(whole)).as(whole.toString())
                .containsExactlyElementsOf(FunValidate.searchIndexResources(TEMPLATE));
    }

    @Test
    void funValidateAcceptsTheTemplateWithAnAppFunctionAddedAtTheMarkers() throws Exception {
        DeployFiles.Run run = validate(FunValidate.withoutSearchIndexes(
                PROBE.addTo(Files.readString(DeployFiles.root().resolve("template.yml")))));

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout + run.stderr).as(run.toString()).doesNotContain("ERR!");
    }

    @Test
    void anAppFunctionAddedAtTheMarkersPassesEveryPerFunctionCheck() throws Exception {
        JsonNode template = DeployFiles.YAML.readTree(PROBE.addTo(Files.readString(
                DeployFiles.root().resolve("template.yml"))));
        JsonNode probe = Descriptors.templateFunction(template, "probe");

        assertThat(appFunctionProblems(template, "probe")).isEmpty();
        assertFunctionFollowsFcRules("probe", probe);
        assertHandlersInJar(probe);
        assertThat(template.path("Outputs").path("ProbeServiceName").path("Value").asText()).isEqualTo("fc-miniapp-probe");
        // appended to the repository's own list (scripts/new-function.sh may have put app functions there)
        List<String> callable = new java.util.ArrayList<>(Descriptors.list(String.valueOf(
                Descriptors.env(Descriptors.templateFunction(TEMPLATE, "session"), "CALLABLE_FUNCTIONS"))));
        callable.add("fc-miniapp-probe/probe");
        assertThat(Descriptors.env(Descriptors.templateFunction(template, "session"), "CALLABLE_FUNCTIONS"))
                .isEqualTo(String.join(",", callable));
    }

    @Test
    void eachMarkerLineIsInTheTemplateOnceAtTheIndentationOfWhatGoesAboveIt() throws Exception {
        String text = Files.readString(DeployFiles.root().resolve("template.yml"));
        assertThat(text).containsOnlyOnce("\n          # new-function.sh: callable functions\n          CALLABLE_FUNCTIONS: ")
                .containsOnlyOnce("\n                  # new-function.sh: callable resources\n")
                .containsOnlyOnce("\n  # new-function.sh: services\n# Every value the client's createClient needs")
                .endsWith("\n  # new-function.sh: outputs\n");
    }

    @Test
    void funValidateRejectsAMemorySizeFcDoesNotOffer() throws Exception {
        DeployFiles.Run run = validateChanged("MemorySize: 512", "MemorySize: 500");

        assertThat(run.exitCode).as(run.toString()).isNotZero();
    }

    /** Proves fun's schema reads the PreStop where template.yml puts it (Function.Properties.InstanceLifecycleConfig). */
    @Test
    void funValidateRejectsAPreStopTimeoutThatIsNoInteger() throws Exception {
        DeployFiles.Run run = validateChanged("            Timeout: " + FcProps.PRESTOP_TIMEOUT + "\n",
                "            Timeout: soon\n");

        assertThat(run.exitCode).as(run.toString()).isNotZero();
        assertThat(run.stdout + run.stderr).as(run.toString()).contains("Timeout");
    }

    /** {@code fun validate} on template.yml (without its search indexes) with {@code from} replaced by {@code to}. */
    private static DeployFiles.Run validateChanged(String from, String to) throws Exception {
        String template = FunValidate.withoutSearchIndexes(Files.readString(DeployFiles.root().resolve("template.yml")));
        assertThat(template).contains(from);
        return validate(template.replace(from, to));
    }

    private static DeployFiles.Run validate(String template) throws Exception {
        return FunValidate.validate(template);
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
    void everyAppFunctionHasTheKitsVariablesItsOwnServiceAndCode() {
        for (String app : Descriptors.templateAppFunctions(TEMPLATE)) {
            assertThat(appFunctionProblems(TEMPLATE, app)).as(app).isEmpty();
        }
    }

    /** Why app function {@code app} of {@code template} is not as the function kit and the build need it. */
    static List<String> appFunctionProblems(JsonNode template, String app) {
        JsonNode props = Descriptors.templateFunction(template, app);
        List<String> problems = new java.util.ArrayList<>(AppFunctionRules.environmentProblems("function " + app,
                environment(props), environment(Descriptors.templateFunction(template, "db"))));
        problems.addAll(AppFunctionRules.codeProblems("function " + app, props.path("CodeUri").asText(),
                props.path("Handler").asText().replaceAll("::.*", "")));
        if (!Descriptors.templateFunctions(template).get(app).equals(Descriptors.APP_PREFIX + app)) {
            problems.add("function " + app + " is not in its own service " + Descriptors.APP_PREFIX + app);
        }
        if (hasHttpTrigger(template.path("Resources").path(Descriptors.APP_PREFIX + app).path(app))) {
            problems.add("function " + app + " has an HTTP trigger: an app function is invoked with a user's key");
        }
        boolean output = false;
        for (JsonNode o : template.path("Outputs")) {
            output |= o.path("Value").asText().equals(Descriptors.APP_PREFIX + app);
        }
        if (!output) {
            problems.add("function " + app + ": no Output gives its service (createClient's services)");
        }
        return problems;
    }

    private static boolean hasHttpTrigger(JsonNode function) {
        for (JsonNode event : function.path("Events")) {
            if ("HTTP".equalsIgnoreCase(event.path("Type").asText())) {
                return true;
            }
        }
        return false;
    }

    /** A function's environment, each value resolved with the deployer's placeholders. */
    private static Map<String, String> environment(JsonNode props) {
        Map<String, String> env = new java.util.TreeMap<>();
        props.path("EnvironmentVariables").fields().forEachRemaining(e -> env.put(e.getKey(),
                RoleRules.resolve(e.getValue())));
        return env;
    }

    @Test
    void everyValueWithoutASafeDefaultIsAParameterWithoutOne() {
        for (String name : List.of("AlipayAppId", "AlipayPrivateKey", "AlipayPublicKey", "OssBucket",
                "TablestoreInstance", "LogProjectName")) {
            JsonNode parameter = TEMPLATE.path("Parameters").path(name);
            assertThat(parameter.path("Type").asText()).as(name).isEqualTo("String");
            assertThat(parameter.has("Default")).as(name + " has a Default").isFalse();
        }
        assertThat(TEMPLATE.path("Parameters").path("AlipayPrivateKey").path("NoEcho").asBoolean()).isTrue();
    }

    @Test
    void globallyUniqueNamesComeFromParameters() {
        assertThat(RESOURCES.path("Tablestore").path("Properties").path("InstanceName").path("Ref").asText())
                .isEqualTo("TablestoreInstance");
        assertThat(RESOURCES.path("FunctionLogProject").path("Properties").path("Name").path("Ref").asText())
                .isEqualTo("LogProjectName");
        assertThat(function("db").path("EnvironmentVariables").path("OSS_BUCKET").path("Ref").asText())
                .isEqualTo("OssBucket");
        for (String name : FUNCTIONS.keySet()) {
            assertThat(function(name).path("EnvironmentVariables").path("TABLESTORE_INSTANCE").path("Ref").asText())
                    .as(name).isEqualTo("TablestoreInstance");
            if (function(name).path("EnvironmentVariables").has("OSS_BUCKET")) {
                assertThat(function(name).path("EnvironmentVariables").path("OSS_BUCKET").path("Ref").asText())
                        .as(name).isEqualTo("OssBucket");
            }
        }
    }

    @Test
    void eachServiceLogsOnlyIntoALogStoreCreatedBeforeIt() {
        for (String service : new TreeSet<>(FUNCTIONS.values())) {
            JsonNode s = RESOURCES.path(service);
            JsonNode log = s.path("Properties").path("LogConfig");
            assertThat(log.path("Project").path("Fn::GetAtt").toString()).as(service)
                    .isEqualTo("[\"FunctionLogProject\",\"Name\"]");
            assertThat(log.path("Logstore").path("Fn::GetAtt").toString()).as(service)
                    .isEqualTo("[\"FunctionLogStore\",\"LogstoreName\"]");
            assertThat(s.path("DependsOn").toString()).as(service).contains("\"FunctionLogStore\"");
        }
        assertThat(RESOURCES.path("FunctionLogStore").path("Type").asText()).isEqualTo("ALIYUN::SLS::Logstore");
        assertThat(RESOURCES.path("FunctionLogStore").path("DependsOn").asText()).isEqualTo("FunctionLogProject");
    }

    @Test
    void theSessionTableExpiresRowsOneDayAfterTheSessionLifetime() {
        long lifetime = Long.parseLong(function("session").path("EnvironmentVariables").path("SESSION_TTL_SECONDS").asText());
        for (String name : FUNCTIONS.keySet()) {
            assertThat(function(name).path("EnvironmentVariables").path("SESSION_TTL_SECONDS").asLong()).as(name)
                    .isEqualTo(lifetime);
        }
        JsonNode table = RESOURCES.path("SessionTable").path("Properties");
        assertThat(table.path("TableName").asText()).isEqualTo("session");
        assertThat(table.path("TimeToLive").asLong()).isEqualTo(lifetime + 86400);
        assertThat(RESOURCES.path("TodoListTable").path("Properties").path("TimeToLive").asLong()).isEqualTo(-1);
    }

    @Test
    void outputsGiveEveryClientSetting() {
        JsonNode outputs = TEMPLATE.path("Outputs");
        assertThat(outputs.path("ServiceName").path("Value").asText()).isEqualTo(SERVICE_OF.get("db"));
        assertThat(outputs.path("DbFunctionName").path("Value").asText()).isEqualTo("db");
        assertThat(outputs.path("SessionFunctionName").path("Value").asText()).isEqualTo("session");
        assertThat(outputs.path("AccountId").path("Value").path("Ref").asText()).isEqualTo("ALIYUN::AccountId");
        assertThat(outputs.path("Region").path("Value").path("Ref").asText()).isEqualTo("ALIYUN::Region");
        String endpoint = outputs.path("Endpoint").path("Value").path("Fn::Sub").asText();
        assertThat(endpoint).isEqualTo("https://${ALIYUN::AccountId}.${ALIYUN::Region}.fc.aliyuncs.com");
        assertThat(outputs.path("SessionUrl").path("Value").path("Fn::Sub").asText())
                .isEqualTo(endpoint + "/2016-08-15/proxy/" + SERVICE_OF.get("session") + "/session/");
    }

    @Test
    void theSessionFunctionNamesTheDbFunctionAndItsService() {
        JsonNode env = function("session").path("EnvironmentVariables");
        assertThat(env.path("DB_FUNCTION_NAME").asText()).isEqualTo("db");
        assertThat(env.path("DB_SERVICE_NAME").asText()).isEqualTo(SERVICE_OF.get("db"));
        assertThat(RoleRules.resolve(env.path("STS_ROLE_ARN"))).isEqualTo("acs:ram::<accountId>:role/<invokeRoleName>");
    }

    @Test
    void functionPropertiesFollowFcRules() {
        for (String name : FUNCTIONS.keySet()) {
            assertFunctionFollowsFcRules(name, function(name));
        }
    }

    private static void assertFunctionFollowsFcRules(String name, JsonNode p) {
        assertThat(p.path("Runtime").asText()).as(name).isEqualTo("java11");
        assertThat(p.path("Handler").asText()).as(name).matches(FcProps.JAVA_HANDLER);
        assertThat(p.path("Initializer").asText()).as(name).matches(FcProps.JAVA_HANDLER);
        assertThat(FcProps.validMemory(p.path("MemorySize").asInt())).as(name + " MemorySize").isTrue();
        assertThat(FcProps.validTimeout(p.path("Timeout").asInt())).as(name + " Timeout").isTrue();
        assertThat(FcProps.validInitializerTimeout(p.path("InitializationTimeout").asInt()))
                .as(name + " InitializationTimeout").isTrue();
        JsonNode preStop = p.path("InstanceLifecycleConfig").path("PreStop");
        assertThat(preStop.path("Handler").asText()).as(name).matches(FcProps.JAVA_HANDLER);
        assertThat(preStop.path("Timeout").asInt()).as(name + " PreStop Timeout").isEqualTo(FcProps.PRESTOP_TIMEOUT);
    }

    @Test
    void everyCodeUriIsAJarTheBuildProduces() {
        assertThat(function("session").path("CodeUri").asText()).isEqualTo("./session-function/target/session-function.jar");
        assertThat(function("db").path("CodeUri").asText()).isEqualTo("./db-function/target/db-function.jar");
        for (String name : new String[] {"session", "db"}) {
            assertThat(DeployFiles.codePath(function(name).path("CodeUri").asText())).as(name).isRegularFile();
        }
        for (String name : FUNCTIONS.keySet()) {
            assertThat(AppFunctionRules.codeProblems(name, function(name).path("CodeUri").asText(),
                    function(name).path("Handler").asText().replaceAll("::.*", ""))).as(name).isEmpty();
        }
    }

    /** An app function's module may build after this one (nothing here depends on it): its jar is checked once built. */
    @Test
    void everyBuiltAppFunctionsHandlerInitializerAndPreStopExistInItsJar() throws Exception {
        for (String app : Descriptors.templateAppFunctions(TEMPLATE)) {
            if (Files.isRegularFile(DeployFiles.codePath(function(app).path("CodeUri").asText()))) {
                assertHandlersInJar(function(app));
            }
        }
    }

    @Test
    void sessionHandlerInitializerAndPreStopExistInItsJarWithFcSignatures() throws Exception {
        assertHandlersInJar(function("session"));
    }

    @Test
    void dbHandlerInitializerAndPreStopExistInItsJarWithFcSignatures() throws Exception {
        assertHandlersInJar(function("db"));
    }

    @Test
    void eachFunctionsJvmStartsWithTheMeasuredOptions() {
        for (String name : FUNCTIONS.keySet()) {
            assertThat(function(name).path("EnvironmentVariables").path("JAVA_TOOL_OPTIONS").asText()).as(name)
                    .isEqualTo(JAVA_TOOL_OPTIONS);
        }
    }

    @Test
    void aJvmStartedWithTheOptionsInItsEnvironmentTakesThemAndRuns() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = Files.createTempFile("jvm-options", ".txt");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-XX:+PrintFlagsFinal", "-version")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
        Process process = pb.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        String output = Files.readString(out);
        Files.delete(out);

        assertThat(process.exitValue()).as(output).isZero();
        // the one line it adds to every function's log (stderr) at start
        assertThat(output).contains("Picked up JAVA_TOOL_OPTIONS: " + JAVA_TOOL_OPTIONS);
        assertThat(output).containsPattern("intx TieredStopAtLevel\\s+= 1\\s");
    }

    @Test
    void sessionFunctionHasAnAnonymousPostHttpTrigger() {
        JsonNode trigger = RESOURCES.path(SERVICE_OF.get("session")).path("session").path("Events").path("http");
        assertThat(trigger.path("Type").asText()).isEqualTo("HTTP");
        assertThat(trigger.path("Properties").path("AuthType").asText()).isEqualTo("ANONYMOUS");
        assertThat(trigger.path("Properties").path("Methods")).hasSize(1);
        assertThat(trigger.path("Properties").path("Methods").get(0).asText()).isEqualTo("POST");
        assertThat(RESOURCES.path(SERVICE_OF.get("db")).path("db").has("Events"))
                .as("the db function is invoked, never triggered").isFalse();
        for (String app : Descriptors.templateAppFunctions(TEMPLATE)) {
            assertThat(hasHttpTrigger(RESOURCES.path(FUNCTIONS.get(app)).path(app))).as(app).isFalse();
        }
    }

    @Test
    void everyTableTheFunctionsUseIsCreatedInTheTemplatesInstance() {
        Set<String> tables = new TreeSet<>();
        List<String> keys = new java.util.ArrayList<>();
        RESOURCES.fields().forEachRemaining(r -> {
            if ("ALIYUN::OTS::Table".equals(r.getValue().path("Type").asText())) {
                keys.add(r.getKey());
            }
        });
        assertThat(keys).contains("SessionTable", "UsersTable", "TodoListTable");
        for (String key : keys) {
            JsonNode table = RESOURCES.path(key);
            assertThat(table.path("Type").asText()).isEqualTo("ALIYUN::OTS::Table");
            assertThat(table.path("DependsOn").asText()).isEqualTo("Tablestore");
            assertThat(table.path("Properties").path("InstanceName").path("Ref").asText()).isEqualTo("TablestoreInstance");
            tables.add(table.path("Properties").path("TableName").asText());
        }
        assertThat(tables).contains(function("session").path("EnvironmentVariables").path("SESSION_TABLE").asText());
        assertThat(tables).containsAll(TablesDeclaration.parse(
                function("db").path("EnvironmentVariables").path("DATA_TABLES").asText()).names());
        for (String app : Descriptors.templateAppFunctions(TEMPLATE)) {
            assertThat(tables).as(app + " APP_TABLES").containsAll(Descriptors.list(
                    function(app).path("EnvironmentVariables").path("APP_TABLES").asText()));
        }
        for (String key : keys) {
            if (key.equals("SessionTable") || key.equals("UsersTable")) {
                continue;
            }
            // the data tables' layout, which the db function and the kit read: uid, then id
            JsonNode pk = RESOURCES.path(key).path("Properties").path("PrimaryKey");
            assertThat(pk).as(key).hasSize(2);
            assertThat(pk.get(0).path("Name").asText()).as(key).isEqualTo("uid");
            assertThat(pk.get(1).path("Name").asText()).as(key).isEqualTo("id");
        }
        assertThat(RESOURCES.path("Tablestore").path("Properties").path("ClusterType").asText()).isIn("HYBRID", "SSD");
    }

    /** The users table (design: pk uid STRING, one version, no TTL), the one name every function's USERS_TABLE holds. */
    @Test
    void theUsersTableIsCreatedWithItsKeyAndEveryFunctionNamesIt() {
        JsonNode table = RESOURCES.path("UsersTable").path("Properties");
        assertThat(RESOURCES.path("UsersTable").path("Type").asText()).isEqualTo("ALIYUN::OTS::Table");
        assertThat(table.path("TableName").asText()).isEqualTo(Descriptors.USERS_TABLE);
        assertThat(table.path("MaxVersions").asInt()).isEqualTo(1);
        assertThat(table.path("TimeToLive").asLong()).isEqualTo(-1);
        assertThat(table.path("PrimaryKey")).hasSize(1);
        assertThat(table.path("PrimaryKey").get(0).path("Name").asText()).isEqualTo("uid");
        assertThat(table.path("PrimaryKey").get(0).path("Type").asText()).isEqualTo("STRING");
        for (String name : FUNCTIONS.keySet()) {
            assertThat(function(name).path("EnvironmentVariables").path("USERS_TABLE").asText()).as(name)
                    .isEqualTo(Descriptors.USERS_TABLE);
        }
        assertThat(RESOURCES.path(SERVICE_OF.get("session")).path("DependsOn").toString()).contains("\"UsersTable\"");
    }

    /** The phone key: a secret Parameter whose empty default turns phone numbers off, the session function's only. */
    @Test
    void theAlipayAesKeyIsANoEchoParameterDefaultingToEmptyGivenOnlyToTheSessionFunction() {
        JsonNode parameter = TEMPLATE.path("Parameters").path("AlipayAesKey");
        assertThat(parameter.path("Type").asText()).isEqualTo("String");
        assertThat(parameter.path("NoEcho").asBoolean()).isTrue();
        assertThat(parameter.path("Default").isTextual()).isTrue();
        assertThat(parameter.path("Default").asText()).isEmpty();
        assertThat(function("session").path("EnvironmentVariables").path("ALIPAY_AES_KEY").path("Ref").asText())
                .isEqualTo("AlipayAesKey");
        for (String name : FUNCTIONS.keySet()) {
            if (!name.equals("session")) {
                assertThat(function(name).path("EnvironmentVariables").has("ALIPAY_AES_KEY")).as(name).isFalse();
            }
        }
    }

    /** deleteAccount needs the declaration and the bucket the db function has. */
    @Test
    void theSessionFunctionHasTheDbFunctionsTablesAndBucket() {
        JsonNode session = function("session").path("EnvironmentVariables");
        JsonNode db = function("db").path("EnvironmentVariables");
        for (String name : List.of("DATA_TABLES", "OSS_ENDPOINT", "OSS_PUBLIC_ENDPOINT", "OSS_BUCKET")) {
            assertThat(RoleRules.resolve(session.path(name))).as(name).isEqualTo(RoleRules.resolve(db.path(name)));
        }
    }

    /**
     * Funcraft 3.6.24 cannot give a function provisioned instances: its function schema has no such property and its
     * bundled ROS schemas no ALIYUN::FC::ProvisionConfig (ROS's own type needs a service alias, the template's
     * clients call LATEST: docs/deploy.md, "Provisioned instances"); so template.yml has no such Parameter.
     */
    @Test
    void funcraftHasNoProvisionedInstancesSoTheTemplateOffersNone() throws Exception {
        Path fun = DeployFiles.root().resolve("deploy/node_modules/@alicloud/fun/lib");
        assertThat(Files.readString(fun.resolve("validate/schema/function.js"))).containsIgnoringCase("InstanceConcurrency")
                .doesNotContainIgnoringCase("provision");
        try (var schemas = Files.list(fun.resolve("language-service/schema/ros"))) {
            assertThat(schemas.map(p -> p.getFileName().toString())).contains("ALIYUN-FC-Function.json")
                    .noneMatch(n -> n.startsWith("ALIYUN-FC-") && n.contains("Provision"));
        }
        assertThat(Files.readString(DeployFiles.root().resolve("template.yml"))).doesNotContain("ProvisionConfig")
                .doesNotContain("ProvisionedInstances:");
    }

    static JsonNode function(String name) {
        JsonNode f = RESOURCES.path(FUNCTIONS.get(name)).path(name);
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
            String preStop = props.path("InstanceLifecycleConfig").path("PreStop").path("Handler").asText();
            assertThat(DeployFiles.preStopMethod(loader, preStop)).as(preStop + " in " + jar.getFileName()).isPresent();
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
        // read by the JVM at its start, not by the config
        names.add("JAVA_TOOL_OPTIONS");
        return names;
    }
}
