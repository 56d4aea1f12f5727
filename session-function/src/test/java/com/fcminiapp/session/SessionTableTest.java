package com.fcminiapp.session;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.DescribeTableRequest;
import com.alicloud.openservices.tablestore.model.ListTableResponse;
import com.alicloud.openservices.tablestore.model.PrimaryKeySchema;
import com.alicloud.openservices.tablestore.model.PrimaryKeyType;
import com.alicloud.openservices.tablestore.model.TableMeta;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The initializer creates the session table when it is missing, with a storage TTL as a backstop. */
class SessionTableTest {

    private SessionCloud cloud;
    private SyncClient admin;

    @BeforeEach
    void start() {
        cloud = new SessionCloud();
        CredentialRegistry.Credential key = cloud.registry.createPermanent("LTAIadmin");
        admin = new SyncClient(cloud.tablestore.endpoint(), key.accessKeyId, key.accessKeySecret, SessionCloud.INSTANCE);
    }

    @AfterEach
    void stop() {
        admin.shutdown();
        cloud.close();
    }

    @Test
    void initializerCreatesTheSessionTableWithATtlBackstop() {
        new SessionInvokeHandler(cloud.environment()).initialize(cloud.context());

        TableMeta meta = admin.describeTable(new DescribeTableRequest(SessionCloud.SESSION_TABLE)).getTableMeta();
        assertThat(meta.getPrimaryKeyList()).extracting(PrimaryKeySchema::getName, PrimaryKeySchema::getType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("id", PrimaryKeyType.STRING));
        assertThat(admin.describeTable(new DescribeTableRequest(SessionCloud.SESSION_TABLE)).getTableOptions()
                .getTimeToLive()).isEqualTo((int) Duration.ofDays(8).getSeconds());
    }

    @Test
    void aSecondInstanceFindsTheTableAndKeepsIt() {
        new SessionInvokeHandler(cloud.environment()).initialize(cloud.context());
        EntryPoint.Driver first = EntryPoint.INVOKE.start(cloud.environment(), Clock.systemUTC());
        first.post(cloud.context(), "{\"authCode\":\"ann:1\"}");

        new SessionInvokeHandler(cloud.environment()).initialize(cloud.context());

        assertThat(cloud.sessionRows()).hasSize(1);
    }

    @Test
    void withAutoCreateOffNoTableIsCreatedAndLoginFailsAsUnavailable() {
        Map<String, String> env = cloud.environment();
        env.put("TABLESTORE_AUTO_CREATE", "false");
        EntryPoint.Driver fn = EntryPoint.INVOKE.start(env, Clock.systemUTC());

        EntryPoint.Reply reply = fn.post(cloud.context(), "{\"authCode\":\"ann:2\"}");

        ListTableResponse tables = admin.listTable();
        assertThat(tables.getTableNames()).doesNotContain(SessionCloud.SESSION_TABLE);
        assertThat(reply.errorCode()).isEqualTo("UPSTREAM_UNAVAILABLE");
    }

    @Test
    void aTableWithAnotherPrimaryKeyStopsTheInitializer() {
        TableMeta meta = new TableMeta(SessionCloud.SESSION_TABLE);
        meta.addPrimaryKeyColumn(new PrimaryKeySchema("sid", PrimaryKeyType.STRING));
        admin.createTable(new com.alicloud.openservices.tablestore.model.CreateTableRequest(meta,
                new com.alicloud.openservices.tablestore.model.TableOptions(-1, 1)));

        assertThatThrownBy(() -> new SessionInvokeHandler(cloud.environment()).initialize(cloud.context()))
                .hasMessageContaining("another primary key");
    }
}
