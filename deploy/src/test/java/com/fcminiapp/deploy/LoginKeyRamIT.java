package com.fcminiapp.deploy;

import com.alicloud.openservices.tablestore.ClientConfiguration;
import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.TableStoreException;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.Direction;
import com.alicloud.openservices.tablestore.model.GetRangeRequest;
import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.NoRetryStrategy;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.RangeRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;
import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.auth.BasicSessionCredentials;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import com.aliyuncs.sts.model.v20150401.AssumeRoleRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.localcloud.LocalCloud;
import com.fcminiapp.localcloud.Options;
import com.fcminiapp.localcloud.testing.Fc2Signing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The red team's list, replayed with a real login key against local-cloud started on the repository's
 * template.yml: the key a mini-program gets at login reaches the db function's invoke and nothing else — every
 * OSS, Tablestore and STS call it signs correctly gets that service's own refusal through the real SDK.
 */
class LoginKeyRamIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The bucket and instance local-cloud serves (the template's names), as READY gives them. */
    private static String bucket;
    private static String instance;

    @TempDir
    static Path data;

    private static LocalCloud cloud;
    private static JsonNode ready;
    private static JsonNode alice;
    private static JsonNode bob;
    private static final List<SyncClient> tablestoreClients = new ArrayList<>();
    private static final List<OSS> ossClients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cloud = LocalCloud.start(Options.parse("--port", "0", "--data", data.toString(), "--template",
                DeployFiles.root().resolve("template.yml").toString()), null,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        ready = cloud.readyInfo();
        bucket = ready.path("ossBucket").asText();
        instance = ready.path("tablestoreInstance").asText();
        alice = login("alice:ram-it");
        bob = login("bob:ram-it");
        JsonNode put = invokeDb(alice, "{\"sid\":\"" + alice.path("sessionId").asText()
                + "\",\"op\":\"put\",\"obj\":{\"id\":\"t1\",\"title\":\"milk\"}}");
        assertThat(put.path("data").path("_version").asInt()).as("alice's put %s", put).isEqualTo(1);
        ownerOss().putObject(bucket, "users/" + bob.path("userId").asText() + "/diary.txt",
                new ByteArrayInputStream("bob's".getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() {
        tablestoreClients.forEach(SyncClient::shutdown);
        ossClients.forEach(OSS::shutdown);
        if (cloud != null) {
            cloud.close();
        }
    }

    private static JsonNode login(String authCode) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(ready.path("sessionUrl").asText()))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"authCode\":\"" + authCode + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("login answer %s", answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Cache-Control")).as("a login through local-cloud's trigger")
                .contains("no-store");
        return DeployFiles.JSON.readTree(answer.body());
    }

    /** fc2's invokeFunction of the db function, signed with the login's STS key. */
    private static JsonNode invokeDb(JsonNode session, String event) throws Exception {
        JsonNode sts = session.path("sts");
        String path = "/2016-08-15/services/" + ready.path("serviceName").asText() + "/functions/"
                + ready.path("dbFunctionName").asText() + "/invocations";
        byte[] body = event.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ready.path("endpoint").asText() + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        Fc2Signing.invokeHeaders(path, body, ready.path("accountId").asText(), sts.path("AccessKeyId").asText(),
                sts.path("AccessKeySecret").asText(), sts.path("SecurityToken").asText(), Instant.now())
                .forEach(request::header);
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("invoke answer %s", answer.body()).isEqualTo(200);
        return DeployFiles.JSON.readTree(answer.body());
    }

    private static OSS oss(String id, String secret, String token) {
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setMaxErrorRetry(0);
        String endpoint = ready.path("standIns").path("oss").asText();
        OSS client = token == null ? new OSSClientBuilder().build(endpoint, id, secret, conf)
                : new OSSClientBuilder().build(endpoint, id, secret, token, conf);
        ossClients.add(client);
        return client;
    }

    private static OSS ownerOss() {
        return oss(ready.path("accessKeyId").asText(), ready.path("accessKeySecret").asText(), null);
    }

    private static OSS loginOss(JsonNode session) {
        JsonNode sts = session.path("sts");
        return oss(sts.path("AccessKeyId").asText(), sts.path("AccessKeySecret").asText(),
                sts.path("SecurityToken").asText());
    }

    private static SyncClient loginTablestore(JsonNode session) {
        JsonNode sts = session.path("sts");
        ClientConfiguration configuration = new ClientConfiguration();
        configuration.setRetryStrategy(new NoRetryStrategy());
        SyncClient client = new SyncClient(ready.path("standIns").path("tablestore").asText(),
                sts.path("AccessKeyId").asText(), sts.path("AccessKeySecret").asText(), instance, configuration,
                sts.path("SecurityToken").asText());
        tablestoreClients.add(client);
        return client;
    }

    private static void assertOssDenied(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(OSSException.class,
                e -> assertThat(e.getErrorCode()).isEqualTo("AccessDenied"));
    }

    private static void assertOtsDenied(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TableStoreException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo("OTSNoPermissionAccess");
            assertThat(e.getHttpStatus()).isEqualTo(403);
        });
    }

    private static SingleRowQueryCriteria row(String table, PrimaryKey key) {
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(table, key);
        criteria.setMaxVersions(1);
        return criteria;
    }

    private static PrimaryKey todoKey(String uid, String id) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder().addPrimaryKeyColumn("uid", PrimaryKeyValue.fromString(uid))
                .addPrimaryKeyColumn("id", PrimaryKeyValue.fromString(id)).build();
    }

    @Test
    void theLoginKeyStillInvokesTheDbFunction() throws Exception {
        JsonNode got = invokeDb(alice, "{\"sid\":\"" + alice.path("sessionId").asText() + "\",\"op\":\"get\",\"id\":\"t1\"}");
        assertThat(got.path("data").path("title").asText()).as("get answer %s", got).isEqualTo("milk");
    }

    @Test
    void aLoginKeyCannotReadListOrDeleteAnotherUsersObjects() {
        String bobsKey = "users/" + bob.path("userId").asText() + "/diary.txt";
        OSS client = loginOss(alice);

        assertOssDenied(() -> client.getObject(bucket, bobsKey));
        assertOssDenied(() -> client.listObjects(bucket));
        assertOssDenied(() -> client.deleteObject(bucket, bobsKey));
        assertOssDenied(() -> client.putObject(bucket, bobsKey, new ByteArrayInputStream(new byte[] {1})));
        assertThat(ownerOss().doesObjectExist(bucket, bobsKey)).isTrue();
    }

    @Test
    void aLoginKeyCannotDumpRowsOrTheSessionTable() {
        SyncClient client = loginTablestore(bob);
        String aliceUid = alice.path("userId").asText();
        RangeRowQueryCriteria range = new RangeRowQueryCriteria("todo_list");
        range.setInclusiveStartPrimaryKey(PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("uid", PrimaryKeyValue.INF_MIN).addPrimaryKeyColumn("id", PrimaryKeyValue.INF_MIN).build());
        range.setExclusiveEndPrimaryKey(PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("uid", PrimaryKeyValue.INF_MAX).addPrimaryKeyColumn("id", PrimaryKeyValue.INF_MAX).build());
        range.setDirection(Direction.FORWARD);
        range.setMaxVersions(1);
        RangeRowQueryCriteria sessions = new RangeRowQueryCriteria("session");
        sessions.setInclusiveStartPrimaryKey(PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("id", PrimaryKeyValue.INF_MIN).build());
        sessions.setExclusiveEndPrimaryKey(PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("id", PrimaryKeyValue.INF_MAX).build());
        sessions.setMaxVersions(1);

        assertOtsDenied(() -> client.getRange(new GetRangeRequest(range)));
        assertOtsDenied(() -> client.getRow(new GetRowRequest(row("todo_list", todoKey(aliceUid, "t1")))));
        assertOtsDenied(() -> client.getRange(new GetRangeRequest(sessions)));
        assertOtsDenied(() -> client.putRow(new PutRowRequest(new RowPutChange("todo_list", todoKey(aliceUid, "t2")))));
    }

    @Test
    void aPlantedSessionRowIsRefusedSoTheDbFunctionNeverHonoursIt() throws Exception {
        String sid = "PLANTEDplantedPLANTEDplantedPLANTEDplanted1";
        String hash = Fc2Signing.hex(Fc2Signing.digest("SHA-256", sid.getBytes(StandardCharsets.UTF_8)));
        RowPutChange planted = new RowPutChange("session", PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("id", PrimaryKeyValue.fromString(hash)).build());
        planted.addColumn(new Column("uid", ColumnValue.fromString(alice.path("userId").asText())));
        planted.addColumn(new Column("createdAt", ColumnValue.fromLong(System.currentTimeMillis())));
        planted.addColumn(new Column("expiresAt", ColumnValue.fromLong(System.currentTimeMillis() + 3_600_000)));

        assertOtsDenied(() -> loginTablestore(bob).putRow(new PutRowRequest(planted)));
        JsonNode answer = invokeDb(bob, "{\"sid\":\"" + sid + "\",\"op\":\"get\",\"id\":\"t1\"}");
        assertThat(answer.path("error").path("code").asText()).as("answer %s", answer).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void aLoginKeyCannotGetFreshCredentialsFromSts() {
        JsonNode sts = alice.path("sts");
        DefaultAcsClient client = new DefaultAcsClient(DefaultProfile.getProfile(ready.path("region").asText()),
                new BasicSessionCredentials(sts.path("AccessKeyId").asText(), sts.path("AccessKeySecret").asText(),
                        sts.path("SecurityToken").asText()));
        AssumeRoleRequest request = new AssumeRoleRequest();
        request.setSysEndpoint(URI.create(ready.path("standIns").path("sts").asText()).getAuthority());
        request.setSysProtocol(ProtocolType.HTTP);
        request.setRoleArn("acs:ram::" + ready.path("accountId").asText() + ":role/fc-miniapp-invoke");
        request.setRoleSessionName("attacker");

        assertThatThrownBy(() -> client.getAcsResponse(request)).isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.getErrCode()).isEqualTo("NoPermission"));
    }
}
