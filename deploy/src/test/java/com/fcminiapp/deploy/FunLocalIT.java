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
 * configuration type accepts that environment, the handler and initializer in the command line exist in the jar, and
 * every file in events/ is answered without an error by the function's jar running with that environment and fun's
 * profile key as its execution credentials, as fun's container would run it.
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

    @BeforeAll
    static void startLocalCloudAndAskFun() throws Exception {
        Options options = Options.parse("--port", "0", "--data", data.toString(),
                "--template", DeployFiles.root().resolve("template.yml").toString(),
                "--fun-local", funDir.toString(), "--fun-local-host", "127.0.0.1");
        cloud = LocalCloud.start(options, null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        containers = fun(funDir, "-t", DeployFiles.root().resolve("template.yml").toString(),
                "-t", funDir.resolve("template.override.yml").toString(), SESSION, DB);
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    /** Runs fun-local-env.js in {@code dir} (where fun reads its .env profile) and parses what it prints. */
    private static JsonNode fun(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("node",
                DeployFiles.root().resolve("deploy/scripts/fun-local-env.js").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("fun-local", ".json");
        Path err = Files.createTempFile("fun-local", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("HOME", Files.createTempDirectory("fun-home").toString());
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
        Map<String, String> env = new HashMap<>();
        containers.path(function).path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
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
        assertThat(env(SESSION)).containsEntry("JAVA_TOOL_OPTIONS", TemplateYmlIT.JAVA_TOOL_OPTIONS);
        assertThat(env(DB)).containsEntry("JAVA_TOOL_OPTIONS", TemplateYmlIT.JAVA_TOOL_OPTIONS);
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
        for (String function : List.of(SESSION, DB)) {
            JsonNode c = containers.path(function);
            try (URLClassLoader loader = DeployFiles.isolatedLoader(Path.of(c.path("codeUri").asText()))) {
                assertThat(DeployFiles.fcMethod(loader, arg(c, "-h"), false)).as(function + " handler").isPresent();
                assertThat(DeployFiles.fcMethod(loader, arg(c, "-i"), true)).as(function + " initializer").isPresent();
            }
        }
    }

    @Test
    void everySampleEventIsAnsweredWithoutAnErrorByItsFunction() throws Exception {
        List<String> logLines = new ArrayList<>();
        Running session = new Running(SESSION, arg(containers.path(SESSION), "-h"), logLines);
        Running db = new Running(DB, arg(containers.path(DB), "-h"), logLines);
        // the FC 3.0 HTTP events go to s.yaml's handler, in the same jar with the same environment
        Running sessionFc3 = new Running(SESSION, "com.fcminiapp.session.SessionHttpEventHandler::handleRequest", logLines);

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
        assertThat(sessionFc3.send(event("http/session-refresh.json", sid)).path("statusCode").asInt()).isEqualTo(200);
        assertThat(session.send(event("session-refresh.json", sid)).path("sts").path("AccessKeyId").asText()).isNotBlank();
        assertThat(sessionFc3.send(event("http/session-logout.json", sid)).path("statusCode").asInt()).isEqualTo(200);
        assertThat(session.send(event("session-logout.json", sid)).path("loggedOut").asBoolean()).isTrue();

        assertThat(eventFiles()).as("every file in events/ was sent").containsExactlyInAnyOrderElementsOf(SENT);
        synchronized (logLines) {
            assertThat(String.join("\n", logLines)).doesNotContain(sid).doesNotContain("\tat ");
        }
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
    private static final class Running {
        private final ClassLoader loader;
        private final Object handler;
        private final Object context;

        Running(String function, String handlerRef, List<String> logLines) throws Exception {
            JsonNode c = containers.path(function);
            Map<String, String> env = env(function);
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
