package com.fcminiapp.session;

import com.fcminiapp.localcloud.runtime.LocalContext;
import com.fcminiapp.localcloud.testing.TestContexts;
import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.Direction;
import com.alicloud.openservices.tablestore.model.GetRangeRequest;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.RangeRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.Row;
import com.fcminiapp.common.session.SessionIds;
import com.fcminiapp.common.session.TablestoreSessionStore;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.alipay.AlipayStandIn;
import com.fcminiapp.localcloud.standin.alipay.RsaKeyPair;
import com.fcminiapp.localcloud.standin.oss.OssStandIn;
import com.fcminiapp.localcloud.standin.sts.StsStandIn;
import com.fcminiapp.localcloud.standin.tablestore.TablestoreStandIn;
import org.h2.mvstore.MVStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cloud the session function talks to in tests: the Alipay, STS, Tablestore and OSS stand-ins on 127.0.0.1, an
 * execution-role key like the one FC hands a function, and the function's environment pointing at them.
 */
final class SessionCloud implements AutoCloseable {

    static final String ACCOUNT_ID = "1234567890123456";
    static final String REGION = "cn-hangzhou";
    static final String APP_ID = "2021000000000001";
    static final String INSTANCE = "fcminiapp";
    static final String SESSION_TABLE = "session";
    static final String BUCKET = "miniapp-files";

    final CredentialRegistry registry = CredentialRegistry.inMemory();
    final RsaKeyPair appKeys = RsaKeyPair.generate();
    final AlipayStandIn alipay;
    final StsStandIn sts;
    final TablestoreStandIn tablestore;
    final OssStandIn oss;
    /** The function's execution-role key: temporary, with a token, as FC gives it. */
    final CredentialRegistry.Credential executionKey;
    private final MVStore store = new MVStore.Builder().open();
    private final java.nio.file.Path ossRoot;
    private SyncClient admin;

    SessionCloud() {
        alipay = new AlipayStandIn(0, APP_ID, appKeys.publicKeyX509Base64()).start();
        sts = new StsStandIn(0, registry, ACCOUNT_ID).start();
        tablestore = new TablestoreStandIn(0, registry, INSTANCE, store).start();
        try {
            ossRoot = Files.createTempDirectory("session-oss");
            oss = new OssStandIn(0, registry, ossRoot).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        oss.createBucket(BUCKET);
        executionKey = registry.issueTemporary("acs:ram::" + ACCOUNT_ID + ":role/fc-miniapp-exec", "fc-session",
                null, Duration.ofHours(6));
    }

    String invokeRoleArn() {
        return "acs:ram::" + ACCOUNT_ID + ":role/fc-miniapp-invoke";
    }

    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("ALIPAY_APP_ID", APP_ID);
        env.put("ALIPAY_PRIVATE_KEY", appKeys.privateKeyPkcs8Base64());
        env.put("ALIPAY_PUBLIC_KEY", alipay.alipayPublicKey());
        env.put("ALIPAY_GATEWAY", alipay.gatewayUrl());
        env.put("STS_ROLE_ARN", invokeRoleArn());
        env.put("STS_ENDPOINT", "http://" + sts.host());
        env.put("TABLESTORE_ENDPOINT", tablestore.endpoint());
        env.put("TABLESTORE_INSTANCE", INSTANCE);
        env.put("SESSION_TABLE", SESSION_TABLE);
        env.put("DB_FUNCTION_NAME", "db");
        env.put("DB_SERVICE_NAME", "fc-miniapp");
        env.put("FC_REGION", REGION);
        env.put("FC_ACCOUNT_ID", ACCOUNT_ID);
        env.put("OSS_ENDPOINT", oss.endpoint());
        env.put("OSS_BUCKET", BUCKET);
        // stalls and faults end quickly in tests
        env.put("UPSTREAM_TIMEOUT_MS", "1000");
        return env;
    }

    LocalContext context() {
        return TestContexts.create(executionKey);
    }

    /** Every row of the session table, read through the real SDK with a key of its own. */
    List<Row> sessionRows() {
        CredentialRegistry.Credential reader = registry.createPermanent("LTAIreader");
        SyncClient client = new SyncClient(tablestore.endpoint(), reader.accessKeyId, reader.accessKeySecret, INSTANCE);
        try {
            RangeRowQueryCriteria range = new RangeRowQueryCriteria(SESSION_TABLE);
            range.setInclusiveStartPrimaryKey(PrimaryKeyBuilder.createPrimaryKeyBuilder()
                    .addPrimaryKeyColumn("id", PrimaryKeyValue.INF_MIN).build());
            range.setExclusiveEndPrimaryKey(PrimaryKeyBuilder.createPrimaryKeyBuilder()
                    .addPrimaryKeyColumn("id", PrimaryKeyValue.INF_MAX).build());
            range.setDirection(Direction.FORWARD);
            range.setMaxVersions(1);
            List<Row> rows = new ArrayList<>();
            for (int page = 0; page < 1000; page++) {
                var response = client.getRange(new GetRangeRequest(range));
                rows.addAll(response.getRows());
                if (response.getNextStartPrimaryKey() == null) {
                    return rows;
                }
                range.setInclusiveStartPrimaryKey(response.getNextStartPrimaryKey());
            }
            throw new AssertionError("the session table did not end within 1000 pages");
        } finally {
            client.shutdown();
        }
    }

    /** A client with an owner key of its own, for a test's own reads and writes (closed with the cloud). */
    synchronized SyncClient admin() {
        if (admin == null) {
            CredentialRegistry.Credential key = registry.createPermanent("LTAIowner");
            admin = new SyncClient(tablestore.endpoint(), key.accessKeyId, key.accessKeySecret, INSTANCE);
        }
        return admin;
    }

    /** The session store the function writes, read and written through {@link #admin()}. */
    TablestoreSessionStore sessions() {
        return new TablestoreSessionStore(admin(), SESSION_TABLE);
    }

    /** Revokes {@code sessionId}'s session, as deleteAccount's second step does. */
    void revoke(String sessionId) {
        sessions().revoke(SessionIds.hash(sessionId), java.time.Instant.now());
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.shutdown();
        }
        alipay.close();
        sts.close();
        tablestore.close();
        oss.close();
        store.close();
        try (java.util.stream.Stream<java.nio.file.Path> files = Files.walk(ossRoot)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
