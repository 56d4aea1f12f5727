package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.config.DbConfig;
import com.fcminiapp.common.config.SessionConfig;
import com.fcminiapp.localcloud.LocalCloud;
import com.fcminiapp.localcloud.Options;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code fun local} against local-cloud, without Docker: Funcraft's own code (deploy/scripts/fun-local-env.js
 * requires fun's lib/tpl.js, lib/definition.js and lib/docker.js) builds each function's container environment and
 * command line from template.yml merged with the override local-cloud writes ({@code --fun-local}); each function's
 * configuration type accepts that environment (an app function's has the function kit's variables), the handler and
 * initializer in the command line exist in the jar, every file in events/ is answered without an error by the
 * function's jar running with that environment and fun's profile key as its execution credentials, as fun's
 * container would run it, and local-cloud wrote a sample event for every function of the template.
 */
class FunLocalIT {

    private static final String SESSION = "fc-miniapp-session/session";
    private static final String DB = "fc-miniapp/db";

    @TempDir
    static Path data;
    @TempDir
    static Path funDir;

    private static LocalCloud cloud;
    private static JsonNode containers;
    /** Every function of the template as fun names it, service/function. */
    private static final List<String> FUNCTIONS = new ArrayList<>();

    @BeforeAll
    static void startLocalCloudAndAskFun() throws Exception {
        Options options = Options.parse("--port", "0", "--data", data.toString(),
                "--template", DeployFiles.root().resolve("template.yml").toString(),
                "--fun-local", funDir.toString(), "--fun-local-host", "127.0.0.1");
        cloud = LocalCloud.start(options, null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        Descriptors.templateFunctions(DeployFiles.yaml("template.yml")).forEach((f, s) -> FUNCTIONS.add(s + "/" + f));
        List<String> args = new ArrayList<>(List.of("-t", DeployFiles.root().resolve("template.yml").toString(),
                "-t", funDir.resolve("template.override.yml").toString()));
        args.addAll(FUNCTIONS);
        containers = fun(funDir, args.toArray(new String[0]));
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    private static boolean isApp(String function) {
        return !function.equals(SESSION) && !function.equals(DB);
    }

    /** Whether the function's jar is built (an app function's module may build after this one). */
    private static boolean built(JsonNode container) {
        return Files.isRegularFile(Path.of(container.path("codeUri").asText()));
    }

    /** Runs fun-local-env.js in {@code dir} (where fun reads its .env profile) and parses what it prints. */
    static JsonNode fun(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("node",
                DeployFiles.root().resolve("deploy/scripts/fun-local-env.js").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("fun-local", ".json");
        Path err = Files.createTempFile("fun-local", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("HOME", Files.createTempDirectory("fun-home").toString());
        // fun's schema knows no ALIYUN::OTS::SearchIndex (docs/deploy.md, section 10): its own switch skips the check,
        // as docs/deploy.md tells `fun local` users to do with this template
        pb.environment().put("IGNORE_TPL_VALIDATION", "1");
        Process process = pb.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("fun-local-env.js did not finish within 120 s");
        }
        String stdout = Files.readString(out);
        assertThat(process.exitValue()).as(stdout + Files.readString(err)).isZero();
        return DeployFiles.JSON.readTree(stdout.substring(stdout.indexOf('{')));
    }

    private static Map<String, String> env(String function) {
        return env(containers.path(function));
    }

    /** The environment fun hands a container ({@code containers.path("service/function")}). */
    static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        container.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    @Test
    void theSessionFunctionsConfigAcceptsTheEnvironmentFunBuilds() {
        Map<String, String> env = env(SESSION);
        assertThat(env.values()).noneMatch(v -> v.contains("[object Object]"));
        assertThat(env).containsEntry("FC_SERVICE_LOG_PROJECT", "fc-miniapp-local-log")
                .containsEntry("FC_SERVICE_NAME", "fc-miniapp-session");
        SessionConfig config = SessionConfig.from(env);
        assertThat(config.tablestore().endpoint()).startsWith("http://127.0.0.1:");
        assertThat(config.accountId()).isEqualTo(LocalCloud.ACCOUNT_ID);
        assertThat(config.dbServiceName()).contains("fc-miniapp");
    }

    @Test
    void theDbFunctionsConfigAcceptsTheEnvironmentFunBuilds() {
        Map<String, String> env = env(DB);
        assertThat(env.values()).noneMatch(v -> v.contains("[object Object]"));
        DbConfig config = DbConfig.from(env);
        assertThat(config.ossEndpoint()).startsWith("http://127.0.0.1:");
        assertThat(config.ossBucket()).isEqualTo("fc-miniapp-files");
    }

    /** The JVM reads its options from the container's environment, which fun builds from EnvironmentVariables. */
    @Test
    void funHandsEachFunctionsContainerTheTemplatesJvmOptions() {
        assertThat(FUNCTIONS).contains(SESSION, DB);
        for (String function : FUNCTIONS) {
            assertThat(env(function)).as(function).containsEntry("JAVA_TOOL_OPTIONS", TemplateYmlIT.JAVA_TOOL_OPTIONS);
        }
    }

    @Test
    void everyAppFunctionGetsTheKitsVariablesWithLocalEndpoints() {
        for (String function : FUNCTIONS) {
            if (isApp(function)) {
                assertThat(appEnvironmentProblems(function, env(function))).isEmpty();
            }
        }
    }

    /** Why fun's environment for an app function is not one the kit starts with against local-cloud. */
    static List<String> appEnvironmentProblems(String function, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        for (String name : AppFunctionRules.KIT_VARIABLES) {
            if (!env.containsKey(name)) {
                problems.add(function + " lacks " + name);
            }
        }
        env.forEach((k, v) -> {
            if (v.contains("[object Object]")) {
                problems.add(function + ": " + k + " is [object Object]");
            }
        });
        if (!String.valueOf(env.get("TABLESTORE_ENDPOINT")).startsWith("http://127.0.0.1:")) {
            problems.add(function + ": TABLESTORE_ENDPOINT is not local-cloud's");
        }
        return problems;
    }

    @Test
    void localCloudWroteASampleEventForEveryFunction() throws Exception {
        for (String function : FUNCTIONS) {
            String name = function.substring(function.indexOf('/') + 1);
            JsonNode event = DeployFiles.JSON.readTree(funDir.resolve("events").resolve(name + ".json").toFile());
            assertThat(event.isObject()).as(function).isTrue();
            if (isApp(function)) {
                assertThat(event.path("sid").asText()).as(function).isEqualTo("SESSION_ID");
                assertThat(event.has("input")).as(function).isTrue();
            }
        }
    }

    @Test
    void onTheBareTemplateFunHandsTheFunctionsObjectsTheirConfigRefuses() throws Exception {
        JsonNode bare = fun(funDir, "-t", DeployFiles.root().resolve("template.yml").toString(), SESSION);
        Map<String, String> env = new HashMap<>();
        bare.path(SESSION).path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));

        assertThat(env).containsEntry("ALIPAY_APP_ID", "[object Object]").containsEntry("TABLESTORE_ENDPOINT", "[object Object]");
        assertThatThrownBy(() -> SessionConfig.from(env)).hasMessageContainingAll("ALIPAY_APP_ID", "TABLESTORE_ENDPOINT")
                .hasMessageNotContaining("[object Object]");
    }

    @Test
    void theHandlerAndInitializerInFunsCommandLineExistInEachJar() throws Exception {
        for (String function : FUNCTIONS) {
            JsonNode c = containers.path(function);
            if (isApp(function) && !built(c)) {
                // an app function's module may build after this one; TemplateYmlIT checks its sources meanwhile
                continue;
            }
            try (URLClassLoader loader = DeployFiles.isolatedLoader(Path.of(c.path("codeUri").asText()))) {
                assertThat(DeployFiles.fcMethod(loader, arg(c, "-h"), false)).as(function + " handler").isPresent();
                assertThat(DeployFiles.fcMethod(loader, arg(c, "-i"), true)).as(function + " initializer").isPresent();
            }
        }
    }

    @Test
    void everySampleEventIsAnsweredWithoutAnErrorByItsFunction() throws Exception {
        List<String> logLines = new ArrayList<>();
        Running session = new Running(containers.path(SESSION), arg(containers.path(SESSION), "-h"), logLines);
        Running db = new Running(containers.path(DB), arg(containers.path(DB), "-h"), logLines);
        // the FC 3.0 HTTP events go to s.yaml's handler, in the same jar with the same environment
        Running sessionFc3 = new Running(containers.path(SESSION),
                "com.fcminiapp.session.SessionHttpEventHandler::handleRequest", logLines);

        JsonNode login = session.send(event("session-login.json", null));
        assertThat(login.path("error").isMissingNode()).as("login %s", login).isTrue();
        String sid = login.path("sessionId").asText();
        JsonNode httpLogin = sessionFc3.send(event("http/session-login.json", null));
        assertThat(httpLogin.path("statusCode").asInt()).as("http login %s", httpLogin).isEqualTo(200);

        for (String op : List.of("put", "get", "list", "update", "uploadPolicy")) {
            JsonNode answer = db.send(event("db-" + op + ".json", sid));
            assertThat(answer.has("data")).as("%s %s", op, answer).isTrue();
        }
        JsonNode form = db.send(event("db-uploadPolicy.json", sid)).path("data");
        uploadThrough(form);
        for (String op : List.of("downloadUrl", "downloadUrls", "listFiles", "removeFile", "remove")) {
            JsonNode answer = db.send(event("db-" + op + ".json", sid));
            assertThat(answer.has("data")).as("%s %s", op, answer).isTrue();
        }
        for (String function : FUNCTIONS) {
            JsonNode c = containers.path(function);
            if (isApp(function) && built(c)) {
                String sample = Files.readString(funDir.resolve("events").resolve(function.substring(
                        function.indexOf('/') + 1) + ".json")).replace("SESSION_ID", sid);
                assertThat(appAnswerProblems(function, new Running(c, arg(c, "-h"), logLines).send(sample))).isEmpty();
            }
        }
        assertThat(sessionFc3.send(event("http/session-refresh.json", sid)).path("statusCode").asInt()).isEqualTo(200);
        assertThat(session.send(event("session-refresh.json", sid)).path("sts").path("AccessKeyId").asText()).isNotBlank();
        assertThat(sessionFc3.send(event("http/session-logout.json", sid)).path("statusCode").asInt()).isEqualTo(200);
        assertThat(session.send(event("session-logout.json", sid)).path("loggedOut").asBoolean()).isTrue();

        assertThat(eventFiles()).as("every file in events/ was sent").containsExactlyInAnyOrderElementsOf(SENT);
        synchronized (logLines) {
            assertThat(String.join("\n", logLines)).doesNotContain(sid).doesNotContain("\tat ");
        }
    }

    /**
     * Why an app function's answer to its sample event shows it did not run the team's code: not the kit's answer,
     * the session refused, or a failure of the function or its upstreams (the input may be one its code refuses).
     */
    static List<String> appAnswerProblems(String function, JsonNode answer) {
        String code = answer.path("error").path("code").asText(null);
        if (!answer.has("data") && code == null) {
            return List.of(function + " answered " + answer + ", neither {data} nor {error}");
        }
        if (code != null && List.of("UNAUTHENTICATED", "INTERNAL", "UPSTREAM_UNAVAILABLE").contains(code)) {
            return List.of(function + " answered " + code);
        }
        return List.of();
    }

    private static final List<String> SENT = new ArrayList<>();

    /** An events/ file, with SESSION_ID replaced by {@code sid}. */
    private static String event(String name, String sid) throws Exception {
        if (!SENT.contains(name)) {
            SENT.add(name);
        }
        String text = Files.readString(DeployFiles.root().resolve("events").resolve(name));
        return sid == null ? text : text.replace("SESSION_ID", sid);
    }

    private static List<String> eventFiles() throws Exception {
        Path events = DeployFiles.root().resolve("events");
        try (Stream<Path> files = Files.walk(events)) {
            return files.filter(p -> p.toString().endsWith(".json")).map(p -> events.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toList());
        }
    }

    /** Stores a file under the upload form's key, with the account owner's key (the form itself is a client's). */
    private static void uploadThrough(JsonNode form) {
        JsonNode ready = cloud.readyInfo();
        com.aliyun.oss.OSS owner = new com.aliyun.oss.OSSClientBuilder().build(ready.path("standIns").path("oss").asText(),
                ready.path("accessKeyId").asText(), ready.path("accessKeySecret").asText());
        try {
            owner.putObject("fc-miniapp-files", form.path("fields").path("key").asText(),
                    new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)));
        } finally {
            owner.shutdown();
        }
    }

    private static String arg(JsonNode container, String flag) {
        JsonNode cmd = container.path("cmd");
        for (int i = 0; i + 1 < cmd.size(); i++) {
            if (cmd.get(i).asText().equals(flag)) {
                return cmd.get(i + 1).asText();
            }
        }
        throw new AssertionError("no " + flag + " in fun's command line " + cmd);
    }

    /** One function's jar, initialized with fun's environment and fun's profile key, as its container runs it. */
    static final class Running {
        private final ClassLoader loader;
        private final Object handler;
        private final Object context;

        /** @param c what fun hands the function's container ({@link #fun}'s answer for it) */
        Running(JsonNode c, String handlerRef, List<String> logLines) throws Exception {
            Map<String, String> env = env(c);
            // not closed: the SDK clients keep idle-connection threads that load classes until the JVM ends
            loader = DeployFiles.isolatedLoader(Path.of(c.path("codeUri").asText()));
            handler = loader.loadClass(handlerRef.substring(0, handlerRef.indexOf("::"))).getConstructor(Map.class)
                    .newInstance(env);
            context = JarFunctions.context(loader, env.get("FC_ACCESS_KEY_ID"), env.get("FC_ACCESS_KEY_SECRET"),
                    env.get("FC_SECURITY_TOKEN"), logLines);
            JarFunctions.initialize(loader, handler, context);
        }

        JsonNode send(String event) throws Exception {
            return JarFunctions.invoke(loader, handler, context, event);
        }
    }
}
