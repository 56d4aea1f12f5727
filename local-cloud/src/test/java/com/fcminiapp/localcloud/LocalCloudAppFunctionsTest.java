package com.fcminiapp.localcloud;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.TableStoreException;
import com.alicloud.openservices.tablestore.ClientConfiguration;
import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.NoRetryStrategy;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.auth.BasicCredentials;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import com.aliyuncs.sts.model.v20150401.AssumeRoleRequest;
import com.aliyuncs.sts.model.v20150401.AssumeRoleResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fcminiapp.localcloud.runtime.TestFunctionJar;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A template with two app functions beside session and db, each in its own service with its own role: {@code checkin}
 * (in the session function's CALLABLE_FUNCTIONS and the template's InvokeRole) and {@code secret} (in
 * CALLABLE_FUNCTIONS only).
 * A user's STS key (the invoke role, narrowed by the session function's inline policy) invokes db and checkin and is
 * refused secret with FC's own AccessDenied, on the 2016-08-15 and the 2023-03-30 path, even when its inline policy
 * names secret: the invoke role is read from the template, as the cloud grants it. A function's role reaches its own
 * table and no other function's (the Tablestore stand-in refuses its key). The functions are the echo fixture.
 */
class LocalCloudAppFunctionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FC = "acs:fc:" + LocalCloud.REGION + ":" + LocalCloud.ACCOUNT_ID + ":";
    private static final String ECHO = "{Runtime: java11, CodeUri: echo.jar, Handler: demo.Echo::handleRequest,"
            + " EnvironmentVariables: {TABLESTORE_INSTANCE: fcminiapp}}";
    private static final String OTS = "acs:ots:${ALIYUN::Region}:${ALIYUN::AccountId}:instance/fcminiapp/table/";

    static final String TEMPLATE = String.join("\n",
            "ROSTemplateFormatVersion: '2015-09-01'",
            "Transform: 'Aliyun::Serverless-2018-04-03'",
            "Resources:",
            table("SessionTable", "session", "id"),
            table("TodoTable", "todo_list", "uid", "id"),
            table("CheckinTable", "checkins", "uid", "id"),
            "  InvokeRole:",
            "    Type: 'ALIYUN::RAM::Role'",
            "    Properties:",
            "      RoleName: fc-miniapp-invoke",
            "      Policies:",
            "        - PolicyName: invoke",
            "          PolicyDocument:",
            "            Version: '1'",
            "            Statement:",
            "              - Effect: Allow",
            "                Action: ['fc:InvokeFunction']",
            "                Resource:",
            "                  - Fn::Sub: 'acs:fc:${ALIYUN::Region}:${ALIYUN::AccountId}:services/fc-miniapp/functions/db'",
            "                  - Fn::Sub: 'acs:fc:${ALIYUN::Region}:${ALIYUN::AccountId}:functions/db'",
            "                  - Fn::Sub: 'acs:fc:${ALIYUN::Region}:${ALIYUN::AccountId}:services/fc-miniapp-checkin/functions/checkin'",
            "                  - Fn::Sub: 'acs:fc:${ALIYUN::Region}:${ALIYUN::AccountId}:functions/checkin'",
            "  fc-miniapp-session:",
            "    Type: 'Aliyun::Serverless::Service'",
            "    session:",
            "      Type: 'Aliyun::Serverless::Function'",
            "      Properties:",
            "        Runtime: java11",
            "        CodeUri: echo.jar",
            "        Handler: demo.Echo::handleRequest",
            "        EnvironmentVariables:",
            "          DB_FUNCTION_NAME: db",
            // secret too: the template's InvokeRole, which leaves it out, still refuses it
            "          CALLABLE_FUNCTIONS: 'fc-miniapp-checkin/checkin,fc-miniapp-secret/secret'",
            "          STS_ROLE_ARN:",
            "            Fn::Sub: 'acs:ram::${ALIYUN::AccountId}:role/fc-miniapp-invoke'",
            "      Events:",
            "        http: {Type: HTTP, Properties: {AuthType: ANONYMOUS, Methods: ['POST']}}",
            service("fc-miniapp", "db", "todo_list"),
            service("fc-miniapp-checkin", "checkin", "checkins"),
            service("fc-miniapp-secret", "secret", null));

    /** Reads the session table; with {@code table}, reads and writes that table too. */
    private static String service(String name, String function, String table) {
        return String.join("\n",
                "  " + name + ":",
                "    Type: 'Aliyun::Serverless::Service'",
                "    Properties:",
                "      Policies:",
                "        - Version: '1'",
                "          Statement:",
                "            - {Effect: Allow, Action: ['ots:GetRow'], Resource: {'Fn::Sub': '" + OTS + "session'}}",
                table == null ? "" : "            - {Effect: Allow, Action: ['ots:GetRow', 'ots:PutRow'],"
                        + " Resource: {'Fn::Sub': '" + OTS + table + "'}}",
                "    " + function + ":",
                "      Type: 'Aliyun::Serverless::Function'",
                "      Properties: " + ECHO);
    }

    private static String table(String key, String name, String... keys) {
        StringBuilder pk = new StringBuilder();
        for (String k : keys) {
            pk.append(pk.length() == 0 ? "" : ", ").append("{Name: ").append(k).append(", Type: STRING}");
        }
        return "  " + key + ":\n    Type: 'ALIYUN::OTS::Table'\n    Properties: {InstanceName: fcminiapp, TableName: "
                + name + ", PrimaryKey: [" + pk + "]}";
    }

    /** The session function's inline policy for CALLABLE_FUNCTIONS = fc-miniapp-checkin/checkin. */
    private static final String SESSION_POLICY = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"fc:InvokeFunction\"],\"Resource\":[\"" + FC + "services/fc-miniapp/functions/db\",\""
            + FC + "functions/db\",\"" + FC + "services/fc-miniapp-checkin/functions/checkin\",\""
            + FC + "functions/checkin\"]}]}";
    /** An inline policy that names every function: only the invoke role can still refuse one. */
    private static final String EVERY_FUNCTION = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"fc:InvokeFunction\"],\"Resource\":[\"" + FC + "services/*\",\"" + FC + "functions/*\"]}]}";

    @TempDir
    static Path dir;
    private static LocalCloud cloud;
    private static JsonNode ready;
    private static final ByteArrayOutputStream CONSOLE = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        TestFunctionJar.build(dir);
        cloud = startOn(TEMPLATE, "data", "--fun-local", dir.resolve("fun").toString());
        ready = cloud.readyInfo();
    }

    private static LocalCloud startOn(String template, String data, String... more) throws Exception {
        Path file = dir.resolve(data + ".yml");
        Files.writeString(file, template, StandardCharsets.UTF_8);
        List<String> args = new java.util.ArrayList<>(List.of("--port", "0", "--data", dir.resolve(data).toString(),
                "--template", file.toString()));
        args.addAll(List.of(more));
        return LocalCloud.start(Options.parse(args.toArray(new String[0])), null,
                new PrintStream(CONSOLE, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    /** A key of the invoke role issued by the STS stand-in with {@code policy}, as the session function asks for one. */
    private static AssumeRoleResponse.Credentials userKey(JsonNode ready, String policy) throws Exception {
        AssumeRoleRequest request = new AssumeRoleRequest();
        request.setSysEndpoint(URI.create(ready.path("standIns").path("sts").asText()).getAuthority());
        request.setSysProtocol(ProtocolType.HTTP);
        request.setRoleArn("acs:ram::" + LocalCloud.ACCOUNT_ID + ":role/fc-miniapp-invoke");
        request.setRoleSessionName("u-alice");
        request.setDurationSeconds(900L);
        request.setPolicy(policy);
        DefaultAcsClient sts = new DefaultAcsClient(DefaultProfile.getProfile(LocalCloud.REGION),
                new BasicCredentials(ready.path("accessKeyId").asText(), ready.path("accessKeySecret").asText()));
        try {
            return sts.getAcsResponse(request).getCredentials();
        } finally {
            sts.shutdown();
        }
    }

    private static RawHttp.Response fc2(JsonNode ready, AssumeRoleResponse.Credentials key, String service,
                                        String function) throws IOException {
        String path = "/2016-08-15/services/" + service + "/functions/" + function + "/invocations";
        byte[] body = "{\"sid\":\"s\",\"input\":{}}".getBytes(StandardCharsets.UTF_8);
        return RawHttp.send("POST", ready.path("endpoint").asText() + path, Fc2Signing.invokeHeaders(path, body,
                LocalCloud.ACCOUNT_ID, key.getAccessKeyId(), key.getAccessKeySecret(), key.getSecurityToken(),
                Instant.now()), body);
    }

    private static RawHttp.Response fc3(JsonNode ready, AssumeRoleResponse.Credentials key, String function)
            throws IOException {
        String path = "/2023-03-30/functions/" + function + "/invocations";
        byte[] body = "{\"sid\":\"s\",\"input\":{}}".getBytes(StandardCharsets.UTF_8);
        URI endpoint = URI.create(ready.path("endpoint").asText());
        Map<String, String> headers = new TreeMap<>(Acs3Signing.invokeHeaders(endpoint.getAuthority(), path, body,
                key.getAccessKeyId(), key.getAccessKeySecret(), key.getSecurityToken(), Instant.now()));
        // RawHttp sends the same Host itself
        headers.remove("host");
        return RawHttp.send("POST", endpoint + path, headers, body);
    }

    private static String functionOf(RawHttp.Response answer) throws IOException {
        assertThat(answer.status).as(answer.body).isEqualTo(200);
        return JSON.readTree(answer.body).path("function").asText();
    }

    @Test
    void readyNamesEveryServedFunctionItsServiceAndItsState() {
        assertThat(ready.path("functions")).extracting(JsonNode::asText)
                .containsExactly("session", "db", "checkin", "secret");
        assertThat(ready.path("services").toString()).isEqualTo("{\"session\":\"fc-miniapp-session\","
                + "\"db\":\"fc-miniapp\",\"checkin\":\"fc-miniapp-checkin\",\"secret\":\"fc-miniapp-secret\"}");
        assertThat(ready.path("functionStatus").toString()).isEqualTo("{\"session\":\"ready\",\"db\":\"ready\","
                + "\"checkin\":\"ready\",\"secret\":\"ready\"}");
        assertThat(cloud.appFunctions()).containsExactly("checkin", "secret");
    }

    @Test
    void theConsolesFunctionListHasEveryFunctionOfTheTemplateAndWhetherUsersMayCallIt() throws Exception {
        RawHttp.Response answer = RawHttp.send("GET", ready.path("adminUrl").asText() + "/_admin/functions",
                Map.of("X-Local-Cloud-Token", ready.path("adminToken").asText()), new byte[0]);
        assertThat(answer.status).as(answer.body).isEqualTo(200);
        Map<String, String> listed = new TreeMap<>();
        for (JsonNode f : JSON.readTree(answer.body).path("functions")) {
            listed.put(f.path("service").asText() + "/" + f.path("function").asText(), f.path("callable").asText());
        }

        assertThat(listed).containsExactlyInAnyOrderEntriesOf(Map.of("fc-miniapp-session/session", "false",
                "fc-miniapp/db", "true", "fc-miniapp-checkin/checkin", "true", "fc-miniapp-secret/secret", "false"));
    }

    @Test
    void anAppFunctionGetsLocalEndpointsButNoneOfTheSessionFunctionsSecrets() throws Exception {
        AssumeRoleResponse.Credentials owner = new AssumeRoleResponse.Credentials();
        owner.setAccessKeyId(ready.path("accessKeyId").asText());
        owner.setAccessKeySecret(ready.path("accessKeySecret").asText());
        for (String name : LocalCloud.SESSION_ONLY) {
            assertThat(JSON.readTree(invokeAsOwner("fc-miniapp-checkin", "checkin", "env:" + name, owner))
                    .path("value").asText()).as(name).isEqualTo("null");
        }
        assertThat(JSON.readTree(invokeAsOwner("fc-miniapp-session", "session", "env:STS_ROLE_ARN", owner))
                .path("value").asText()).isEqualTo("acs:ram::" + LocalCloud.ACCOUNT_ID + ":role/fc-miniapp-invoke");
        assertThat(JSON.readTree(invokeAsOwner("fc-miniapp-checkin", "checkin", "env:TABLESTORE_ENDPOINT", owner))
                .path("value").asText()).isEqualTo(ready.path("standIns").path("tablestore").asText());
    }

    @Test
    void theSummaryShowsHowAClientCallsEachAppFunctionAndWhetherUsersMay() {
        assertThat(cloud.summary())
                .contains("  app function 'checkin' (service 'fc-miniapp-checkin'): client.call('checkin', input),"
                        + " i.e. fc2 invokeFunction('fc-miniapp-checkin', 'checkin', '{\"sid\":…,\"input\":…}');"
                        + " users' keys may call it\n")
                .contains("  app function 'secret' (service 'fc-miniapp-secret'): client.call('secret', input),")
                .contains("'secret', '{\"sid\":…,\"input\":…}'); users' keys may NOT call it (add it to"
                        + " CALLABLE_FUNCTIONS and the InvokeRole)\n")
                .contains("services: { 'checkin': 'fc-miniapp-checkin', 'secret': 'fc-miniapp-secret' }");
    }

    @Test
    void aUsersKeyInvokesTheDbAndTheCallableFunctionButNotAnotherOnTheFc2Path() throws Exception {
        AssumeRoleResponse.Credentials key = userKey(ready, SESSION_POLICY);

        assertThat(functionOf(fc2(ready, key, "fc-miniapp", "db"))).isEqualTo("db");
        assertThat(functionOf(fc2(ready, key, "fc-miniapp-checkin", "checkin"))).isEqualTo("checkin");
        RawHttp.Response secret = fc2(ready, key, "fc-miniapp-secret", "secret");
        assertThat(secret.status).isEqualTo(403);
        assertThat(JSON.readTree(secret.body).path("ErrorCode").asText()).isEqualTo("AccessDenied");
        assertThat(JSON.readTree(secret.body).path("ErrorMessage").asText()).isEqualTo("The caller is not authorized"
                + " to perform 'fc:InvokeFunction' on resource '" + FC + "services/fc-miniapp-secret/functions/secret'.");
        RawHttp.Response session = fc2(ready, key, "fc-miniapp-session", "session");
        assertThat(session.status).isEqualTo(403);
    }

    @Test
    void aUsersKeyInvokesTheDbAndTheCallableFunctionButNotAnotherOnTheFc3Path() throws Exception {
        AssumeRoleResponse.Credentials key = userKey(ready, SESSION_POLICY);

        assertThat(functionOf(fc3(ready, key, "db"))).isEqualTo("db");
        assertThat(functionOf(fc3(ready, key, "checkin"))).isEqualTo("checkin");
        RawHttp.Response secret = fc3(ready, key, "secret");
        assertThat(secret.status).isEqualTo(403);
        assertThat(JSON.readTree(secret.body).path("Code").asText()).isEqualTo("AccessDenied");
        assertThat(secret.body).contains(FC + "functions/secret");
    }

    @Test
    void theTemplatesInvokeRoleRefusesAFunctionItLeavesOutWhateverTheInlinePolicyNames() throws Exception {
        AssumeRoleResponse.Credentials key = userKey(ready, EVERY_FUNCTION);

        assertThat(functionOf(fc2(ready, key, "fc-miniapp-checkin", "checkin"))).isEqualTo("checkin");
        assertThat(fc2(ready, key, "fc-miniapp-secret", "secret").status).isEqualTo(403);
        assertThat(fc3(ready, key, "secret").status).isEqualTo(403);
        assertThat(fc2(ready, key, "fc-miniapp-session", "session").body).contains("\"ErrorCode\":\"AccessDenied\"");
    }

    /** A fixture template without the role: the invoke role holds db and CALLABLE_FUNCTIONS (checkin only here). */
    @Test
    void withoutAnInvokeRoleInTheTemplateTheRoleHoldsTheDbFunctionAndCallableFunctions() throws Exception {
        int start = TEMPLATE.indexOf("  InvokeRole:");
        String noRole = (TEMPLATE.substring(0, start) + TEMPLATE.substring(TEMPLATE.indexOf("  fc-miniapp-session:")))
                .replace(",fc-miniapp-secret/secret'", "'");
        assertThat(noRole).doesNotContain("ALIYUN::RAM::Role").doesNotContain("secret/secret");
        try (LocalCloud fixture = startOn(noRole, "no-role")) {
            JsonNode info = fixture.readyInfo();
            AssumeRoleResponse.Credentials key = userKey(info, EVERY_FUNCTION);

            assertThat(functionOf(fc2(info, key, "fc-miniapp", "db"))).isEqualTo("db");
            assertThat(functionOf(fc2(info, key, "fc-miniapp-checkin", "checkin"))).isEqualTo("checkin");
            assertThat(functionOf(fc3(info, key, "checkin"))).isEqualTo("checkin");
            assertThat(fc2(info, key, "fc-miniapp-secret", "secret").status).isEqualTo(403);
            assertThat(fc3(info, key, "secret").status).isEqualTo(403);
        }
    }

    @Test
    void aFunctionsRoleReachesItsOwnTableButNotAnotherFunctionsNorWritesSessions() throws Exception {
        AssumeRoleResponse.Credentials owner = new AssumeRoleResponse.Credentials();
        owner.setAccessKeyId(ready.path("accessKeyId").asText());
        owner.setAccessKeySecret(ready.path("accessKeySecret").asText());
        JsonNode key = JSON.readTree(invokeAsOwner("fc-miniapp-checkin", "checkin", "credentials", owner));
        ClientConfiguration config = new ClientConfiguration();
        config.setRetryStrategy(new NoRetryStrategy());
        SyncClient checkin = new SyncClient(ready.path("standIns").path("tablestore").asText(),
                key.path("accessKeyId").asText(), key.path("accessKeySecret").asText(), "fcminiapp", config,
                key.path("securityToken").asText());
        try {
            assertThat(checkin.getRow(new GetRowRequest(criteria("checkins", "uid", "id"))).getRow()).isNull();
            assertOtsRefused(() -> checkin.getRow(new GetRowRequest(criteria("todo_list", "uid", "id"))));
            assertOtsRefused(() -> checkin.putRow(new PutRowRequest(new RowPutChange("session",
                    primaryKey("id")))));
        } finally {
            checkin.shutdown();
        }
    }

    private static String invokeAsOwner(String service, String function, String event,
                                        AssumeRoleResponse.Credentials owner) throws IOException {
        String path = "/2016-08-15/services/" + service + "/functions/" + function + "/invocations";
        byte[] body = event.getBytes(StandardCharsets.UTF_8);
        RawHttp.Response answer = RawHttp.send("POST", ready.path("endpoint").asText() + path,
                Fc2Signing.invokeHeaders(path, body, LocalCloud.ACCOUNT_ID, owner.getAccessKeyId(),
                        owner.getAccessKeySecret(), null, Instant.now()), body);
        assertThat(answer.status).as(answer.body).isEqualTo(200);
        return answer.body;
    }

    private static SingleRowQueryCriteria criteria(String table, String... keys) {
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(table, primaryKey(keys));
        criteria.setMaxVersions(1);
        return criteria;
    }

    private static PrimaryKey primaryKey(String... keys) {
        PrimaryKeyBuilder pk = PrimaryKeyBuilder.createPrimaryKeyBuilder();
        for (String k : keys) {
            pk.addPrimaryKeyColumn(k, PrimaryKeyValue.fromString("u1"));
        }
        return pk.build();
    }

    private static void assertOtsRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TableStoreException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo("OTSNoPermissionAccess");
            assertThat(e.getHttpStatus()).isEqualTo(403);
        });
    }

    @Test
    void funLocalGetsASampleEventForEveryFunction() throws Exception {
        Path events = dir.resolve("fun").resolve("events");

        assertThat(Files.readString(events.resolve("checkin.json"))).isEqualTo("{\"sid\": \"SESSION_ID\", \"input\": {}}\n");
        assertThat(Files.readString(events.resolve("secret.json"))).isEqualTo("{\"sid\": \"SESSION_ID\", \"input\": {}}\n");
        assertThat(Files.readString(events.resolve("db.json"))).contains("\"op\": \"list\"");
        assertThat(Files.readString(events.resolve("session.json"))).contains("\"authCode\"");
        try (var files = Files.list(events)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("session.json",
                    "db.json", "checkin.json", "secret.json");
        }
    }
}
