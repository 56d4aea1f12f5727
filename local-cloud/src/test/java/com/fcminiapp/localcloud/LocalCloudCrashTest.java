package com.fcminiapp.localcloud;

import com.alicloud.openservices.tablestore.ClientConfiguration;
import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.CapacityUnit;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.Condition;
import com.alicloud.openservices.tablestore.model.CreateTableRequest;
import com.alicloud.openservices.tablestore.model.DeleteRowRequest;
import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.NoRetryStrategy;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeySchema;
import com.alicloud.openservices.tablestore.model.PrimaryKeyType;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.ReservedThroughput;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.RowDeleteChange;
import com.alicloud.openservices.tablestore.model.RowExistenceExpectation;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.RowUpdateChange;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.TableMeta;
import com.alicloud.openservices.tablestore.model.TableOptions;
import com.alicloud.openservices.tablestore.model.UpdateRowRequest;
import com.alicloud.openservices.tablestore.model.condition.SingleColumnValueCondition;
import com.alipay.api.AlipayClient;
import com.alipay.api.AlipayConfig;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipaySystemOauthTokenRequest;
import com.alipay.api.response.AlipaySystemOauthTokenResponse;
import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.auth.BasicCredentials;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import com.aliyuncs.sts.model.v20150401.AssumeRoleRequest;
import com.aliyuncs.sts.model.v20150401.AssumeRoleResponse;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.alipay.RsaKeyPair;
import com.fcminiapp.localcloud.testing.ChildLocalCloud;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills local-cloud with SIGKILL in the middle of writes from several threads (rows with conditional updates and
 * deletes, objects, issued STS keys, used authCodes), restarts it on the same data and finds every acknowledged
 * write at its latest acknowledged state. A write that was in flight at the kill may have landed or not.
 */
class LocalCloudCrashTest {

    private static final Path TEMPLATE = Path.of("..", "template.yml").toAbsolutePath().normalize();
    private static final String TABLE = "crash_rows";
    private static final int THREADS = 4;
    private static final int ROUNDS = 40;
    private static final int ROWS_PER_THREAD = 4;
    private static final int OBJECTS_PER_THREAD = 3;
    /** Acknowledged writes before the kill: about a third of the load, so the kill lands mid-load. */
    private static final int ACKS_BEFORE_KILL = 150;

    private final RsaKeyPair appKeys = RsaKeyPair.generate();
    private final RsaKeyPair gatewayKeys = RsaKeyPair.generate();

    @Test
    void everyAcknowledgedWriteSurvivesSigkillMidLoad(@TempDir Path data) throws Exception {
        seedAlipayKeys(data);
        List<Outcome> outcomes;
        try (ChildLocalCloud cloud = ChildLocalCloud.start(data, TEMPLATE)) {
            Clients clients = new Clients(cloud);
            try {
                createTable(clients.tablestore);
                outcomes = runLoadAndKill(cloud, clients);
            } finally {
                clients.close();
            }
        }
        assertThat(outcomes.stream().mapToInt(o -> o.acknowledged).sum()).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
        assertThat(outcomes).as("the kill cut the load off").anySatisfy(o -> assertThat(o.stopped).isTrue());

        try (ChildLocalCloud restarted = ChildLocalCloud.start(data, TEMPLATE)) {
            Clients clients = new Clients(restarted);
            try {
                for (Outcome outcome : outcomes) {
                    checkRows(clients.tablestore, outcome);
                    checkObjects(clients.oss, clients.bucket, outcome);
                    checkCodesStayUsed(clients.alipay, outcome);
                }
            } finally {
                clients.close();
            }
            restarted.stop();
        }
        checkIssuedKeys(data, outcomes);
    }

    // ---- load ----

    private List<Outcome> runLoadAndKill(ChildLocalCloud cloud, Clients clients) throws Exception {
        CountDownLatch enough = new CountDownLatch(ACKS_BEFORE_KILL);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Outcome>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Outcome outcome = new Outcome(t, enough);
                running.add(pool.submit(() -> outcome.run(clients)));
            }
            assertThat(enough.await(120, TimeUnit.SECONDS)).as("load reached the kill point").isTrue();
            cloud.kill();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : running) {
                outcomes.add(future.get(120, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    /** What one thread had acknowledged, and the one write it had in flight when the process died. */
    private static final class Outcome {
        final int thread;
        final CountDownLatch acks;
        /** Row id → latest acknowledged _version; empty when the row was acknowledged deleted. */
        final Map<String, Optional<Long>> rows = new HashMap<>();
        final Map<String, Optional<String>> objects = new HashMap<>();
        final List<CredentialRegistry.Credential> issuedKeys = new ArrayList<>();
        final List<String> usedCodes = new ArrayList<>();
        /** The write in flight at the kill: its key and the state it would have left. */
        String inFlightKey;
        Object inFlightState;
        int acknowledged;
        boolean stopped;
        private long nextVersion;

        Outcome(int thread, CountDownLatch acks) {
            this.thread = thread;
            this.acks = acks;
        }

        Outcome run(Clients clients) {
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    writeRow(clients.tablestore, round);
                    writeObject(clients.oss, clients.bucket, round);
                    if (round % 6 == 0) {
                        issueKey(clients, round);
                    }
                    if (round % 5 == 1) {
                        useCode(clients.alipay, round);
                    }
                }
            } catch (Exception e) {
                // the kill: every later call fails too
                stopped = true;
            }
            return this;
        }

        private void writeRow(SyncClient client, int round) {
            String id = "r" + (round % ROWS_PER_THREAD);
            Optional<Long> current = rows.getOrDefault(id, Optional.empty());
            if (current.isPresent() && round % 5 == 4) {
                inFlight(id, Optional.empty());
                RowDeleteChange change = new RowDeleteChange(TABLE, key(thread, id));
                change.setCondition(versionIs(current.get()));
                client.deleteRow(new DeleteRowRequest(change));
            } else if (current.isPresent()) {
                long next = ++nextVersion;
                inFlight(id, Optional.of(next));
                RowUpdateChange change = new RowUpdateChange(TABLE, key(thread, id));
                change.put("_version", ColumnValue.fromLong(next));
                change.setCondition(versionIs(current.get()));
                client.updateRow(new UpdateRowRequest(change));
            } else {
                long next = ++nextVersion;
                inFlight(id, Optional.of(next));
                RowPutChange change = new RowPutChange(TABLE, key(thread, id));
                change.addColumn("_version", ColumnValue.fromLong(next));
                change.setCondition(new Condition(RowExistenceExpectation.EXPECT_NOT_EXIST));
                client.putRow(new PutRowRequest(change));
            }
            rows.put(id, acknowledge());
        }

        private void writeObject(OSS oss, String bucket, int round) {
            String key = "t" + thread + "/o" + (round % OBJECTS_PER_THREAD);
            if (round % 4 == 3) {
                inFlight(key, Optional.empty());
                oss.deleteObject(bucket, key);
            } else {
                String content = "thread " + thread + " round " + round;
                inFlight(key, Optional.of(content));
                oss.putObject(bucket, key,
                        new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
            }
            objects.put(key, acknowledge());
        }

        private void issueKey(Clients clients, int round) throws Exception {
            AssumeRoleRequest request = new AssumeRoleRequest();
            request.setSysEndpoint(clients.stsHost);
            request.setSysProtocol(ProtocolType.HTTP);
            request.setRoleArn("acs:ram::" + LocalCloud.ACCOUNT_ID + ":role/" + LocalCloud.DEFAULT_INVOKE_ROLE);
            request.setRoleSessionName("crash-" + thread + "-" + round);
            request.setDurationSeconds(3600L);
            inFlight("sts", null);
            AssumeRoleResponse.Credentials issued = clients.sts.getAcsResponse(request).getCredentials();
            acknowledge();
            issuedKeys.add(new CredentialRegistry.Credential(issued.getAccessKeyId(), issued.getAccessKeySecret(),
                    issued.getSecurityToken()));
        }

        private void useCode(AlipayClient alipay, int round) throws Exception {
            String code = "user" + thread + ":round" + round;
            inFlight("alipay", null);
            AlipaySystemOauthTokenResponse response = alipay.execute(tokenRequest(code));
            assertThat(response.isSuccess()).as("first use of " + code).isTrue();
            acknowledge();
            usedCodes.add(code);
        }

        private void inFlight(String key, Object state) {
            inFlightKey = key;
            inFlightState = state;
        }

        /** Counts the write in flight as acknowledged and returns the state it left. */
        @SuppressWarnings("unchecked")
        private <T> T acknowledge() {
            T state = (T) inFlightState;
            inFlightKey = null;
            inFlightState = null;
            acknowledged++;
            acks.countDown();
            return state;
        }

        /** The states a key may be found in after the restart: the acknowledged one, or the in-flight one. */
        <T> List<Optional<T>> allowed(String key, Map<String, Optional<T>> acknowledgedStates) {
            List<Optional<T>> allowed = new ArrayList<>();
            allowed.add(acknowledgedStates.getOrDefault(key, Optional.empty()));
            if (key.equals(inFlightKey)) {
                @SuppressWarnings("unchecked")
                Optional<T> pending = (Optional<T>) inFlightState;
                allowed.add(pending);
            }
            return allowed;
        }
    }

    // ---- checks after the restart ----

    private static void checkRows(SyncClient client, Outcome outcome) {
        for (int r = 0; r < ROWS_PER_THREAD; r++) {
            String id = "r" + r;
            SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(TABLE, key(outcome.thread, id));
            criteria.setMaxVersions(1);
            Row row = client.getRow(new GetRowRequest(criteria)).getRow();
            Optional<Long> found = Optional.ofNullable(row).map(x -> x.getLatestColumn("_version").getValue().asLong());
            assertThat(found).as("row %d/%s", outcome.thread, id).isIn(outcome.allowed(id, outcome.rows));
        }
    }

    private static void checkObjects(OSS oss, String bucket, Outcome outcome) throws Exception {
        for (int o = 0; o < OBJECTS_PER_THREAD; o++) {
            String key = "t" + outcome.thread + "/o" + o;
            Optional<String> found = Optional.empty();
            if (oss.doesObjectExist(bucket, key)) {
                try (var in = oss.getObject(bucket, key).getObjectContent()) {
                    found = Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            assertThat(found).as("object %s", key).isIn(outcome.allowed(key, outcome.objects));
        }
    }

    private void checkCodesStayUsed(AlipayClient alipay, Outcome outcome) throws Exception {
        for (String code : outcome.usedCodes) {
            AlipaySystemOauthTokenResponse replay = alipay.execute(tokenRequest(code));
            assertThat(replay.getSubCode()).as("replayed " + code).isEqualTo("isv.code-invalid");
        }
    }

    /** Read from the file after a clean stop: each acknowledged STS key is known with its secret and token. */
    private static void checkIssuedKeys(Path data, List<Outcome> outcomes) {
        MVStore store = new MVStore.Builder().fileName(data.resolve("local-cloud.mv.db").toString()).readOnly().open();
        try {
            CredentialRegistry registry = new CredentialRegistry(store, Clock.systemUTC());
            int checked = 0;
            for (Outcome outcome : outcomes) {
                for (CredentialRegistry.Credential issued : outcome.issuedKeys) {
                    CredentialRegistry.Credential kept = registry.find(issued.accessKeyId).orElseThrow(
                            () -> new AssertionError("issued key lost: " + issued.accessKeyId));
                    assertThat(kept.accessKeySecret).isEqualTo(issued.accessKeySecret);
                    assertThat(kept.securityToken).isEqualTo(issued.securityToken);
                    assertThat(kept.isExpiredAt(Clock.systemUTC().instant())).isFalse();
                    checked++;
                }
            }
            assertThat(checked).isPositive();
        } finally {
            store.close();
        }
    }

    // ---- set-up ----

    /** Stores the app's and the gateway's key pairs where local-cloud looks for them, so this test can sign. */
    private void seedAlipayKeys(Path data) {
        MVStore store = new MVStore.Builder().fileName(data.resolve("local-cloud.mv.db").toString()).open();
        try {
            MVMap<String, String> settings = store.openMap("local-cloud-settings");
            settings.put("alipay.app.privateKey", appKeys.privateKeyPkcs8Base64());
            settings.put("alipay.gateway.privateKey", gatewayKeys.privateKeyPkcs8Base64());
        } finally {
            store.close();
        }
    }

    private static void createTable(SyncClient client) {
        TableMeta meta = new TableMeta(TABLE);
        meta.addPrimaryKeyColumn(new PrimaryKeySchema("uid", PrimaryKeyType.STRING));
        meta.addPrimaryKeyColumn(new PrimaryKeySchema("id", PrimaryKeyType.STRING));
        client.createTable(new CreateTableRequest(meta, new TableOptions(-1, 1),
                new ReservedThroughput(new CapacityUnit(0, 0))));
    }

    private static PrimaryKey key(int thread, String id) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("uid", PrimaryKeyValue.fromString("user" + thread))
                .addPrimaryKeyColumn("id", PrimaryKeyValue.fromString(id))
                .build();
    }

    private static Condition versionIs(long version) {
        Condition condition = new Condition(RowExistenceExpectation.EXPECT_EXIST);
        condition.setColumnCondition(new SingleColumnValueCondition("_version",
                SingleColumnValueCondition.CompareOperator.EQUAL, ColumnValue.fromLong(version)));
        return condition;
    }

    private static AlipaySystemOauthTokenRequest tokenRequest(String code) {
        AlipaySystemOauthTokenRequest request = new AlipaySystemOauthTokenRequest();
        request.setGrantType("authorization_code");
        request.setCode(code);
        return request;
    }

    /** The real SDK clients on one running local-cloud, with the account's key and no retries. */
    private final class Clients implements AutoCloseable {
        final SyncClient tablestore;
        final OSS oss;
        final String bucket;
        final IAcsClient sts;
        final String stsHost;
        final AlipayClient alipay;

        Clients(ChildLocalCloud cloud) throws Exception {
            String id = cloud.ready().path("accessKeyId").asText();
            String secret = cloud.ready().path("accessKeySecret").asText();
            ClientConfiguration tablestoreConfig = new ClientConfiguration();
            tablestoreConfig.setRetryStrategy(new NoRetryStrategy());
            tablestoreConfig.setConnectionTimeoutInMillisecond(5000);
            tablestoreConfig.setSocketTimeoutInMillisecond(30000);
            tablestore = new SyncClient(cloud.standIn("tablestore"), id, secret,
                    cloud.ready().path("tablestoreInstance").asText(), tablestoreConfig);
            bucket = cloud.ready().path("ossBucket").asText();
            ClientBuilderConfiguration ossConfig = new ClientBuilderConfiguration();
            ossConfig.setMaxErrorRetry(0);
            ossConfig.setConnectionTimeout(5000);
            oss = new OSSClientBuilder().build(cloud.standIn("oss"), id, secret, ossConfig);
            DefaultAcsClient stsClient = new DefaultAcsClient(DefaultProfile.getProfile(LocalCloud.REGION),
                    new BasicCredentials(id, secret));
            stsClient.setAutoRetry(false);
            sts = stsClient;
            stsHost = cloud.standIn("sts").replace("http://", "");
            AlipayConfig config = new AlipayConfig();
            config.setServerUrl(cloud.standIn("alipay") + "/gateway.do");
            config.setAppId(LocalCloud.DEFAULT_APP_ID);
            config.setPrivateKey(appKeys.privateKeyPkcs8Base64());
            config.setAlipayPublicKey(gatewayKeys.publicKeyX509Base64());
            config.setFormat("json");
            config.setCharset("UTF-8");
            config.setSignType("RSA2");
            alipay = new DefaultAlipayClient(config);
        }

        @Override
        public void close() {
            tablestore.shutdown();
            oss.shutdown();
            sts.shutdown();
        }
    }
}
