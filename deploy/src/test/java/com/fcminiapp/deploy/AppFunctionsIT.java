package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.localcloud.LocalCloud;
import com.fcminiapp.localcloud.Options;
import com.fcminiapp.localcloud.testing.Acs3Signing;
import com.fcminiapp.localcloud.testing.Fc2Signing;
import com.fcminiapp.localcloud.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two app functions added to the repository's template.yml at its marker lines, as scripts/new-function.sh adds
 * them — {@code probe}, made callable, and {@code hidden}, not — served by local-cloud with the real session and
 * function jars (the fixtures run the db function's jar): a login's STS key, which the session function narrows to
 * its CALLABLE_FUNCTIONS and the template's InvokeRole holds, reaches probe and is refused hidden with FC's own
 * AccessDenied on the 2016-08-15 and the 2023-03-30 path; READY names both with their services; {@code fun local}
 * gets probe's environment and sample event from local-cloud and runs it.
 */
class AppFunctionsIT {

    private static final AppFunctionFixture PROBE = new AppFunctionFixture("probe", List.of("probe_rows"), true, true);
    private static final AppFunctionFixture HIDDEN = new AppFunctionFixture("hidden", List.of(), false, false);

    @TempDir
    static Path dir;
    private static LocalCloud cloud;
    private static JsonNode ready;
    private static JsonNode login;

    @BeforeAll
    static void start() throws Exception {
        String template = HIDDEN.addTo(PROBE.addTo(Files.readString(DeployFiles.root().resolve("template.yml"))))
                .replace("CodeUri: ./", "CodeUri: " + DeployFiles.root() + "/");
        Files.writeString(dir.resolve("template.yml"), template);
        cloud = LocalCloud.start(Options.parse("--port", "0", "--data", dir.resolve("data").toString(), "--template",
                dir.resolve("template.yml").toString(), "--fun-local", dir.resolve("fun").toString(),
                "--fun-local-host", "127.0.0.1"), null,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        ready = cloud.readyInfo();
        login = SeedClients.login(cloud, "alice");
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    private static byte[] event() {
        return ("{\"sid\":\"" + login.path("sessionId").asText() + "\",\"input\":{\"n\":1}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static RawHttp.Response fc2(String service, String function) throws IOException {
        String path = "/2016-08-15/services/" + service + "/functions/" + function + "/invocations";
        JsonNode sts = login.path("sts");
        return RawHttp.send("POST", ready.path("endpoint").asText() + path, Fc2Signing.invokeHeaders(path, event(),
                LocalCloud.ACCOUNT_ID, sts.path("AccessKeyId").asText(), sts.path("AccessKeySecret").asText(),
                sts.path("SecurityToken").asText(), Instant.now()), event());
    }

    private static RawHttp.Response fc3(String function) throws IOException {
        String path = "/2023-03-30/functions/" + function + "/invocations";
        JsonNode sts = login.path("sts");
        URI endpoint = URI.create(ready.path("endpoint").asText());
        Map<String, String> headers = new TreeMap<>(Acs3Signing.invokeHeaders(endpoint.getAuthority(), path, event(),
                sts.path("AccessKeyId").asText(), sts.path("AccessKeySecret").asText(),
                sts.path("SecurityToken").asText(), Instant.now()));
        headers.remove("host");
        return RawHttp.send("POST", endpoint + path, headers, event());
    }

    /** The function ran with the session accepted (its code may still refuse the input). */
    private static void assertRan(RawHttp.Response answer) throws IOException {
        assertThat(answer.status).as(answer.body).isEqualTo(200);
        assertThat(FunLocalIT.appAnswerProblems("probe", DeployFiles.JSON.readTree(answer.body))).isEmpty();
    }

    private static void assertAccessDenied(RawHttp.Response answer, String codeField) throws IOException {
        assertThat(answer.status).as(answer.body).isEqualTo(403);
        assertThat(DeployFiles.JSON.readTree(answer.body).path(codeField).asText()).isEqualTo("AccessDenied");
    }

    @Test
    void aLoginsKeyInvokesTheCallableAppFunctionAndIsRefusedTheOtherOnTheFc2Path() throws Exception {
        assertRan(fc2("fc-miniapp-probe", "probe"));
        assertAccessDenied(fc2("fc-miniapp-hidden", "hidden"), "ErrorCode");
    }

    @Test
    void aLoginsKeyInvokesTheCallableAppFunctionAndIsRefusedTheOtherOnTheFc3Path() throws Exception {
        assertRan(fc3("probe"));
        assertAccessDenied(fc3("hidden"), "Code");
    }

    @Test
    void theSessionFunctionNarrowsTheKeyToItsCallableFunctions() {
        String policy = ((com.fcminiapp.localcloud.standin.sts.StsStandIn) cloud.standIns().get("sts"))
                .assumeRoleRequests().get(0).policy();
        String fc = "acs:fc:" + LocalCloud.REGION + ":" + LocalCloud.ACCOUNT_ID + ":";

        // the repository's own callable app functions (scripts/new-function.sh's) come between db and probe
        assertThat(policy).startsWith("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + "[\"fc:InvokeFunction\"],\"Resource\":[\"" + fc + "services/fc-miniapp/functions/db\",\"" + fc
                + "functions/db\",").endsWith(",\"" + fc + "services/fc-miniapp-probe/functions/probe\",\"" + fc
                + "functions/probe\"]}]}").doesNotContain("hidden");
    }

    @Test
    void readyNamesEveryFunctionWithItsService() {
        // the repository's own app functions (scripts/new-function.sh's) come between db and the fixture's
        assertThat(ready.path("functions")).extracting(JsonNode::asText)
                .startsWith("session", "db").endsWith("probe", "hidden").doesNotHaveDuplicates();
        assertThat(ready.path("services").path("probe").asText()).isEqualTo("fc-miniapp-probe");
        assertThat(ready.path("services").path("hidden").asText()).isEqualTo("fc-miniapp-hidden");
        assertThat(ready.path("functionStatus").path("probe").asText()).isEqualTo("ready");
        assertThat(cloud.summary()).contains("app function 'probe' (service 'fc-miniapp-probe')")
                .contains("users' keys may call it").contains("users' keys may NOT call it");
    }

    @Test
    void funLocalRunsTheAppFunctionWithLocalCloudsEnvironmentAndSampleEvent() throws Exception {
        Path fun = dir.resolve("fun");
        JsonNode containers = FunLocalIT.fun(fun, "-t", dir.resolve("template.yml").toString(),
                "-t", fun.resolve("template.override.yml").toString(), "fc-miniapp-probe/probe");
        JsonNode probe = containers.path("fc-miniapp-probe/probe");

        assertThat(FunLocalIT.appEnvironmentProblems("probe", FunLocalIT.env(probe))).isEmpty();
        String sample = Files.readString(fun.resolve("events/probe.json"));
        assertThat(sample).isEqualTo("{\"sid\": \"SESSION_ID\", \"input\": {}}\n");
        List<String> logLines = new ArrayList<>();
        JsonNode answer = new FunLocalIT.Running(probe, AppFunctionFixture.HANDLER_CLASS + "::handleRequest", logLines)
                .send(sample.replace("SESSION_ID", login.path("sessionId").asText()));
        assertThat(FunLocalIT.appAnswerProblems("probe", answer)).isEmpty();
    }
}
