package com.fcminiapp.localcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fcminiapp.localcloud.runtime.TestFunctionJar;
import com.fcminiapp.localcloud.testing.Fc2Signing;
import com.fcminiapp.localcloud.testing.RawHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A template with a service per function (template.yml's layout): local-cloud serves each function under its own
 * service, READY's serviceName is the db function's service and sessionUrl the session's, and a function is found
 * only under its own service. The functions are echo functions ({@code env:NAME} answers their variable NAME).
 */
class LocalCloudServicesTest {

    private static final String TEMPLATE = String.join("\n",
            "ROSTemplateFormatVersion: '2015-09-01'",
            "Transform: 'Aliyun::Serverless-2018-04-03'",
            "Resources:",
            "  front:",
            "    Type: 'Aliyun::Serverless::Service'",
            "    session:",
            "      Type: 'Aliyun::Serverless::Function'",
            "      Properties:",
            "        Runtime: java11",
            "        CodeUri: echo.jar",
            "        Handler: demo.Echo::handleRequest",
            "        EnvironmentVariables: {DB_FUNCTION_NAME: db}",
            "      Events:",
            "        http: {Type: HTTP, Properties: {AuthType: ANONYMOUS, Methods: ['POST']}}",
            "  back:",
            "    Type: 'Aliyun::Serverless::Service'",
            "    db:",
            "      Type: 'Aliyun::Serverless::Function'",
            "      Properties: {Runtime: java11, CodeUri: echo.jar, Handler: demo.Echo::handleRequest}");

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeTemplate() throws IOException {
        TestFunctionJar.build(dir);
        Files.writeString(dir.resolve("template.yml"), TEMPLATE, StandardCharsets.UTF_8);
    }

    private static LocalCloud start() throws Exception {
        Options options = Options.parse("--port", "0", "--data", dir.resolve("data").toString(),
                "--template", dir.resolve("template.yml").toString());
        return LocalCloud.start(options, null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static RawHttp.Response invoke(JsonNode ready, String service, String function, String event)
            throws IOException {
        String path = "/2016-08-15/services/" + service + "/functions/" + function + "/invocations";
        byte[] body = event.getBytes(StandardCharsets.UTF_8);
        return RawHttp.send("POST", ready.path("endpoint").asText() + path, Fc2Signing.invokeHeaders(path, body,
                LocalCloud.ACCOUNT_ID, ready.path("accessKeyId").asText(), ready.path("accessKeySecret").asText(), null,
                Instant.now()), body);
    }

    @Test
    void readyNamesTheDbFunctionsServiceAndTheSessionsTriggerInItsOwnService() throws Exception {
        try (LocalCloud cloud = start()) {
            JsonNode ready = cloud.readyInfo();

            assertThat(ready.path("serviceName").asText()).isEqualTo("back");
            assertThat(ready.path("dbFunctionName").asText()).isEqualTo("db");
            assertThat(ready.path("sessionServiceName").asText()).isEqualTo("front");
            assertThat(ready.path("sessionUrl").asText()).isEqualTo(cloud.endpoint() + "/2016-08-15/proxy/front/session/");
            assertThat(cloud.summary()).contains("'front', 'back'").contains("invokeFunction('back', 'db'");
        }
    }

    @Test
    void eachFunctionIsServedOnlyUnderItsOwnServiceAndKnowsTheDbService() throws Exception {
        try (LocalCloud cloud = start()) {
            JsonNode ready = cloud.readyInfo();

            RawHttp.Response db = invoke(ready, "back", "db", "env:DB_SERVICE_NAME");
            assertThat(db.status).as(db.body).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(db.body).path("value").asText()).isEqualTo("back");
            RawHttp.Response session = invoke(ready, "front", "session", "env:DB_SERVICE_NAME");
            assertThat(new ObjectMapper().readTree(session.body).path("value").asText()).isEqualTo("back");

            RawHttp.Response wrongService = invoke(ready, "front", "db", "env:X");
            assertThat(wrongService.status).isEqualTo(404);
            assertThat(wrongService.body).contains("FunctionNotFound").contains("'front'");
            assertThat(invoke(ready, "nowhere", "db", "env:X").body).contains("ServiceNotFound");
        }
    }

    @Test
    void theHttpTriggerIsReachedUnderTheSessionsService() throws Exception {
        try (LocalCloud cloud = start()) {
            String url = cloud.readyInfo().path("sessionUrl").asText();
            RawHttp.Response answer = RawHttp.send("POST", url, Map.of("Content-Type", "application/json"),
                    "env:DB_FUNCTION_NAME".getBytes(StandardCharsets.UTF_8));
            assertThat(answer.status).as(answer.body).isEqualTo(200);
            assertThat(answer.body).contains("\"value\":\"db\"");
            RawHttp.Response elsewhere = RawHttp.send("POST", url.replace("/front/", "/back/"),
                    Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8));
            assertThat(elsewhere.status).isEqualTo(404);
        }
    }
}
