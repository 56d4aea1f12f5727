package com.fcminiapp.localcloud.ram;

import com.alicloud.openservices.tablestore.ClientConfiguration;
import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.TableStoreException;
import com.alicloud.openservices.tablestore.model.CapacityUnit;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.CreateTableRequest;
import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.NoRetryStrategy;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeySchema;
import com.alicloud.openservices.tablestore.model.PrimaryKeyType;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.ReservedThroughput;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.TableMeta;
import com.alicloud.openservices.tablestore.model.TableOptions;
import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.HttpMethod;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.auth.BasicSessionCredentials;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import com.aliyuncs.sts.model.v20150401.AssumeRoleRequest;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;
import com.fcminiapp.localcloud.standin.oss.OssStandIn;
import com.fcminiapp.localcloud.standin.sts.StsStandIn;
import com.fcminiapp.localcloud.standin.tablestore.TablestoreStandIn;
import com.fcminiapp.localcloud.template.TemplateReader;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The STS, Tablestore and OSS stand-ins authorize each signed request as RAM does, seen through the real SDKs:
 * each service role holds exactly its service's {@code Policies} in the repository template (the session
 * function's key reaches no file, the db function's key cannot assume the invoke role), a login key (the invoke
 * role narrowed to invoking the db function) reaches none of the three services, the owner's key reaches
 * everything. {@code execution} holds both services' statements, for the checks common to both.
 */
class StandInAuthorizationTest {

    private static final String ACCOUNT = "1234567890123456";
    private static final String REGION = "cn-hangzhou";
    private static final String INSTANCE = "fcminiapp";
    private static final String BUCKET = "fc-miniapp-files";
    private static final String SERVICE_ROLE = "acs:ram::" + ACCOUNT + ":role/aliyunfcgeneratedrole-cn-hangzhou-fc-miniapp";
    private static final String SESSION_ROLE = SERVICE_ROLE + "-session";
    private static final String BOTH_ROLES = "acs:ram::" + ACCOUNT + ":role/both-services";
    private static final String INVOKE_ROLE = "acs:ram::" + ACCOUNT + ":role/fc-miniapp-invoke";
    private static final String LOGIN_POLICY = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"fc:InvokeFunction\"],\"Resource\":[\"acs:fc:" + REGION + ":" + ACCOUNT
            + ":services/fc-miniapp/functions/db\",\"acs:fc:" + REGION + ":" + ACCOUNT + ":functions/db\"]}]}";

    @TempDir
    static Path ossRoot;

    private static CredentialRegistry registry;
    private static StsStandIn sts;
    private static TablestoreStandIn tablestore;
    private static OssStandIn oss;
    private static Credential owner;
    private static Credential execution;
    private static Credential sessionExecution;
    private static Credential dbExecution;
    private static Credential login;
    private static final List<SyncClient> tablestoreClients = new ArrayList<>();
    private static final List<OSS> ossClients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        registry = CredentialRegistry.inMemory();
        Map<String, List<String>> policies = new java.util.HashMap<>();
        new TemplateReader(Map.of("ALIYUN::Region", REGION, "ALIYUN::AccountId", ACCOUNT),
                Map.of("TablestoreInstance", INSTANCE, "OssBucket", BUCKET, "LogProjectName", "log"))
                .read(Path.of("..", "template.yml")).forEach(s -> policies.put(s.name(), s.policies()));
        List<String> both = new ArrayList<>(policies.get("fc-miniapp-session"));
        both.addAll(policies.get("fc-miniapp"));
        RamRoles roles = new RamRoles().put(SERVICE_ROLE, policies.get("fc-miniapp"))
                .put(SESSION_ROLE, policies.get("fc-miniapp-session")).put(BOTH_ROLES, both).put(INVOKE_ROLE, List.of(
                "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"fc:InvokeFunction\",\"Resource\":\"*\"}]}"));
        sts = new StsStandIn(0, registry, ACCOUNT).start();
        tablestore = new TablestoreStandIn(0, registry, INSTANCE, new MVStore.Builder().open()).start();
        oss = new OssStandIn(0, registry, ossRoot).start();
        oss.createBucket(BUCKET);
        for (var standIn : List.of(sts, tablestore, oss)) {
            standIn.authorizeWith(roles, REGION, ACCOUNT);
        }
        tablestore.provisionTable("session", Map.of("id", "STRING"));
        owner = registry.createPermanent("LTAI");
        execution = registry.issueTemporary(BOTH_ROLES, "fc-execution", null, Duration.ofHours(1));
        sessionExecution = registry.issueTemporary(SESSION_ROLE, "fc-execution", null, Duration.ofHours(1));
        dbExecution = registry.issueTemporary(SERVICE_ROLE, "fc-execution", null, Duration.ofHours(1));
        login = assumeInvokeRole(execution);
    }

    @AfterAll
    static void stop() {
        tablestoreClients.forEach(SyncClient::shutdown);
        ossClients.forEach(OSS::shutdown);
        oss.close();
        tablestore.close();
        sts.close();
    }

    /** What the session function does at login: AssumeRole on the invoke role, narrowed to invoking db. */
    private static Credential assumeInvokeRole(Credential caller) throws ClientException {
        String issued = new DefaultAcsClient(DefaultProfile.getProfile(REGION), new BasicSessionCredentials(
                caller.accessKeyId, caller.accessKeySecret, caller.securityToken))
                .getAcsResponse(assumeRequest(INVOKE_ROLE)).getCredentials().getAccessKeyId();
        return registry.find(issued).orElseThrow();
    }

    private static AssumeRoleRequest assumeRequest(String roleArn) {
        AssumeRoleRequest request = new AssumeRoleRequest();
        request.setSysEndpoint(sts.host());
        request.setSysProtocol(ProtocolType.HTTP);
        request.setRoleArn(roleArn);
        request.setRoleSessionName("alice");
        request.setPolicy(LOGIN_POLICY);
        return request;
    }

    private static SyncClient tablestore(Credential key) {
        ClientConfiguration configuration = new ClientConfiguration();
        configuration.setRetryStrategy(new NoRetryStrategy());
        SyncClient client = new SyncClient(tablestore.endpoint(), key.accessKeyId, key.accessKeySecret, INSTANCE,
                configuration, key.securityToken);
        tablestoreClients.add(client);
        return client;
    }

    private static OSS oss(Credential key) {
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setMaxErrorRetry(0);
        OSS client = key.securityToken == null
                ? new OSSClientBuilder().build(oss.endpoint(), key.accessKeyId, key.accessKeySecret, conf)
                : new OSSClientBuilder().build(oss.endpoint(), key.accessKeyId, key.accessKeySecret, key.securityToken, conf);
        ossClients.add(client);
        return client;
    }

    private static PrimaryKey sessionKey(String id) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder().addPrimaryKeyColumn("id", PrimaryKeyValue.fromString(id)).build();
    }

    private static void assertOtsDenied(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TableStoreException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo("OTSNoPermissionAccess");
            assertThat(e.getHttpStatus()).isEqualTo(403);
            assertThat(e.getMessage()).contains("acs:ots:" + REGION + ":" + ACCOUNT + ":instance/fcminiapp/table/");
        });
    }

    private static void assertOssDenied(Runnable call, String action) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(OSSException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo("AccessDenied");
            assertThat(e.getErrorMessage()).contains(action);
        });
    }

    @Test
    void aLoginKeyCannotReadListOrDeleteObjects() {
        oss(owner).putObject(BUCKET, "users/bob/diary.txt", new ByteArrayInputStream("secret".getBytes(StandardCharsets.UTF_8)));
        OSS client = oss(login);

        assertOssDenied(() -> client.getObject(BUCKET, "users/bob/diary.txt"), "oss:GetObject");
        assertOssDenied(() -> client.listObjects(BUCKET), "oss:ListObjects");
        assertOssDenied(() -> client.deleteObject(BUCKET, "users/bob/diary.txt"), "oss:DeleteObject");
        assertThat(oss(owner).doesObjectExist(BUCKET, "users/bob/diary.txt")).isTrue();
    }

    @Test
    void aLoginKeyCannotReadOrPlantSessionRows() {
        SyncClient client = tablestore(login);
        RowPutChange planted = new RowPutChange("session", sessionKey("planted"));
        planted.addColumn(new Column("uid", ColumnValue.fromString("bob")));
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria("session", sessionKey("planted"));
        criteria.setMaxVersions(1);

        assertOtsDenied(() -> client.putRow(new PutRowRequest(planted)));
        assertOtsDenied(() -> client.getRow(new GetRowRequest(criteria)));
        assertThat(tablestore(owner).getRow(new GetRowRequest(criteria)).getRow()).isNull();
    }

    @Test
    void aLoginKeyCannotGetNewCredentialsFromSts() {
        DefaultAcsClient client = new DefaultAcsClient(DefaultProfile.getProfile(REGION),
                new BasicSessionCredentials(login.accessKeyId, login.accessKeySecret, login.securityToken));
        assertThatThrownBy(() -> client.getAcsResponse(assumeRequest(INVOKE_ROLE)))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.getErrCode()).isEqualTo("NoPermission");
                    assertThat(e.getErrMsg()).contains("sts:AssumeRole on " + INVOKE_ROLE);
                });
    }

    @Test
    void theServiceRoleMayAssumeOnlyTheInvokeRole() {
        DefaultAcsClient client = new DefaultAcsClient(DefaultProfile.getProfile(REGION),
                new BasicSessionCredentials(execution.accessKeyId, execution.accessKeySecret, execution.securityToken));
        assertThatThrownBy(() -> client.getAcsResponse(assumeRequest("acs:ram::" + ACCOUNT + ":role/fc-miniapp-admin")))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.getErrCode()).isEqualTo("NoPermission"));
        assertThat(login.roleArn).isEqualTo(INVOKE_ROLE);
    }

    @Test
    void theServiceRoleReachesObjectsOnlyUnderUsers() throws Exception {
        OSS client = oss(execution);
        client.putObject(BUCKET, "users/alice/a.txt", new ByteArrayInputStream(new byte[] {1, 2}));
        assertThat(client.getObject(BUCKET, "users/alice/a.txt").getObjectMetadata().getContentLength()).isEqualTo(2);
        assertThat(client.listObjects(BUCKET, "users/alice/").getObjectSummaries()).hasSize(1);

        assertOssDenied(() -> client.putObject(BUCKET, "index.html", new ByteArrayInputStream(new byte[] {1})),
                "oss:PutObject");
        oss(owner).putObject(BUCKET, "config/app.json", new ByteArrayInputStream(new byte[] {1}));
        assertOssDenied(() -> client.getObject(BUCKET, "config/app.json"), "oss:GetObject");
        assertOssDenied(() -> client.deleteObject(BUCKET, "config/app.json"), "oss:DeleteObject");
        assertOssDenied(() -> client.createBucket("another-bucket"), "oss:PutBucket");
        client.deleteObject(BUCKET, "users/alice/a.txt");
        assertThat(oss(owner).doesObjectExist(BUCKET, "users/alice/a.txt")).isFalse();
    }

    @Test
    void aPresignedUrlCarriesItsSignersPermissions() throws Exception {
        oss(owner).putObject(BUCKET, "users/alice/p.txt", new ByteArrayInputStream(new byte[] {7}));
        oss(owner).putObject(BUCKET, "private/p.txt", new ByteArrayInputStream(new byte[] {7}));
        Date expiry = new Date(System.currentTimeMillis() + 600_000);

        assertThat(status(oss(execution).generatePresignedUrl(BUCKET, "users/alice/p.txt", expiry, HttpMethod.GET)))
                .isEqualTo(200);
        assertThat(status(oss(execution).generatePresignedUrl(BUCKET, "private/p.txt", expiry, HttpMethod.GET)))
                .isEqualTo(403);
        assertThat(status(oss(login).generatePresignedUrl(BUCKET, "users/alice/p.txt", expiry, HttpMethod.GET)))
                .isEqualTo(403);
    }

    @Test
    void theServiceRoleMayUseRowsButNotCreateOrListTables() {
        SyncClient client = tablestore(execution);
        RowPutChange put = new RowPutChange("session", sessionKey("s1"));
        put.addColumn(new Column("uid", ColumnValue.fromString("alice")));
        client.putRow(new PutRowRequest(put));
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria("session", sessionKey("s1"));
        criteria.setMaxVersions(1);
        assertThat(client.getRow(new GetRowRequest(criteria)).getRow().getLatestColumn("uid").getValue().asString())
                .isEqualTo("alice");

        TableMeta meta = new TableMeta("audit");
        meta.addPrimaryKeyColumn(new PrimaryKeySchema("id", PrimaryKeyType.STRING));
        assertOtsDenied(() -> client.createTable(new CreateTableRequest(meta, new TableOptions(-1, 1),
                new ReservedThroughput(new CapacityUnit(0, 0)))));
        assertThatThrownBy(client::listTable).isInstanceOfSatisfying(TableStoreException.class,
                e -> assertThat(e.getErrorCode()).isEqualTo("OTSNoPermissionAccess"));
    }

    @Test
    void theDbFunctionsKeyCannotAssumeTheInvokeRoleNorWriteSessions() {
        DefaultAcsClient client = new DefaultAcsClient(DefaultProfile.getProfile(REGION),
                new BasicSessionCredentials(dbExecution.accessKeyId, dbExecution.accessKeySecret,
                        dbExecution.securityToken));
        assertThatThrownBy(() -> client.getAcsResponse(assumeRequest(INVOKE_ROLE)))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.getErrCode()).isEqualTo("NoPermission"));
        RowPutChange planted = new RowPutChange("session", sessionKey("db-planted"));
        planted.addColumn(new Column("uid", ColumnValue.fromString("mallory")));
        assertOtsDenied(() -> tablestore(dbExecution).putRow(new PutRowRequest(planted)));
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria("session", sessionKey("db-planted"));
        criteria.setMaxVersions(1);
        assertThat(tablestore(dbExecution).getRow(new GetRowRequest(criteria)).getRow()).isNull();
    }

    /**
     * deleteAccount's file grants and no more: the session function's key lists only under users/ and public/ (RAM's
     * oss:Prefix condition, which the OSS stand-in tests with the listing's prefix) and deletes there, but reads and
     * writes no file.
     */
    @Test
    void theSessionFunctionsKeyListsAndDeletesOnlyTheUsersFoldersAndReadsOrWritesNoFile() throws Exception {
        oss(owner).putObject(BUCKET, "users/carol/c.txt", new ByteArrayInputStream(new byte[] {3}));
        oss(owner).putObject(BUCKET, "seed/s.txt", new ByteArrayInputStream(new byte[] {5}));
        OSS client = oss(sessionExecution);
        assertOssDenied(() -> client.getObject(BUCKET, "users/carol/c.txt"), "oss:GetObject");
        assertOssDenied(() -> client.putObject(BUCKET, "users/carol/d.txt", new ByteArrayInputStream(new byte[] {4})),
                "oss:PutObject");
        assertOssDenied(() -> client.listObjects(BUCKET), "oss:ListObjects");
        assertOssDenied(() -> client.listObjects(BUCKET, "seed/"), "oss:ListObjects");
        assertOssDenied(() -> client.deleteObject(BUCKET, "seed/s.txt"), "oss:DeleteObject");
        assertThat(client.listObjects(BUCKET, "users/carol/").getObjectSummaries())
                .extracting(s -> s.getKey()).containsExactly("users/carol/c.txt");
        assertThat(client.listObjects(BUCKET, "public/carol/").getObjectSummaries()).isEmpty();
        client.deleteObject(BUCKET, "users/carol/c.txt");
        assertThat(oss(owner).doesObjectExist(BUCKET, "users/carol/c.txt")).isFalse();
        assertThat(oss(owner).doesObjectExist(BUCKET, "seed/s.txt")).isTrue();
        assertThat(assumeInvokeRole(sessionExecution).roleArn).isEqualTo(INVOKE_ROLE);
        RowPutChange put = new RowPutChange("session", sessionKey("s-own"));
        put.addColumn(new Column("uid", ColumnValue.fromString("carol")));
        tablestore(sessionExecution).putRow(new PutRowRequest(put));
    }

    private static int status(URL url) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        connection.setConnectTimeout(5000);
        connection.setReadTimeout(5000);
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }
}
